import Processing
import Viewer
import XCTest

/// The core's first state comes from the configuration.
final class ViewerCoreStateTests: XCTestCase {
    func testInitialStateFollowsTheConfiguration() {
        let h = CoreHarness(headless: headless(), workers: 3) {
            $0.mode = .threshold
            $0.processing.threshold = 42
            $0.processing.pattern = "ped,p,up"
            $0.processing.pedestalFrames = 500
        }
        let modes = h.core.screen.modes
        XCTAssertEqual(modes.mode, .threshold)
        XCTAssertEqual(modes.threshold, 42)
        XCTAssertTrue(modes.pumpProbe)
        XCTAssertEqual(modes.darkSeriesFrames, 500)
        XCTAssertEqual(modes.workerCount, 3)
        XCTAssertEqual(h.core.screen.source, "tcp://127.0.0.1:30001")
        XCTAssertNil(h.core.exitCode)
    }

    func testDitherOptionStartsWithDitheringOn() {
        XCTAssertFalse(CoreHarness(interactive: true).core.screen.dither, "off by default")
        XCTAssertTrue(CoreHarness(interactive: true) { $0.dither = true }.core.screen.dither)
    }

    func testTheDemoNamesItselfAsTheSource() {
        let h = CoreHarness(interactive: true) { $0.demoRate = 200 }
        XCTAssertEqual(h.core.screen.source, "demo (simulated MOENCH)")
    }
}
