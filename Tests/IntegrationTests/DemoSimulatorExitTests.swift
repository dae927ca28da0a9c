import Foundation
import XCTest

/// Issue 12, defect 9: the `--demo` simulator child ends promptly when its viewer goes. It
/// closed its socket with a 2 s linger, waiting to deliver an end header to a viewer that was
/// gone (or had already stopped reading), so it outlived a killed viewer by 2 s and held a
/// quitting viewer for its 1 s grace before being killed.
final class DemoSimulatorExitTests: XCTestCase {
    /// The demo viewer once frames flow, and its simulator child's pid.
    private func demoWithSimulator() throws -> (DetviewProcess, pid_t) {
        let viewer = try DetviewProcess(["view", "--demo", "--demo-rate", "50", "--headless", "--stats-interval", "0.1",
                                         "--workers", "1"])
        XCTAssertTrue(eventually(timeout: 20) { (viewer.events("stats").last?["received"] as? Int ?? 0) > 0 },
                      "frames flow; stderr: \(viewer.standardError)")
        let simulator = children(of: viewer.pid).first { child in
            let commandLine = (try? String(contentsOfFile: "/proc/\(child)/cmdline", encoding: .utf8)) ?? ""
            return commandLine.split(separator: "\0").contains("simulate")
        }
        return (viewer, try XCTUnwrap(simulator, "the demo simulator child"))
    }

    func testTheSimulatorEndsWithinHalfASecondOfItsViewersKill() throws {
        let (viewer, simulator) = try demoWithSimulator()
        viewer.signal(SIGKILL)
        let killed = Date()
        XCTAssertTrue(eventually(timeout: 5) { !isAlive(simulator) }, "the simulator ends")
        let took = Date().timeIntervalSince(killed)
        XCTAssertLessThan(took, 0.5, "the simulator outlived its viewer by \(took) s")
        viewer.waitForExit(timeout: 10)
    }

    func testAQuittingDemoViewerDoesNotWaitForItsSimulator() throws {
        let (viewer, _) = try demoWithSimulator()
        let asked = Date()
        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM, viewer.standardError)
        let took = Date().timeIntervalSince(asked)
        XCTAssertLessThan(took, 0.5, "the viewer took \(took) s to quit")
    }
}
