import TerminalUI
import XCTest

final class ColorBarWidgetTests: XCTestCase {
    func testVerticalBarRunsFromHighAtTopToLowAtBottomWithLimits() {
        var b = Buffer(width: 8, height: 4)
        ColorBarWidget(ramp: indexRamp, low: 0, high: 100, logScale: true).render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "▀▀ 100  \n▀▀      \n▀▀ log  \n▀▀ 0    ")
        XCTAssertEqual(b[0, 0].style.fg, .indexed(255))
        XCTAssertEqual(b[1, 0].style.fg, .indexed(255))
        XCTAssertEqual(b[0, 3].style.bg, .indexed(0))
        let fgs = (0..<4).compactMap { index(of: b[0, $0].style.fg) }
        XCTAssertEqual(fgs, fgs.sorted(by: >), "colours fall from top to bottom")
    }

    func testLinearScaleShowsNoLogLabel() {
        var b = Buffer(width: 8, height: 4)
        ColorBarWidget(ramp: indexRamp, low: 0, high: 100).render(in: b.area, into: &b)
        XCTAssertFalse(b.text.contains("log"))
    }

    func testHorizontalBarWithLabelsUnderneath() {
        var b = Buffer(width: 10, height: 2)
        ColorBarWidget(ramp: indexRamp, low: 0, high: 5.5, logScale: true, orientation: .horizontal)
            .render(in: b.area, into: &b)
        XCTAssertEqual(b.row(1), "0  log 5.5")
        XCTAssertEqual(b[0, 0].style.fg, .indexed(0))
        XCTAssertEqual(b[9, 0].style.fg, .indexed(255))
    }

    func testAsciiBarUsesTheRampCharacters() {
        var b = Buffer(width: 2, height: 10)
        ColorBarWidget(ramp: indexRamp, low: 0, high: 1, glyphs: .ascii).render(in: b.area, into: &b)
        XCTAssertEqual(b[0, 0].symbol, "@")
        XCTAssertEqual(b[0, 9].symbol, " ")
        XCTAssertEqual(b[0, 0].style.fg, .indexed(255))
    }
}
