import Foundation
import TerminalUI
import XCTest

/// The kitty graphics protocol as its specification (sw.kovidgoyal.net/kitty/graphics-protocol)
/// describes it: APC commands `ESC _ G keys ; payload ESC \`, the pixels base64 in chunks of at
/// most 4096 bytes, every chunk but the last a multiple of 4 long, `m=1` on all but the last,
/// the image's keys on the first. The real kitty runs it in KittyTerminalTests.
final class KittyGraphicsEncoderTests: XCTestCase {
    /// One APC command: its keys in order and its payload.
    private struct Command: Equatable {
        var keys: [String]
        var payload: String
    }

    /// Splits the bytes into commands; fails on anything between or around them.
    private func commands(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [Command] {
        var text = Substring(String(decoding: bytes, as: UTF8.self))
        var result: [Command] = []
        while !text.isEmpty {
            guard text.hasPrefix("\u{1B}_G"), let end = text.range(of: "\u{1B}\\") else {
                XCTFail("not an APC graphics command: \(text.prefix(40).debugDescription)", file: file, line: line)
                return result
            }
            let body = text[text.index(text.startIndex, offsetBy: 3)..<end.lowerBound]
            let parts = body.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            result.append(Command(keys: parts[0].split(separator: ",").map(String.init),
                                  payload: parts.count > 1 ? String(parts[1]) : ""))
            text = text[end.upperBound...]
        }
        return result
    }

    private func picture(width: Int, height: Int, cells: Rect = Rect(x: 0, y: 0, width: 10, height: 5)) -> TerminalPicture {
        TerminalPicture(cells: cells, width: width, height: height,
                        indices: (0..<(width * height)).map { UInt8($0 % 3) },
                        palette: [.init(1, 2, 3), .init(250, 128, 0), .init(0, 0, 255)])
    }

    func testOnePixelIsOneCommandWithEveryKey() {
        let one = TerminalPicture(cells: Rect(x: 3, y: 2, width: 1, height: 1), width: 1, height: 1,
                                  indices: [0], palette: [.init(1, 2, 3)])
        XCTAssertEqual(String(decoding: KittyGraphicsEncoder.encode(one, id: 7), as: UTF8.self),
                       "\u{1B}_Ga=T,f=24,s=1,v=1,i=7,c=1,r=1,C=1,q=2,m=0;AQID\u{1B}\\")
    }

    /// 110×10 pixels: 3300 bytes, 4400 base64 characters: a chunk of 4096 and one of 304.
    func testChunksOf4096WithMOnAllButTheLastAndQuietOnEvery() {
        let sent = commands(KittyGraphicsEncoder.encode(picture(width: 110, height: 10), id: 1))
        XCTAssertEqual(sent.map(\.payload.count), [4096, 304])
        XCTAssertEqual(sent[0].keys, ["a=T", "f=24", "s=110", "v=10", "i=1", "c=10", "r=5", "C=1", "q=2", "m=1"])
        XCTAssertEqual(sent[1].keys, ["m=0", "q=2"],
                       "after the first only m and q: a terminal taking q from the last chunk stays quiet too")
    }

    /// Large pictures: every chunk but the last exactly 4096 (a multiple of 4, as base64 must be
    /// cut), the payloads joined decode to the palette's RGB row by row, s × v × 3 bytes.
    func testThePayloadsJoinedAreThePicturesRGB() throws {
        for (width, height) in [(200, 120), (341, 4), (1025, 1)] {
            let image = picture(width: width, height: height)
            let sent = commands(KittyGraphicsEncoder.encode(image, id: 1))
            XCTAssertTrue(sent.dropLast().allSatisfy { $0.payload.count == KittyGraphicsEncoder.chunkLength }, "\(width)×\(height)")
            XCTAssertTrue((1...KittyGraphicsEncoder.chunkLength).contains(sent.last?.payload.count ?? 0), "no empty last chunk")
            XCTAssertEqual(sent.map { $0.keys.filter { $0.hasPrefix("m=") } }, Array(repeating: ["m=1"], count: sent.count - 1) + [["m=0"]])
            XCTAssertTrue(sent.dropFirst().allSatisfy { $0.keys.count == 2 && $0.keys.contains("q=2") }, "later chunks: m and q only")
            let rgb = try XCTUnwrap(Data(base64Encoded: sent.map(\.payload).joined()), "\(width)×\(height): valid base64")
            XCTAssertEqual(rgb.count, width * height * 3)
            let expected = image.indices.flatMap { index -> [UInt8] in
                let colour = image.palette[Int(index)]
                return [colour.r, colour.g, colour.b]
            }
            XCTAssertEqual([UInt8](rgb), expected, "\(width)×\(height): RGB, row by row")
        }
    }

    /// A payload of exactly 4096 characters (1024 pixels) is one chunk with m=0, not one full
    /// chunk and an empty one.
    func testAPayloadOfExactlyOneChunkIsOneCommand() {
        let sent = commands(KittyGraphicsEncoder.encode(picture(width: 1024, height: 1), id: 1))
        XCTAssertEqual(sent.count, 1)
        XCTAssertEqual(sent.first?.payload.count, 4096)
        XCTAssertEqual(sent.first?.keys.last, "m=0", "the first chunk's keys end with m")
    }

    /// Indices past the palette are black; a picture with fewer indices than pixels is padded
    /// black, so the data always matches s × v; an empty picture sends nothing.
    func testBadPicturesStillSendWhatTheKeysSay() throws {
        let outside = TerminalPicture(cells: Rect(x: 0, y: 0, width: 1, height: 1), width: 2, height: 1,
                                      indices: [9, 0], palette: [.init(10, 20, 30)])
        XCTAssertEqual(commands(KittyGraphicsEncoder.encode(outside, id: 1)).first?.payload,
                       Data([0, 0, 0, 10, 20, 30]).base64EncodedString())
        let short = TerminalPicture(cells: Rect(x: 0, y: 0, width: 1, height: 1), width: 2, height: 2,
                                    indices: [0], palette: [.init(10, 20, 30)])
        let payload = try XCTUnwrap(commands(KittyGraphicsEncoder.encode(short, id: 1)).first?.payload)
        XCTAssertEqual(Data(base64Encoded: payload), Data([10, 20, 30] + [UInt8](repeating: 0, count: 9)))
        let empty = TerminalPicture(cells: Rect(x: 0, y: 0, width: 1, height: 1), width: 0, height: 3, indices: [], palette: [])
        XCTAssertEqual(KittyGraphicsEncoder.encode(empty, id: 1), [])
    }

    /// Deletion: `d=I` (upper case: the image's data is freed too, not only its placements) for
    /// our image, `d=A` for every image on the screen; quiet.
    func testDeletionFreesTheImageData() {
        XCTAssertEqual(commands(KittyGraphicsEncoder.delete(id: 1)), [Command(keys: ["a=d", "d=I", "i=1", "q=2"], payload: "")])
        XCTAssertEqual(commands(KittyGraphicsEncoder.delete(id: nil)), [Command(keys: ["a=d", "d=A", "q=2"], payload: "")])
    }

    /// With `deflate`, its output is the payload and `o=z` says so (the first chunk only); when
    /// it fails (nil), the raw RGB goes as before.
    func testDeflatedPayloadsSayOEqualsZ() throws {
        let image = picture(width: 100, height: 30)
        let sent = commands(KittyGraphicsEncoder.encode(image, id: 1, deflate: { Array($0.reversed()) }))
        XCTAssertEqual(sent[0].keys, ["a=T", "f=24", "s=100", "v=30", "i=1", "c=10", "r=5", "C=1", "o=z", "q=2", "m=1"])
        XCTAssertTrue(sent.dropFirst().allSatisfy { !$0.keys.contains("o=z") })
        let plain = commands(KittyGraphicsEncoder.encode(image, id: 1))
        let raw = try XCTUnwrap(Data(base64Encoded: plain.map(\.payload).joined()))
        XCTAssertEqual(Data(base64Encoded: sent.map(\.payload).joined()), Data(raw.reversed()))
        XCTAssertEqual(KittyGraphicsEncoder.encode(image, id: 1, deflate: { _ in nil }), KittyGraphicsEncoder.encode(image, id: 1))
    }
}
