import Foundation

/// Encodes a `TerminalPicture` for the kitty graphics protocol: 24-bit RGB pixels (`f=24`),
/// base64 in chunks of at most 4096 characters (`m=1` on every chunk but the last), shown at
/// once (`a=T`) scaled onto the picture's cells (`c`, `r`), without moving the cursor (`C=1`) and
/// without replies (`q=2`). The image id lets the next picture replace this one: `delete(id:)`.
///
/// `q=2` goes on every chunk, not only the first: the protocol allows it ("only the m and
/// optionally q keys" after the first), and a terminal that takes it from the chunk that ends the
/// transmission (an older kitty did: kovidgoyal/kitty#3375) would otherwise answer
/// `ESC _ G i=1;OK ESC \` on stdin, which the viewer would read as keys.
public enum KittyGraphicsEncoder {
    public static let chunkLength = 4096

    /// Nothing for an empty picture: a transmission without pixels is an error the terminal
    /// would only keep quiet about. `deflate` (RFC 1950 zlib data, nil when it fails) sends the
    /// pixels compressed (`o=z`): a heatmap picture is smooth, so zlib's fastest level makes it
    /// about 7 times smaller (a 66×33-cell heatmap in 9×20-pixel cells: 1.57 MB of base64 per
    /// paint raw, 0.22 MB compressed), which is what lets it repaint within `--max-rate`.
    public static func encode(_ picture: TerminalPicture, id: Int, deflate: (([UInt8]) -> [UInt8]?)? = nil) -> [UInt8] {
        guard picture.width > 0, picture.height > 0 else { return [] }
        var rgb: [UInt8] = []
        rgb.reserveCapacity(picture.width * picture.height * 3)
        for index in picture.indices.prefix(picture.width * picture.height) {
            let colour = Int(index) < picture.palette.count ? picture.palette[Int(index)] : TerminalPicture.RGB(0, 0, 0)
            rgb.append(colour.r)
            rgb.append(colour.g)
            rgb.append(colour.b)
        }
        // `s` × `v` pixels must all come: a short picture is padded black rather than refused.
        rgb += repeatElement(0, count: picture.width * picture.height * 3 - rgb.count)
        let compressed = deflate?(rgb)
        let payload = Array(Data(compressed ?? rgb).base64EncodedData())
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + payload.count / chunkLength * 16 + 128)
        var offset = 0
        repeat {
            let end = min(payload.count, offset + chunkLength)
            let more = end < payload.count ? 1 : 0
            let keys = offset == 0
                ? "a=T,f=24,s=\(picture.width),v=\(picture.height),i=\(id),c=\(picture.cells.width),r=\(picture.cells.height),C=1,\(compressed == nil ? "" : "o=z,")q=2,m=\(more)"
                : "m=\(more),q=2"
            out.append(contentsOf: "\u{1B}_G\(keys);".utf8)
            out.append(contentsOf: payload[offset..<end])
            out.append(contentsOf: "\u{1B}\\".utf8)
            offset = end
        } while offset < payload.count
        return out
    }

    /// Deletes the image `id` and its placements (nil: every image), freeing its data.
    public static func delete(id: Int?) -> [UInt8] {
        Array((id.map { "\u{1B}_Ga=d,d=I,i=\($0),q=2\u{1B}\\" } ?? "\u{1B}_Ga=d,d=A,q=2\u{1B}\\").utf8)
    }
}
