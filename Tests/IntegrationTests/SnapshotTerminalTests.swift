import Foundation
import XCTest

/// `S` in the real binary in tmux, with real worker processes: the test streams 512 × 512
/// array-1.0 frames with one bright 4 × 4 spot, presses `S`, and reads the files back — the
/// .npy holds the frame's (or the zoomed region's) full-resolution pixels with the values the
/// test sent, the .tiff is a little-endian TIFF, the .png is a PNG the size of the heatmap's
/// cells at 4 × 8 pixels each — and the status line names them. A second `S` takes a new name.
final class SnapshotTerminalTests: XCTestCase {
    private static let (frameWidth, frameHeight) = (512, 512)
    private static let spot = 254..<258
    private static let spotValue: Float = 60_000

    private static let frame: [UInt8] = {
        var pixels = [UInt16](repeating: 0, count: frameWidth * frameHeight)
        for y in spot { for x in spot { pixels[y * frameWidth + x] = UInt16(spotValue) } }
        return pixels.withUnsafeBytes { Array($0) }
    }()

    private func readNpy(_ path: String) throws -> (shape: [Int], values: [Float]) {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(data[0..<6]), [0x93] + Array("NUMPY".utf8))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let header = String(decoding: data[10..<10 + headerLength], as: UTF8.self)
        XCTAssertTrue(header.contains("'<f4'"), header)
        let shapeText = try XCTUnwrap(header.split(separator: "(").last?.split(separator: ")").first)
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let values = Array(data[(10 + headerLength)...]).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(values.count, shape.reduce(1, *))
        return (shape, values)
    }

    /// The PNG's width and height from its IHDR, after checking the signature.
    private func pngSize(_ path: String) throws -> (width: Int, height: Int) {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(Array(data[12..<16]), Array("IHDR".utf8))
        func be32(_ at: Int) -> Int { data[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    private func files(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    func testSnapshotsWriteTheFullResolutionImageAndThePictureUnderNewNames() throws {
        guard TmuxSession.isAvailable else { throw MissingTestInput("tmux is not installed (scripts/install-deps.sh installs it)") }
        var template = Array((NSTemporaryDirectory() + "/detview-snapshots-XXXXXX").utf8CString)
        let directory = URL(fileURLWithPath: String(cString: try XCTUnwrap(mkdtemp(&template)))).standardizedFileURL.path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = try TmuxSession.streamed(width: 120, height: 40, environment: "HOME=/nonexistent-home LANG=C",
                                            options: "--workers 2 --snapshot-dir \(directory)") {
            [arrayFrameHeader($0, width: Self.frameWidth, height: Self.frameHeight), Self.frame]
        }
        func statusLine(_ screen: String) -> String {
            screen.components(separatedBy: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        }

        // Raw, fitted: the whole frame as it came.
        tmux.waitForScreen("the fitted frame is shown") { $0.contains("max-binned 512x512 > 72x72") }
        tmux.send("S")
        tmux.waitForScreen("the status line names the snapshot's files") { statusLine($0).contains("-raw.npy, .tiff, .png") }
        let names = files(directory)
        let base = try XCTUnwrap(names.first { $0.hasSuffix("-raw.npy") }.map { String($0.dropLast(4)) }, "\(names)")
        XCTAssertEqual(names, [base + ".npy", base + ".png", base + ".tiff"], "three files and no temporary left")
        XCTAssertTrue(statusLine(tmux.last).contains("snapshot: \(directory)/\(base).npy, .tiff, .png"), statusLine(tmux.last))
        let (shape, values) = try readNpy(directory + "/" + base + ".npy")
        XCTAssertEqual(shape, [Self.frameHeight, Self.frameWidth], "the full-resolution frame, not the 72 x 72 display image")
        for y in [0, 253, 254, 257, 258, 511] {
            for x in [0, 253, 254, 257, 258, 511] {
                let expected: Float = Self.spot.contains(x) && Self.spot.contains(y) ? Self.spotValue : 0
                XCTAssertEqual(values[y * Self.frameWidth + x], expected, "pixel \(x), \(y)")
            }
        }
        let tiff = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + base + ".tiff")))
        XCTAssertEqual(Array(tiff.prefix(4)), [0x49, 0x49, 42, 0], "a little-endian TIFF")
        XCTAssertGreaterThan(tiff.count, Self.frameWidth * Self.frameHeight * 4, "holding 512 x 512 floats")
        let png = try pngSize(directory + "/" + base + ".png")
        // The heatmap's interior of a 120 x 40 screen is 88 x 36 cells; each cell 4 x 8 pixels.
        XCTAssertEqual(png.width, 88 * 4)
        XCTAssertEqual(png.height, 36 * 8)
        let firstNpy = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + base + ".npy"))

        // Sum mode, zoomed in four times: the region's full-resolution pixels of the sum.
        tmux.send("6")
        for _ in 0..<4 { tmux.send("z") }
        tmux.waitForScreen("sum mode zoomed in") { $0.contains("sum") && $0.contains("x 234-277, y 238-273") && !$0.contains("binning") }
        tmux.send("S")
        tmux.waitForScreen("the status line names the sum snapshot") { statusLine($0).contains("-sum.npy, .tiff, .png") }
        let sumBase = try XCTUnwrap(files(directory).first { $0.hasSuffix("-sum.npy") }.map { String($0.dropLast(4)) })
        let (sumShape, sum) = try readNpy(directory + "/" + sumBase + ".npy")
        XCTAssertEqual(sumShape, [273 - 238 + 1, 277 - 234 + 1], "rows 238-273, columns 234-277 of the frame")
        let inSpot = sum[(256 - 238) * 44 + (256 - 234)]
        XCTAssertGreaterThan(inSpot, 0)
        XCTAssertEqual(inSpot.truncatingRemainder(dividingBy: Self.spotValue), 0, "a whole number of frames of the spot")
        XCTAssertEqual(sum[0], 0, "the region's corner is outside the spot")

        // Again in the same mode: a new name; nothing is replaced.
        tmux.send("S")
        tmux.waitForScreen("a second sum snapshot") { s in
            self.files(directory).count == 9 && statusLine(s).contains("snapshot:")
        }
        // Within the same second the second one is "…-sum-2".
        XCTAssertEqual(files(directory).filter { $0.contains("-sum") && $0.hasSuffix(".npy") }.count, 2, "\(files(directory))")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + base + ".npy")), firstNpy)

        tmux.send("q")
        XCTAssertTrue(eventually(timeout: 10) { !tmux.screen.contains("detview") }, "q ends the viewer:\n\(tmux.screen)")
    }
}
