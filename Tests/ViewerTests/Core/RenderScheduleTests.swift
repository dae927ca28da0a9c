import TerminalUI
import Viewer
import XCTest

/// When the screen is drawn: at most maxRenderRate times a second, only after a change.
final class RenderScheduleTests: XCTestCase {
    /// 30 renders a second: 33.3 ms apart.
    let interval = UInt64(1e9 / 30)

    func testTheFirstScreenIsDrawnAtStart() {
        var h = CoreHarness(interactive: true)
        XCTAssertTrue(h.feed(.started).contains(.render(heatmap: true)))
        h.feed(.rendered(bytes: 0))
        XCTAssertEqual(h.feed(.settled), [], "nothing changed since")
    }

    func testAChangeLongAfterTheLastDrawingIsDrawnAtOnce() {
        var h = CoreHarness(interactive: true)
        h.feed(.started)
        h.feed(.rendered(bytes: 0))
        h.feed(.key(.character("l")), after: interval)
        XCTAssertEqual(h.feed(.settled), [.render(heatmap: true)])
    }

    func testAChangeSoonAfterADrawingArmsTheTimerForTheRestOfTheInterval() {
        var h = CoreHarness(interactive: true)
        h.feed(.started)
        h.feed(.rendered(bytes: 0))
        h.feed(.key(.character("l")), after: 10_000_000)
        XCTAssertEqual(h.feed(.settled), [.armRenderTimer(nanoseconds: interval - 10_000_000)])
        h.feed(.key(.character("l")), after: 1_000_000)
        XCTAssertEqual(h.feed(.settled), [], "the timer is already armed")
        XCTAssertEqual(h.feed(.renderTimerFired, after: interval), [.render(heatmap: true)])
    }

    func testAResizeIsDrawnWithoutWaiting() {
        var h = CoreHarness(interactive: true)
        h.feed(.started)
        h.feed(.rendered(bytes: 0))
        XCTAssertTrue(h.feed(.resized(width: 80, height: 24), after: 1_000).contains(.render(heatmap: true)))
    }

    func testHeadlessNeverDraws() {
        var h = CoreHarness(headless: headless())
        XCTAssertFalse(h.feed(.started).contains(.render(heatmap: true)))
        h.feed(.statsTick(h.counters(received: 1)), after: 5 * interval)
        XCTAssertEqual(h.feed(.settled), [])
    }

    func testNothingIsDrawnOnceQuitting() {
        var h = CoreHarness(interactive: true)
        h.feed(.started)
        h.feed(.rendered(bytes: 0))
        h.feed(.key(.character("q")), after: interval)
        XCTAssertEqual(h.feed(.settled), [])
    }
}
