import Foundation
import XCTest

/// Issue 12, defect 5: a stopped or hung worker keeps a live process, so its pidfd never fires;
/// before the watch it stayed `"alive":true` at 0% while the image froze and dropped climbed.
/// Now a worker with frames waiting that finishes none is named (warning line, `"stalled":true`)
/// after `--stall-warning`, and replaced after `--stall-kill`.
final class WorkerStallTests: XCTestCase {
    func testAStoppedWorkerIsNamedThenReplacedAndFramesAreProcessedAgain() throws {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--workers", "1", "--stats-interval", "0.25",
                                         "--stall-warning", "1", "--stall-kill", "4"])
        defer { viewer.signal(SIGKILL) }
        let simulator = try DetviewProcess(["simulate", "--detector", "moench", "--bind", endpoint, "--rate", "50"])
        defer { simulator.signal(SIGKILL) }

        XCTAssertTrue(eventually(timeout: 10) { (viewer.events("stats").last?["processed"] as? Int ?? 0) > 10 },
                      "frames flow before the stop; stderr: \(viewer.standardError)")
        let workers = children(of: viewer.pid)
        XCTAssertEqual(workers.count, 1, "the viewer's only child is its worker")
        let stopped = try XCTUnwrap(workers.first)
        XCTAssertEqual(stallWarnings(viewer), [], "a healthy worker is never named")

        kill(stopped, SIGSTOP)
        let stoppedAt = Date()
        XCTAssertTrue(eventually(timeout: 4) { stallWarnings(viewer).contains { $0.contains("stalled: no progress") } },
                      "a warning names the stalled worker within seconds")
        XCTAssertLessThan(Date().timeIntervalSince(stoppedAt), 3.5)
        let named = try XCTUnwrap(stallWarnings(viewer).first)   // the first stop's line
        XCTAssertTrue(named.hasPrefix("worker 0 (pid \(stopped)) stalled"), named)
        XCTAssertTrue(eventually(timeout: 2) { workerField(viewer, "stalled") == true },
                      "the stats line marks it stalled")
        XCTAssertEqual(workerField(viewer, "alive"), true, "its process still lives")

        // Continued before the kill limit: the stall ends, with a line, and the same process goes on.
        kill(stopped, SIGCONT)
        XCTAssertTrue(eventually(timeout: 3) { stallWarnings(viewer).contains { $0.contains("no longer stalled") } },
                      "the end of the stall is named: \(stallWarnings(viewer))")
        XCTAssertTrue(eventually(timeout: 2) { workerField(viewer, "stalled") == false })
        XCTAssertEqual(children(of: viewer.pid), [stopped], "not replaced")

        kill(stopped, SIGSTOP)

        // Past --stall-kill it is killed, reaped through the usual exit path, and restarted.
        XCTAssertTrue(eventually(timeout: 8) { (viewer.events("stats").last?["restarts"] as? Int) == 1 },
                      "the stalled worker is replaced")
        XCTAssertFalse(isAlive(stopped), "the stopped process is gone")
        let warnings = stallWarnings(viewer)
        XCTAssertTrue(warnings.contains { $0.contains("killing it to replace it") }, "\(warnings)")
        XCTAssertTrue(warnings.contains { $0.hasPrefix("worker 0 replaced after") }, "the exit says why: \(warnings)")
        let replacedAt = viewer.events("stats").last?["processed"] as? Int ?? 0
        XCTAssertTrue(eventually(timeout: 5) { (viewer.events("stats").last?["processed"] as? Int ?? 0) > replacedAt + 10 },
                      "the replacement processes frames")
        XCTAssertTrue(eventually(timeout: 2) { workerField(viewer, "stalled") == false }, "the new worker is not stalled")

        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM)
        let last = try XCTUnwrap(viewer.events("stats").last)
        XCTAssertEqual(last["restarts"] as? Int, 1, "one replacement, no more")
    }

    func testStallLimitsThatCannotWorkAreRefusedAtStart() throws {
        for (arguments, named) in [(["--stall-warning", "5", "--stall-kill", "2"], "--stall-kill"),
                                   (["--stall-warning", "0"], "--stall-warning")] {
            let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless"] + arguments)
            XCTAssertEqual(viewer.waitForExit(timeout: 10), 64, "a usage error: \(arguments)")
            XCTAssertTrue(viewer.standardError.contains(named), viewer.standardError)
        }
    }
}

/// The warning lines about workers (stalls, replacements, exits), in order.
private func stallWarnings(_ viewer: DetviewProcess) -> [String] {
    viewer.events("warning").compactMap { $0["message"] as? String }.filter { $0.hasPrefix("worker") }
}

/// A field of worker 0 in the latest stats line.
private func workerField(_ viewer: DetviewProcess, _ name: String) -> Bool? {
    let workers = viewer.events("stats").last?["workers"] as? [[String: Any]]
    return workers?.first?[name] as? Bool
}
