import Foundation
import XCTest

/// One viewer on one endpoint while the sender changes format: an slsDetector series from one
/// `detview simulate`, then an array-1.0 series from another bound to the same port. The
/// viewer detects the format again (after the series end, or after a few rejected frames when
/// the end message never came), says so, and shows every frame of both series.
final class FormatChangeTests: XCTestCase {
    private var scratch: URL!
    private let framesPerSeries = 12

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("detview-format-change-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Runs the two senders in turn against one viewer; returns the viewer, exited.
    /// `rejected`: how many array frames the sls decoder is expected to reject first.
    private func runSlsThenArray(slsEndRepeats: Int, rejected: Int, file: StaticString = #filePath, line: UInt = #line) throws
        -> (viewer: DetviewProcess, records: [[[String: Any]]]) {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        // A long series timeout: the sls series must end by its end message or by re-detection,
        // not because the second sender took a while to start.
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--per-frame", "--workers", "1",
                                         "--stats-interval", "0", "--series-timeout", "60",
                                         "--exit-after-frames", String(2 * framesPerSeries - rejected)])
        var records: [[[String: Any]]] = []
        for (name, arguments) in [("sls", ["--detector", "moench", "--format", "sls", "--end-repeats", String(slsEndRepeats)]),
                                  ("array", ["--detector", "eiger", "--format", "array", "--size", "512x512"])] {
            let record = scratch.appendingPathComponent("\(name).jsonl").path
            let simulator = try DetviewProcess(["simulate", "--bind", endpoint, "--frames", String(framesPerSeries),
                                                "--rate", "100", "--seed", "3", "--record", record,
                                                "--wait-subscriber", "20"] + arguments)
            XCTAssertEqual(simulator.waitForExit(timeout: 40), 0, "\(name): \(simulator.standardError)", file: file, line: line)
            records.append(try recordLines(record))
        }
        XCTAssertEqual(viewer.waitForExit(timeout: 20), 0, viewer.standardError, file: file, line: line)
        return (viewer, records)
    }

    /// Both series seen in order, with the right frames: all of the sls one, and of the array
    /// one all but the first `rejected`.
    private func checkBothSeries(_ viewer: DetviewProcess, _ records: [[[String: Any]]], rejected: Int,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let starts = viewer.events("series_start")
        XCTAssertEqual(starts.map { $0["format"] as? String }, ["sls", "array"], file: file, line: line)
        XCTAssertEqual(starts.map { $0["width"] as? Int }, [400, 512], file: file, line: line)
        let series = starts.compactMap { $0["series"] as? Int }
        XCTAssertEqual(Set(series).count, 2, "the array series gets a number of its own: \(series)", file: file, line: line)
        let ends = viewer.events("series_end")
        XCTAssertEqual(ends.first?["series"] as? Int, series.first, "the sls series ended", file: file, line: line)
        XCTAssertEqual(ends.first?["frames"] as? Int, framesPerSeries, file: file, line: line)
        for (index, record) in records.enumerated() where index < series.count {
            XCTAssertEqual(record.count, framesPerSeries, file: file, line: line)
            let expected = index == 0 ? record : Array(record.dropFirst(rejected))
            let frames = viewer.events("frame").filter { $0["series"] as? Int == series[index] }
            var seen: [Int: [String: Any]] = [:]
            for frame in frames { seen[frame["frame"] as? Int ?? -1] = frame }
            XCTAssertEqual(seen.count, expected.count, "every frame of series \(series[index])", file: file, line: line)
            for truth in expected {
                let frameNumber = try XCTUnwrap(truth["frame"] as? Int)
                XCTAssertEqual(number(seen[frameNumber]?["sum"]), number(truth["sum"]),
                               "series \(series[index]) frame \(frameNumber) sum", file: file, line: line)
            }
        }
    }

    private func infoLines(_ viewer: DetviewProcess) -> [String] {
        viewer.events("info").compactMap { $0["message"] as? String }
    }

    func testArrayAfterAnSlsSeriesEndIsDetectedAgain() throws {
        let (viewer, records) = try runSlsThenArray(slsEndRepeats: 1, rejected: 0)
        try checkBothSeries(viewer, records, rejected: 0)
        let info = infoLines(viewer)
        XCTAssertTrue(info.contains("stream format: sls (detected)"), "\(info)")
        XCTAssertTrue(info.contains { $0.hasPrefix("stream format: array (detected again after sls series") && $0.hasSuffix("ended)") },
                      "\(info)")
        XCTAssertEqual(viewer.events("stats").last?["bad"] as? Int, 0, "the end message said it: nothing rejected")
    }

    func testArrayAfterAnSlsSeriesWithoutEndIsDetectedAgainAfterFiveRejectedFrames() throws {
        let rejected = 5
        let (viewer, records) = try runSlsThenArray(slsEndRepeats: 0, rejected: rejected)
        try checkBothSeries(viewer, records, rejected: rejected)
        let info = infoLines(viewer)
        XCTAssertTrue(info.contains("stream format: array (detected again after 5 frames the sls decoder rejected)"), "\(info)")
        XCTAssertEqual(viewer.events("stats").last?["bad"] as? Int, rejected, "only the frames before the format was detected again")
    }
}
