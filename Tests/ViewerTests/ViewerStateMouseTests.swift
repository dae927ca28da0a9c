import Processing
import TerminalUI
import XCTest
@testable import Viewer

/// The reducer's mouse: the wheel zooms around the pointed pixel, a click places the inspector's
/// cursor, and nothing happens off the heatmap or under the help overlay.
final class ViewerStateMouseTests: XCTestCase {
    /// A 120 × 40 terminal (an 88 × 72 pixel heatmap) showing a 1024 × 512 series.
    private let ready = ViewerState(source: "tcp://host:9999")
        .reduced(.resized(width: 120, height: 40), .seriesStarted(seriesInfo(width: 1024, height: 512)))

    private func mouse(_ action: MouseEvent.Action, _ column: Int, _ row: Int) -> ViewerEvent {
        .key(.mouse(MouseEvent(action, column: column, row: row)))
    }

    func testTheWheelZoomsInAndOutKeepingThePointedPixelUnderThePointer() {
        // A square frame: from the first level in, neither axis shows the whole frame, so both
        // can keep the pixel in place. Cells off the centre in every direction, so a zoom around
        // the centre would move them, and far enough from the frame's edges to be kept.
        let square = ViewerState(source: "tcp://host:9999")
            .reduced(.resized(width: 120, height: 40), .seriesStarted(seriesInfo(width: 1024, height: 1024)))
        for (column, row) in [(25, 12), (70, 28), (30, 20), (60, 14)] {
            var state = square
            let pointed = state.pixel(atColumn: column, row: row)!
            for step in 1...5 {
                let before = state.viewGeometry!
                state = state.reduced(mouse(.wheelUp, column, row))
                let after = state.viewGeometry!
                // The first level is the power of two above the fitted scale, then ×2 each.
                XCTAssertEqual(after.scale, step == 1 ? 0.125 : before.scale * 2, "one level in")
                let now = state.pixel(atColumn: column, row: row)!
                XCTAssertTrue(now == pointed, "wheel up \(step) at \(column),\(row): \(now) is under the pointer, not \(pointed)")
            }
            XCTAssertNotEqual(state.viewport, square.reduced(key("z"), key("z"), key("z"), key("z"), key("z")).viewport,
                              "not the zoom around the centre")
            for step in 1...4 {
                state = state.reduced(mouse(.wheelDown, column, row))
                let now = state.pixel(atColumn: column, row: row)!
                XCTAssertTrue(now == pointed, "wheel down \(step) at \(column),\(row): \(now) is under the pointer, not \(pointed)")
            }
            XCTAssertTrue(state.reduced(mouse(.wheelDown, column, row)).viewport.isFitted, "the last roll out fits the frame")
        }
    }

    func testWhereTheWholeHeightStaysShownTheWheelKeepsThePixelsColumn() {
        // 1024 × 512 at the first level in: 704 of 1024 columns, all 512 rows (nothing to move).
        let pointed = ready.pixel(atColumn: 10, row: 12)!
        let state = ready.reduced(mouse(.wheelUp, 10, 12))
        XCTAssertEqual(state.viewGeometry!.region.height, 512)
        XCTAssertEqual(state.pixel(atColumn: 10, row: 12)?.x, pointed.x)
    }

    func testTheWheelSaysTheZoomAndThePixelItKeeps() {
        let state = ready.reduced(mouse(.wheelUp, 10, 12))
        let g = state.viewGeometry!, p = ready.pixel(atColumn: 10, row: 12)!
        XCTAssertEqual(state.status?.text, "zoom \(ViewerState.zoomText(g)) \(ViewerState.regionText(g.region)) around \(p.x),\(p.y)")
        XCTAssertFalse(state.inspecting, "the wheel does not turn the inspector on")
        XCTAssertNil(state.cursor)
    }

    func testAClickStartsTheInspectorAtTheClickedPixelAndASecondMovesIt() {
        let zoomed = ready.reduced(key("z"), key("z"), key("z"), key("z"), key("z"))   // 1 px → 2×2 display pixels
        let g = zoomed.viewGeometry!
        XCTAssertEqual(g.scale, 2)
        // The image fills the 88 × 36 cell interior from (1, 2): a cell is one pixel wide, one pixel tall.
        let clicked = zoomed.reduced(mouse(.press, 1 + 10, 2 + 7))
        XCTAssertTrue(clicked.inspecting)
        XCTAssertEqual(clicked.cursorPixel?.x, g.region.x0 + 5)
        XCTAssertEqual(clicked.cursorPixel?.y, g.region.y0 + 7)
        XCTAssertEqual(clicked.viewport, zoomed.viewport, "a click does not move the view")
        XCTAssertNil(clicked.inspection, "no readout of another pixel is shown")
        let moved = clicked.reduced(mouse(.press, 1 + 40, 2 + 20))
        XCTAssertTrue(moved.inspecting)
        XCTAssertEqual(moved.cursorPixel?.x, g.region.x0 + 20)
        XCTAssertEqual(moved.cursorPixel?.y, g.region.y0 + 20)
        XCTAssertEqual(moved.status?.text, "cursor \(g.region.x0 + 20),\(g.region.y0 + 20) (inspector: arrows move it, i or Escape hides it)")
        // The arrows then move the cursor from there, as after `i`.
        XCTAssertEqual(moved.reduced(.key(.right)).cursorPixel?.x, g.region.x0 + 21)
    }

    func testTheMouseOffTheHeatmapDoesNothing() {
        let zoomed = ready.reduced(key("z"))
        // The heatmap's border, the panel, the title and the status line, and the margin of a
        // narrower image (the fitted 88 × 44 image leaves rows 2…8 of the interior empty).
        for (column, row) in [(0, 10), (89, 10), (100, 10), (40, 0), (40, 39)] {
            for action in [MouseEvent.Action.press, .wheelUp, .wheelDown] {
                let state = zoomed.reduced(mouse(action, column, row))
                XCTAssertFalse(state.inspecting, "\(action) at \(column),\(row)")
                XCTAssertEqual(state.viewport, zoomed.viewport, "\(action) at \(column),\(row)")
                XCTAssertEqual(state.status, zoomed.status, "\(action) at \(column),\(row)")
            }
        }
        let fitted = ready.reduced(mouse(.press, 40, 3), mouse(.wheelUp, 40, 3))
        XCTAssertFalse(fitted.inspecting)
        XCTAssertTrue(fitted.viewport.isFitted)
    }

    func testTheMouseBeforeAnyFrameDoesNothing() {
        let state = ViewerState(source: "x").reduced(.resized(width: 120, height: 40), mouse(.press, 40, 20), mouse(.wheelUp, 40, 20))
        XCTAssertFalse(state.inspecting)
        XCTAssertTrue(state.viewport.isFitted)
    }

    func testUnderTheHelpOverlayTheMouseNeitherPagesNorClosesIt() {
        let help = ready.reduced(.resized(width: 80, height: 24), key("?"))
        XCTAssertTrue(help.showHelp)
        for action in [MouseEvent.Action.press, .wheelUp, .wheelDown] {
            let state = help.reduced(mouse(action, 30, 10))
            XCTAssertTrue(state.showHelp, "\(action)")
            XCTAssertEqual(state.helpPage, help.helpPage, "\(action)")
            XCTAssertFalse(state.inspecting, "\(action)")
            XCTAssertEqual(state.viewport, help.viewport, "\(action)")
        }
    }

    func testWhileARegionIsDrawnAClickDoesNotMoveTheCursor() {
        let drawing = ready.reduced(key("i"), key("R"))
        XCTAssertNotNil(drawing.regions.drawing)
        let state = drawing.reduced(mouse(.press, 30, 15))
        XCTAssertEqual(state.cursor, drawing.cursor)
        XCTAssertEqual(state.regions.drawing, drawing.regions.drawing)
        XCTAssertEqual(state.status?.text, "drawing a region: Enter fixes it, Esc drops it")
    }

    func testTheWheelWhilePausedGoesLiveAsZDoes() {
        let image = DisplayImage(series: 1, frameNumber: 1, frameWidth: 1024, frameHeight: 512, width: 88, height: 44,
                                 pixels: [Float](repeating: 1, count: 88 * 44),
                                 stats: FrameStats(sum: 1, min: 1, max: 1, mean: 1, masked: 0, count: 1))
        let paused = ready.reduced(.image(image), key(" "))
        XCTAssertTrue(paused.history.isPaused)
        XCTAssertFalse(paused.reduced(mouse(.wheelUp, 30, 15)).history.isPaused)
    }
}
