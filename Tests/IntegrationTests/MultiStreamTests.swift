import Foundation
import XCTest

/// `detview simulate --streams 2` (two slsDetector port streams on two PUB sockets) and
/// `detview view EP1 EP2 --headless` as real processes: the viewer assembles each frame from
/// both ports, and every frame's numbers equal the record of the whole frame.
final class MultiStreamTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("detview-ms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Two consecutive free TCP ports (the simulator counts up from the first).
    private func consecutivePorts() -> Int {
        for _ in 0..<50 {
            let port = freePort()
            if port < 65535, freePortIsFree(port + 1) { return port }
        }
        return freePort()
    }

    private func freePortIsFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Runs both processes and checks every frame against the record; returns the viewer.
    private func runAndCompare(detector: String, frames: Int, missing: Int?, expectComplete: Bool,
                               file: StaticString = #filePath, line: UInt = #line) throws -> DetviewProcess {
        let port = consecutivePorts()
        let endpoints = ["tcp://127.0.0.1:\(port)", "tcp://127.0.0.1:\(port + 1)"]
        let record = scratch.appendingPathComponent("record.jsonl").path
        let viewer = try DetviewProcess(["view"] + endpoints + ["--headless", "--per-frame", "--exit-on-series-end",
                                                                "--workers", "2", "--stats-interval", "0"])
        var arguments = ["simulate", "--detector", detector, "--streams", "2", "--bind", endpoints[0],
                         "--frames", "\(frames)", "--rate", "50", "--seed", "5", "--record", record,
                         "--wait-subscriber", "20"]
        if let missing { arguments += ["--missing-stream", "\(missing)"] }
        let simulator = try DetviewProcess(arguments)
        XCTAssertEqual(simulator.waitForExit(timeout: 60), 0, simulator.standardError, file: file, line: line)
        XCTAssertEqual(viewer.waitForExit(timeout: 30), 0, viewer.standardError, file: file, line: line)

        let expected = try recordLines(record)
        XCTAssertEqual(expected.count, frames, file: file, line: line)
        var seen: [Int: [String: Any]] = [:]
        for frame in viewer.events("frame") {
            let number = try XCTUnwrap(frame["frame"] as? Int)
            XCTAssertNil(seen[number], "frame \(number) reported twice", file: file, line: line)
            seen[number] = frame
        }
        XCTAssertEqual(seen.count, frames, "every frame assembled once", file: file, line: line)
        for truth in expected {
            let frameNumber = try XCTUnwrap(truth["frame"] as? Int)
            guard let got = seen[frameNumber] else {
                XCTFail("frame \(frameNumber) missing from the viewer's output", file: file, line: line)
                continue
            }
            XCTAssertEqual(number(got["sum"]), number(truth["sum"]), "sum of frame \(frameNumber)", file: file, line: line)
            XCTAssertEqual(number(got["max"]), number(truth["max"]), "max of frame \(frameNumber)", file: file, line: line)
            XCTAssertEqual(number(got["masked"]), number(truth["masked"]), "masked of frame \(frameNumber)", file: file, line: line)
            XCTAssertEqual(got["complete"] as? Bool, expectComplete, "frame \(frameNumber)", file: file, line: line)
        }
        let stats = try XCTUnwrap(viewer.events("stats").last)
        XCTAssertEqual(stats["received"] as? Int, frames, "one received per assembled frame", file: file, line: line)
        XCTAssertEqual(stats["processed"] as? Int, frames, file: file, line: line)
        XCTAssertEqual(stats["bad"] as? Int, 0, file: file, line: line)
        XCTAssertEqual(viewer.events("series_end").first?["frames"] as? Int, frames, file: file, line: line)
        return viewer
    }

    func testTwoPortStreamsAssembleToTheRecordedFrames() throws {
        let viewer = try runAndCompare(detector: "moench", frames: 12, missing: nil, expectComplete: true)
        let start = try XCTUnwrap(viewer.events("series_start").first)
        XCTAssertEqual(start["width"] as? Int, 400)
        XCTAssertEqual(start["height"] as? Int, 400, "two 400x200 ports stacked")
        XCTAssertEqual(viewer.events("series_start").count, 1)
        XCTAssertFalse(viewer.events("warning").contains { ($0["message"] as? String ?? "").contains("missing") })
    }

    func testSilentPortIsMaskedInEveryFrameAndNamedOnce() throws {
        let viewer = try runAndCompare(detector: "jungfrau", frames: 8, missing: 1, expectComplete: false)
        let start = try XCTUnwrap(viewer.events("series_start").first)
        XCTAssertEqual(start["width"] as? Int, 1024)
        XCTAssertEqual(start["height"] as? Int, 512)
        let warnings = viewer.events("warning").compactMap { $0["message"] as? String }.filter { $0.contains("missing") }
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings.first?.contains("(row 1, column 0)") == true, warnings.first ?? "")
        XCTAssertTrue(viewer.events("frame").allSatisfy { number($0["masked"]) ?? 0 >= 1024 * 256 })
    }
}
