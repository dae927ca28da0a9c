import Foundation
import XCTest

/// Issue 12, defect 1: workers must live exactly as long as the viewer. PR_SET_PDEATHSIG fires
/// when the *thread* that spawned a child exits; children spawned from a concurrency-runtime
/// pool thread were SIGKILLed whenever the runtime retired that thread (about 5 s idle, and
/// after a SIGSTOP/SIGCONT of the viewer).
final class WorkerLifetimeTests: XCTestCase {
    /// The one long test of this suite: 15 s of an idle viewer, with a stop and continue in the middle.
    func testIdleAndStoppedViewerKeepsItsWorkers() throws {
        let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless",
                                         "--stats-interval", "0", "--workers", "2"])
        defer { viewer.signal(SIGKILL) }
        XCTAssertTrue(eventually(timeout: 10) { children(of: viewer.pid).count == 2 }, "two workers start")
        let workers = Set(children(of: viewer.pid))

        // Idle past the runtime's retirement of idle pool threads (about 5 s).
        Thread.sleep(forTimeInterval: 7)
        XCTAssertEqual(Set(children(of: viewer.pid)), workers, "the same workers after 7 s idle")

        // Ctrl-Z and fg: the stopped viewer's threads must not take the workers with them.
        viewer.signal(SIGSTOP)
        Thread.sleep(forTimeInterval: 3)
        viewer.signal(SIGCONT)
        Thread.sleep(forTimeInterval: 5)
        XCTAssertEqual(Set(children(of: viewer.pid)), workers, "the same workers after SIGSTOP/SIGCONT and 15 s")
        XCTAssertTrue(workers.allSatisfy(isAlive), "both workers still run")

        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM)
        let stats = try XCTUnwrap(viewer.events("stats").last, "the final stats line")
        XCTAssertEqual(stats["restarts"] as? Int, 0, "no worker was restarted")
        let deaths = viewer.events("warning").compactMap { $0["message"] as? String }.filter { $0.hasPrefix("worker") }
        XCTAssertEqual(deaths, [], "no worker death was reported")
    }
}
