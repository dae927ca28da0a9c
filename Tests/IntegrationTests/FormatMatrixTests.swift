import Foundation
import XCTest

/// Every wire format and encoding through real processes: `detview simulate` in the format,
/// `detview view --headless --per-frame` detecting it, every frame's sum, max and masked
/// count against the simulator's record (for compressed encodings, the record holds the
/// decoded truth).
final class FormatMatrixTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("detview-matrix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func check(_ name: String, simulate: [String], frames: Int = 12, view extra: [String] = [],
                       expectFormat: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let record = scratch.appendingPathComponent("\(name).jsonl").path
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--per-frame", "--exit-on-series-end",
                                         "--workers", "2", "--stats-interval", "0", "--series-timeout", "3"] + extra)
        let simulator = try DetviewProcess(["simulate", "--bind", endpoint, "--frames", String(frames), "--rate", "100",
                                            "--record", record, "--wait-subscriber", "20"] + simulate)
        XCTAssertEqual(simulator.waitForExit(timeout: 30), 0, "\(name): \(simulator.standardError)", file: file, line: line)
        XCTAssertEqual(viewer.waitForExit(timeout: 30), 0, "\(name): \(viewer.standardError)", file: file, line: line)
        let truth = try recordLines(record)
        XCTAssertEqual(truth.count, frames, name, file: file, line: line)
        XCTAssertEqual(viewer.events("series_start").first?["format"] as? String, expectFormat, name, file: file, line: line)
        XCTAssertTrue(viewer.events("bad_frame").isEmpty, "\(name): \(viewer.events("bad_frame"))", file: file, line: line)
        var seen: [Int: [String: Any]] = [:]
        for frame in viewer.events("frame") { seen[frame["frame"] as? Int ?? -1] = frame }
        XCTAssertEqual(seen.count, frames, "\(name): every frame processed once", file: file, line: line)
        for expected in truth {
            let frameNumber = try XCTUnwrap(expected["frame"] as? Int)
            let got = seen[frameNumber]
            XCTAssertEqual(number(got?["sum"]), number(expected["sum"]), "\(name) frame \(frameNumber) sum", file: file, line: line)
            XCTAssertEqual(number(got?["max"]), number(expected["max"]), "\(name) frame \(frameNumber) max", file: file, line: line)
            XCTAssertEqual(number(got?["masked"]), number(expected["masked"]), "\(name) frame \(frameNumber) masked", file: file, line: line)
        }
    }

    func testSimplonBitshuffleLZ4Uint16WithAllHeaderParts() throws {
        try check("simplon-bslz4-u16", simulate: ["--detector", "eiger", "--format", "simplon", "--encoding", "bslz4",
                                                  "--pixel-type", "uint16", "--size", "512x512", "--header-detail", "all"],
                  view: ["--socket", "pull"], expectFormat: "simplon")
    }

    func testSimplonLZ4Uint32() throws {
        try check("simplon-lz4-u32", simulate: ["--detector", "eiger", "--format", "simplon", "--encoding", "lz4",
                                                "--pixel-type", "uint32", "--size", "512x512"],
                  view: ["--format", "simplon", "--socket", "pull"], expectFormat: "simplon")
    }

    func testStream2BitshuffleLZ4Uint32() throws {
        try check("stream2-bslz4-u32", simulate: ["--detector", "eiger", "--format", "stream2", "--encoding", "bslz4",
                                                  "--pixel-type", "uint32", "--size", "512x512"],
                  view: ["--socket", "pull"], expectFormat: "stream2")
    }

    func testStream2FramedLZ4Uint8() throws {
        try check("stream2-lz4-u8", simulate: ["--detector", "eiger", "--format", "stream2", "--encoding", "lz4",
                                               "--pixel-type", "uint8", "--size", "512x512"],
                  view: ["--format", "stream2", "--socket", "pull"], expectFormat: "stream2")
    }

    func testArrayRawUint16Detected() throws {
        try check("array-raw-u16", simulate: ["--detector", "eiger", "--format", "array", "--encoding", "raw",
                                              "--pixel-type", "uint16", "--size", "512x512"],
                  expectFormat: "array")
    }

    func testJungfrauInTheSlsFormat() throws {
        try check("jungfrau-sls", simulate: ["--detector", "jungfrau", "--format", "sls"], expectFormat: "sls")
    }
}
