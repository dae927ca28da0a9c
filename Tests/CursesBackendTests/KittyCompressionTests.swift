import CursesBackend
import CZlib
import Foundation
import TerminalUI
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// What `CursesTerminal` sends a kitty terminal: the picture zlib-compressed (`o=z`), and the
/// data, joined from its chunks and inflated, exactly the picture's RGB (what kitty shows in
/// KittyTerminalTests).
final class KittyCompressionTests: XCTestCase {
    func testThePictureGoesCompressedAndInflatesToItsRGB() throws {
        let path = NSTemporaryDirectory() + "detview-kitty-sink-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        let sink = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0o600)
        XCTAssertGreaterThanOrEqual(sink, 0)
        defer {
            close(sink)
            unlink(path)
        }
        // A smooth 200×120 gradient, as a heatmap picture is: 72 000 bytes of RGB.
        let width = 200, height = 120
        let picture = TerminalPicture(cells: Rect(x: 1, y: 1, width: 20, height: 6), width: width, height: height,
                                      indices: (0..<(width * height)).map { UInt8($0 % width * 255 / (width - 1)) },
                                      palette: (0...255).map { .init(UInt8($0), UInt8(255 - $0), 128) })
        let terminal = try CursesTerminal(sinkFD: sink, term: "xterm-256color", colorMode: .color256,
                                          width: 30, height: 10, graphics: .kitty)
        terminal.draw(Buffer(width: 30, height: 10), picture: picture)
        terminal.shutdown()
        let written = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)

        // The transmission: from the command with a=T to the first with m=0.
        var keys: [[Substring]] = []
        var payload = ""
        for command in written.components(separatedBy: "\u{1B}_G").dropFirst() {
            guard let end = command.range(of: "\u{1B}\\") else { continue }
            let body = command[..<end.lowerBound]
            let parts = body.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            let commandKeys = parts[0].split(separator: ",")
            guard keys.isEmpty ? commandKeys.contains("a=T") : true else { continue }
            keys.append(commandKeys)
            payload += parts.count > 1 ? String(parts[1]) : ""
            if commandKeys.contains("m=0") { break }
        }
        let first = try XCTUnwrap(keys.first, "a transmission")
        XCTAssertTrue(first.contains("o=z") && first.contains("f=24") && first.contains("s=200") && first.contains("v=120"))
        XCTAssertTrue(keys.dropFirst().allSatisfy { !$0.contains("o=z") }, "the keys only on the first chunk")
        let data = [UInt8](try XCTUnwrap(Data(base64Encoded: payload), "valid base64"))
        XCTAssertLessThan(data.count, width * height * 3 / 4, "a smooth picture compresses well")

        var size = uLong(width * height * 3)
        var rgb = [UInt8](repeating: 0, count: Int(size))
        let status = rgb.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { uncompress(target.baseAddress, &size, $0.baseAddress, uLong($0.count)) }
        }
        XCTAssertEqual(status, Z_OK)
        XCTAssertEqual(Int(size), width * height * 3)
        XCTAssertEqual(rgb, picture.indices.flatMap { [picture.palette[Int($0)].r, picture.palette[Int($0)].g, picture.palette[Int($0)].b] })
    }
}
