import Foundation
import XCTest

/// `detview simulate` and `detview view --headless` as real processes over tcp loopback.
final class HeadlessPipelineTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("detview-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    func testEveryFrameSumAndMaxMatchTheSimulatorRecord() throws {
        let port = freePort()
        let endpoint = "tcp://127.0.0.1:\(port)"
        let record = scratch.appendingPathComponent("record.jsonl").path
        let shmBefore = sharedMemoryEntries()
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--per-frame", "--exit-on-series-end",
                                         "--workers", "2", "--stats-interval", "0"])
        let simulator = try DetviewProcess(["simulate", "--detector", "moench", "--bind", endpoint,
                                            "--frames", "300", "--rate", "400", "--seed", "7",
                                            "--dead-pixels", "5", "--record", record,
                                            "--wait-subscriber", "20"])
        XCTAssertEqual(simulator.waitForExit(timeout: 60), 0, simulator.standardError)
        XCTAssertEqual(viewer.waitForExit(timeout: 30), 0, viewer.standardError)

        let expected = try recordLines(record)
        XCTAssertEqual(expected.count, 300)
        let starts = viewer.events("series_start")
        XCTAssertEqual(starts.count, 1)
        XCTAssertEqual(starts.first?["width"] as? Int, 400)
        XCTAssertEqual(starts.first?["height"] as? Int, 400)
        XCTAssertEqual(starts.first?["pixel_type"] as? String, "uint16")
        XCTAssertEqual(starts.first?["format"] as? String, "sls")

        var seen: [Int: [String: Any]] = [:]
        for frame in viewer.events("frame") {
            let number = try XCTUnwrap(frame["frame"] as? Int)
            XCTAssertNil(seen[number], "frame \(number) reported twice")
            seen[number] = frame
        }
        XCTAssertEqual(seen.count, expected.count, "every sent frame is processed once")
        for truth in expected {
            let frameNumber = try XCTUnwrap(truth["frame"] as? Int)
            guard let got = seen[frameNumber] else {
                XCTFail("frame \(frameNumber) missing from the viewer's output")
                continue
            }
            XCTAssertEqual(number(got["sum"]), number(truth["sum"]), "sum of frame \(frameNumber)")
            XCTAssertEqual(number(got["max"]), number(truth["max"]), "max of frame \(frameNumber)")
            XCTAssertEqual(number(got["masked"]), number(truth["masked"]), "masked pixels of frame \(frameNumber)")
        }
        XCTAssertEqual(number(expected.first?["masked"]), 5, "the dead pixels are masked")
        let ends = viewer.events("series_end")
        XCTAssertEqual(ends.count, 1)
        XCTAssertEqual(ends.first?["frames"] as? Int, 300)
        let stats = try XCTUnwrap(viewer.events("stats").last)
        XCTAssertEqual(stats["received"] as? Int, 300)
        XCTAssertEqual(stats["processed"] as? Int, 300)
        XCTAssertEqual(stats["dropped"] as? Int, 0)
        XCTAssertEqual(stats["bad"] as? Int, 0)
        XCTAssertTrue(children(of: viewer.pid).isEmpty)
        XCTAssertEqual(sharedMemoryEntries(), shmBefore, "nothing new in /dev/shm")
    }

    func testKilledWorkerIsReplacedAndFramesKeepFlowing() throws {
        let port = freePort()
        let endpoint = "tcp://127.0.0.1:\(port)"
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--workers", "2", "--stats-interval", "0.1"])
        let simulator = try DetviewProcess(["simulate", "--bind", endpoint, "--rate", "200", "--frames", "2000",
                                            "--wait-subscriber", "20"])
        defer {
            simulator.signal(SIGKILL)
            viewer.signal(SIGKILL)
        }
        XCTAssertTrue(eventually(timeout: 20) { (viewer.events("stats").last?["processed"] as? Int ?? 0) > 50 },
                      "frames flow before the kill")
        let workers = children(of: viewer.pid)
        XCTAssertEqual(workers.count, 2, "two worker processes")
        let victim = try XCTUnwrap(workers.first)
        kill(victim, SIGKILL)
        let killedAt = Date()
        XCTAssertTrue(eventually(timeout: 1) {
            let now = children(of: viewer.pid)
            return now.count == 2 && !now.contains(victim)
        }, "a new worker takes over within 1 s")
        let replacedAfter = Date().timeIntervalSince(killedAt)
        XCTAssertLessThan(replacedAfter, 1.5)
        XCTAssertTrue(eventually(timeout: 5) {
            (viewer.events("stats").last?["restarts"] as? Int ?? 0) >= 1
        }, "the restart counter shows it")
        let processedAfterKill = viewer.events("stats").last?["processed"] as? Int ?? 0
        XCTAssertTrue(eventually(timeout: 5) {
            (viewer.events("stats").last?["processed"] as? Int ?? 0) > processedAfterKill + 100
        }, "the viewer goes on processing")
        XCTAssertTrue(viewer.events("warning").contains { ($0["message"] as? String ?? "").contains("killed") },
                      "the death is reported")
    }

    func testViewerLeavesNoProcessOrSharedMemoryAfterSignals() throws {
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGKILL] {
            let shmBefore = sharedMemoryEntries()
            let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless", "--workers", "2"])
            XCTAssertTrue(eventually(timeout: 10) { children(of: viewer.pid).count == 2 }, "workers started")
            let workers = children(of: viewer.pid)
            viewer.signal(sig)
            let status = viewer.waitForExit(timeout: 10)
            if sig != SIGKILL { XCTAssertEqual(status, 128 + sig, "exit status after signal \(sig)") }
            XCTAssertTrue(eventually(timeout: 3) { workers.allSatisfy { !isAlive($0) } },
                          "workers die with the viewer (signal \(sig))")
            XCTAssertEqual(sharedMemoryEntries(), shmBefore, "nothing new in /dev/shm (signal \(sig))")
        }
    }

    func testBadEndpointIsAClearErrorNotAHang() throws {
        let viewer = try DetviewProcess(["view", "nonsense://x", "--headless"])
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 1)
        XCTAssertTrue(viewer.standardError.contains("nonsense://x"), viewer.standardError)
    }
}
