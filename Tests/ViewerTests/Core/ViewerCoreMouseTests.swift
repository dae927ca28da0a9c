import Processing
import SharedMemory
import TerminalUI
import XCTest
@testable import Viewer

/// `--mouse`: on (the default) the core acts on clicks; off it does not, should one come.
final class ViewerCoreMouseTests: XCTestCase {
    private func clickedCore(mouse: Bool?) -> ViewerCore {
        var harness = CoreHarness(interactive: true) { config in
            if let mouse { config.mouse = mouse }
        }
        harness.feed(.resized(width: 120, height: 40))
        harness.feed(.ingest([.seriesStarted(seriesInfo(width: 1024, height: 512))], harness.counters(received: 0)))
        harness.feed(.key(.mouse(MouseEvent(.press, column: 30, row: 15))))
        harness.feed(.key(.mouse(MouseEvent(.wheelUp, column: 30, row: 15))))
        return harness.core
    }

    func testMouseOnIsTheDefaultAndAClickStartsTheInspector() {
        XCTAssertTrue(ViewerConfig(receiver: .init(endpoints: ["tcp://h:1"], maxFrameBytes: 1), workers: 1).mouse)
        let core = clickedCore(mouse: nil)
        XCTAssertTrue(core.screen.inspecting)
        XCTAssertFalse(core.screen.viewport.isFitted)
    }

    func testMouseOffIgnoresClicksAndTheWheel() {
        let core = clickedCore(mouse: false)
        XCTAssertFalse(core.settings.mouse)
        XCTAssertFalse(core.screen.inspecting)
        XCTAssertNil(core.screen.cursor)
        XCTAssertTrue(core.screen.viewport.isFitted)
    }
}
