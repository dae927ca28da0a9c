import Foundation
import XCTest

/// Issue 12, defect 1: workers and the demo simulator must live exactly as long as the viewer.
/// PR_SET_PDEATHSIG fires when the *thread* that spawned a child exits; children spawned from
/// a concurrency-runtime pool thread were SIGKILLed whenever the runtime retired that thread
/// (about 5 s idle, and after a SIGSTOP/SIGCONT of the viewer).
final class WorkerLifetimeTests: XCTestCase {
    /// The one long test of this suite: 15 s, with a stop and continue in the middle, of an idle
    /// viewer (no sender) and, beside it, a `--demo` viewer (a worker and the simulator child).
    func testIdleAndStoppedViewersKeepTheirChildren() throws {
        let idle = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless",
                                       "--stats-interval", "0", "--workers", "2"])
        defer { idle.signal(SIGKILL) }
        let demo = try DetviewProcess(["view", "--demo", "--demo-rate", "20", "--headless", "--stats-interval", "0",
                                       "--workers", "1"])
        defer { demo.signal(SIGKILL) }
        XCTAssertTrue(eventually(timeout: 10) { children(of: idle.pid).count == 2 }, "two workers start")
        XCTAssertTrue(eventually(timeout: 10) { children(of: demo.pid).count == 2 }, "a worker and the simulator start")
        let workers = Set(children(of: idle.pid))
        let demoChildren = Set(children(of: demo.pid))

        // Idle past the runtime's retirement of idle pool threads (about 5 s).
        XCTAssertTrue(idle.keepsRunning(for: 6), "the idle viewer runs on")
        XCTAssertEqual(Set(children(of: idle.pid)), workers, "the same workers after 6 s idle")

        // Ctrl-Z and fg: the stopped viewers' threads must not take their children with them.
        idle.signal(SIGSTOP)
        demo.signal(SIGSTOP)
        XCTAssertTrue(idle.keepsRunning(for: 6), "a stopped viewer does not end")
        idle.signal(SIGCONT)
        demo.signal(SIGCONT)
        XCTAssertTrue(demo.keepsRunning(for: 3), "the demo viewer runs on after fg")
        XCTAssertEqual(Set(children(of: idle.pid)), workers, "the same workers after SIGSTOP/SIGCONT and 15 s")
        XCTAssertTrue(workers.allSatisfy(isAlive), "both workers still run")
        XCTAssertEqual(Set(children(of: demo.pid)), demoChildren, "the demo's worker and simulator survive the stop")

        for viewer in [idle, demo] {
            viewer.signal(SIGTERM)
            XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM)
            let stats = try XCTUnwrap(viewer.events("stats").last, "the final stats line")
            XCTAssertEqual(stats["restarts"] as? Int, 0, "no worker was restarted")
            let deaths = viewer.events("warning").compactMap { $0["message"] as? String }
                .filter { $0.hasPrefix("worker") || $0.hasPrefix("demo simulator") }
            XCTAssertEqual(deaths, [], "no child death was reported")
        }
    }
}
