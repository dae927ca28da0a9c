import Foundation

/// Encodes a `TerminalPicture` for the kitty graphics protocol: 24-bit RGB pixels (`f=24`),
/// base64 in chunks of at most 4096 characters (`m=1` on every chunk but the last), shown at
/// once (`a=T`) scaled onto the picture's cells (`c`, `r`), without moving the cursor (`C=1`) and
/// without replies (`q=2`). The image id lets the next picture replace this one: `delete(id:)`.
public enum KittyGraphicsEncoder {
    public static let chunkLength = 4096

    public static func encode(_ picture: TerminalPicture, id: Int) -> [UInt8] {
        var rgb: [UInt8] = []
        rgb.reserveCapacity(picture.width * picture.height * 3)
        for index in picture.indices.prefix(picture.width * picture.height) {
            let colour = Int(index) < picture.palette.count ? picture.palette[Int(index)] : TerminalPicture.RGB(0, 0, 0)
            rgb.append(colour.r)
            rgb.append(colour.g)
            rgb.append(colour.b)
        }
        let payload = Array(Data(rgb).base64EncodedData())
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + payload.count / chunkLength * 16 + 128)
        var offset = 0
        repeat {
            let end = min(payload.count, offset + chunkLength)
            let more = end < payload.count ? 1 : 0
            let keys = offset == 0
                ? "a=T,f=24,s=\(picture.width),v=\(picture.height),i=\(id),c=\(picture.cells.width),r=\(picture.cells.height),C=1,q=2,m=\(more)"
                : "m=\(more)"
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
