import TerminalUI
import XCTest

/// Only cells that look different are written: the change-only diff with a perceptual threshold.
final class VisibleChangeTests: XCTestCase {
    private func heatmapLike(_ width: Int, _ height: Int, shade: UInt8) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                buffer[x, y] = Cell("▀", style: Style(fg: .rgb(shade, UInt8(x * 2), 90), bg: .rgb(40, UInt8(y * 4), shade)))
            }
        }
        return buffer
    }

    func testOnlyTheChangedCellsAreReported() {
        let before = heatmapLike(40, 10, shade: 100)
        var after = before
        let changed = [(3, 1), (17, 4), (39, 9)]
        for (x, y) in changed { after[x, y] = Cell("▀", style: Style(fg: .rgb(250, 20, 20), bg: .rgb(0, 0, 0))) }
        after[5, 5] = Cell("x", style: before[5, 5].style)   // same colours, another character
        let reported = after.visibleChanges(from: before, tolerance: .invisible)
        XCTAssertEqual(reported.map { [$0.x, $0.y] }, [[3, 1], [17, 4], [5, 5], [39, 9]])
    }

    func testAColourChangeBelowTheThresholdIsNotReported() {
        let before = heatmapLike(40, 10, shade: 100)
        let after = heatmapLike(40, 10, shade: 101)   // one step of 255 in red and blue: invisible
        XCTAssertEqual(after.visibleChanges(from: before, tolerance: .invisible).count, 0)
        XCTAssertEqual(after.visibleChanges(from: before, tolerance: .exact).count, 400, "exact compares every bit")
        let visible = heatmapLike(40, 10, shade: 160)
        XCTAssertEqual(visible.visibleChanges(from: before, tolerance: .invisible).count, 400)
    }

    func testTheHeatmapAreaMayHaveACoarserThreshold() {
        let before = heatmapLike(40, 10, shade: 100)
        let after = heatmapLike(40, 10, shade: 120)   // visible at the default, not at 0.1
        XCTAssertEqual(after.visibleChanges(from: before, tolerance: .invisible).count, 400)
        let heatmap = Rect(x: 10, y: 2, width: 20, height: 5)
        let changes = after.visibleChanges(from: before, tolerance: .invisible, area: heatmap,
                                           areaTolerance: PerceptualTolerance(threshold: 0.1))
        XCTAssertEqual(changes.count, 400 - 100, "only outside the area")
        XCTAssertFalse(changes.contains { heatmap.contains(x: $0.x, y: $0.y) })
        var character = after
        character[12, 3] = Cell("x", style: after[12, 3].style)
        XCTAssertTrue(character.visibleChanges(from: before, tolerance: .invisible, area: heatmap,
                                               areaTolerance: PerceptualTolerance(threshold: 0.1))
            .contains { $0.x == 12 && $0.y == 3 }, "another character is always written")
    }

    func testFixedPaletteEntriesLookTheSameOnlyUnderARaisedThreshold() {
        var before = Buffer(width: 3, height: 1)
        before[0, 0] = Cell("▀", style: Style(fg: .indexed(244), bg: .indexed(244)))   // grey ramp
        before[1, 0] = Cell("▀", style: Style(fg: .indexed(3), bg: .indexed(3)))       // an ANSI colour
        before[2, 0] = Cell("▀", style: Style(fg: .indexed(244), bg: .default))
        var after = before
        after[0, 0].style = Style(fg: .indexed(245), bg: .indexed(245))   // next grey: 10 steps of 255 brighter
        after[1, 0].style = Style(fg: .indexed(11), bg: .indexed(11))     // the user may have redefined it
        after[2, 0].style = Style(fg: .indexed(244), bg: .indexed(0))
        XCTAssertEqual(after.visibleChanges(from: before, tolerance: .invisible).map(\.x), [0, 1, 2])
        XCTAssertEqual(after.visibleChanges(from: before, tolerance: PerceptualTolerance(threshold: 0.1)).map(\.x), [1, 2],
                       "adjacent greys look alike at 0.1; ANSI and default colours are compared exactly")
    }

    func testPaletteColoursAndAttributesAreComparedExactly() {
        var before = Buffer(width: 2, height: 1)
        before[0, 0] = Cell("a", style: Style(fg: .indexed(16)))
        before[1, 0] = Cell("b", style: Style(fg: .rgb(10, 10, 10)))
        var after = before
        after[0, 0].style.fg = .indexed(17)
        after[1, 0].style.bold = true
        XCTAssertEqual(after.visibleChanges(from: before, tolerance: .invisible).count, 2)
    }

    func testOKLabOfWhiteAndBlack() {
        let white = PerceptualTolerance.oklab(255, 255, 255), black = PerceptualTolerance.oklab(0, 0, 0)
        XCTAssertEqual(white.0, 1, accuracy: 1e-3)
        XCTAssertEqual(white.1, 0, accuracy: 1e-3)
        XCTAssertEqual(black.0, 0, accuracy: 1e-6)
    }

    func testCopyTakesTheRectangleFromTheOtherBuffer() {
        let a = heatmapLike(10, 4, shade: 10)
        var b = heatmapLike(10, 4, shade: 200)
        b.copy(Rect(x: 2, y: 1, width: 3, height: 2), from: a)
        XCTAssertEqual(b[2, 1], a[2, 1])
        XCTAssertEqual(b[4, 2], a[4, 2])
        XCTAssertNotEqual(b[5, 2], a[5, 2])
    }
}
