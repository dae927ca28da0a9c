import TerminalUI
import XCTest

final class MeterWidgetTests: XCTestCase {
    private func row(_ fraction: Double, width: Int = 20) -> (String, Buffer) {
        var b = Buffer(width: width, height: 1)
        MeterWidget(label: "w0", fraction: fraction).render(in: b.area, into: &b)
        return (b.row(0), b)
    }

    func testHalfLoadFillsHalfTheBar() {
        XCTAssertEqual(row(0.5).0, "w0 ██████░░░░░░  50%")
    }

    func testEmptyAndFullBars() {
        XCTAssertEqual(row(0).0, "w0 ░░░░░░░░░░░░   0%")
        XCTAssertEqual(row(1).0, "w0 ████████████ 100%")
    }

    func testOutOfRangeFractionsClamp() {
        XCTAssertEqual(row(1.7).0, row(1).0)
        XCTAssertEqual(row(-0.3).0, row(0).0)
        XCTAssertEqual(row(.nan).0, row(0).0)
        XCTAssertEqual(MeterWidget(label: "", fraction: 3).filledCells(barWidth: 7), 7)
    }

    func testColourFollowsLoad() {
        XCTAssertEqual(row(0.3).1[3, 0].style.fg, .indexed(2))
        XCTAssertEqual(row(0.6).1[3, 0].style.fg, .indexed(3))
        XCTAssertEqual(row(0.9).1[3, 0].style.fg, .indexed(1))
    }

    func testLabelWidthAlignsBarsAndTextOverridesPercent() {
        var b = Buffer(width: 12, height: 1)
        MeterWidget(label: "q", fraction: 0.5, text: "3/8", labelWidth: 3, glyphs: .ascii).render(in: b.area, into: &b)
        XCTAssertEqual(b.row(0), "q   ##.  3/8")
    }
}

final class KeyValueWidgetTests: XCTestCase {
    func testValuesAreRightAlignedAndRowsBeyondTheHeightDropped() {
        let red = Style(fg: .indexed(1))
        var b = Buffer(width: 14, height: 2)
        KeyValueWidget(rows: [.counter("received", 1234), .counter("dropped", 3, alert: red), .counter("bad", 9)])
            .render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "received  1234\ndropped      3")
        XCTAssertEqual(b[13, 1].style, red)
        XCTAssertEqual(b[13, 0].style, .plain)
    }

    func testZeroCounterIsNotAlerted() {
        XCTAssertNil(KeyValueWidget.Row.counter("dropped", 0, alert: Style().bolded()).style)
    }

    func testLongLabelIsCutBeforeTheValue() {
        var b = Buffer(width: 10, height: 1)
        KeyValueWidget(rows: [KeyValueWidget.Row(label: "averyverylonglabel", value: "42")]).render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "averyve 42")
    }
}

final class StatusLineWidgetTests: XCTestCase {
    func testLeftAndRightTextInTheSeverityStyle() {
        var b = Buffer(width: 20, height: 2)
        let widget = StatusLineWidget(left: "bad frame", right: "q quit", severity: .error)
        widget.render(in: b.area, into: &b)
        XCTAssertEqual(b.row(0), "bad frame     q quit")
        XCTAssertEqual(b.row(1), String(repeating: " ", count: 20))
        XCTAssertTrue((0..<20).allSatisfy { b[$0, 0].style == widget.errorStyle })
    }

    func testRightTextIsDroppedWhenItWouldOverlapTheMessage() {
        var b = Buffer(width: 12, height: 1)
        StatusLineWidget(left: "bad frame", right: "q quit").render(in: b.area, into: &b)
        XCTAssertEqual(b.row(0), "bad frame   ")
    }
}

final class BlockAndHelpTests: XCTestCase {
    func testAsciiBlockBorderAndInnerArea() {
        var b = Buffer(width: 6, height: 3)
        let inner = BlockWidget(title: "T", glyphs: .ascii).draw(in: b.area, into: &b)
        XCTAssertEqual(b.text, "+- T-+\n|    |\n+----+")
        XCTAssertEqual(inner, Rect(x: 1, y: 1, width: 4, height: 1))
    }

    func testUnicodeBlockUsesBoxDrawing() {
        var b = Buffer(width: 4, height: 2)
        BlockWidget().render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "┌──┐\n└──┘")
    }

    func testHelpOverlayIsCentredAndClearsWhatIsUnder() {
        var b = Buffer(width: 20, height: 10, fill: Cell("x"))
        let help = HelpOverlayWidget(title: "Help", entries: [.init(key: "q", description: "quit"),
                                                              .init(key: "?", description: "help")])
        help.render(in: b.area, into: &b)
        XCTAssertEqual(help.box(in: b.area), Rect(x: 4, y: 3, width: 12, height: 4))
        XCTAssertEqual(b.row(3), "xxxx┌─ Help ───┐xxxx")
        XCTAssertEqual(b.row(4), "xxxx│ q  quit  │xxxx")
        XCTAssertEqual(b.row(5), "xxxx│ ?  help  │xxxx")
        XCTAssertEqual(b.row(6), "xxxx└──────────┘xxxx")
        XCTAssertEqual(b.row(2), String(repeating: "x", count: 20))
    }
}

final class SparklineWidgetTests: XCTestCase {
    func testOneRowInEighths() {
        var b = Buffer(width: 3, height: 1)
        SparklineWidget(values: [0, 4, 8], maximum: 8).render(in: b.area, into: &b)
        XCTAssertEqual(b.text, " ▄█")
    }

    func testTwoRowsAndOnlyTheNewestValues() {
        var b = Buffer(width: 3, height: 2)
        SparklineWidget(values: [8, 8, 0, 4, 8]).render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "  █\n ██")
    }

    func testAsciiLevels() {
        var b = Buffer(width: 2, height: 1)
        SparklineWidget(values: [1, 8], maximum: 8, glyphs: .ascii).render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "_#")
    }
}

final class TinyAreaTests: XCTestCase {
    private var widgets: [any Widget] {
        [
            HeatmapWidget(pixels: [1, 2, 3, 4], width: 2, height: 2, low: 0, high: 4, ramp: indexRamp),
            HeatmapWidget(pixels: [1, 2, 3, 4], width: 2, height: 2, low: 0, high: 4, ramp: indexRamp, glyphs: .ascii),
            HeatmapWidget(pixels: [], width: 0, height: 0, low: 0, high: 0, ramp: ColorRamp(colors: [])),
            ColorBarWidget(ramp: indexRamp, low: 0, high: 1, logScale: true),
            ColorBarWidget(ramp: indexRamp, low: 0, high: 1, orientation: .horizontal),
            MeterWidget(label: "worker", fraction: 0.5),
            KeyValueWidget(rows: [.counter("received", 1)]),
            StatusLineWidget(left: "left", right: "right"),
            HelpOverlayWidget(title: "Help", entries: [.init(key: "q", description: "quit")]),
            BlockWidget(title: "title"),
            SparklineWidget(values: [1, 2, 3]),
        ]
    }

    func testEveryWidgetIsSafeOnZeroAndOneCellAreasAndAreasOutsideTheBuffer() {
        for widget in widgets {
            var empty = Buffer(width: 0, height: 0)
            widget.render(in: .zero, into: &empty)
            widget.render(in: Rect(x: 0, y: 0, width: 5, height: 5), into: &empty)
            var one = Buffer(width: 1, height: 1)
            widget.render(in: one.area, into: &one)
            widget.render(in: Rect(x: -3, y: -3, width: 10, height: 10), into: &one)
            widget.render(in: Rect(x: 5, y: 5, width: 2, height: 2), into: &one)
            XCTAssertEqual(one.width * one.height, one.cells.count, "\(type(of: widget))")
        }
    }

    func testWidgetsDrawNothingOutsideTheirArea() {
        for widget in widgets {
            var b = Buffer(width: 12, height: 8, fill: Cell("x"))
            let area = Rect(x: 2, y: 2, width: 6, height: 3)
            widget.render(in: area, into: &b)
            for y in 0..<b.height {
                for x in 0..<b.width where !area.contains(x: x, y: y) {
                    XCTAssertEqual(b[x, y].symbol, "x", "\(type(of: widget)) drew at \(x),\(y)")
                }
            }
        }
    }
}

final class SparklineGapTests: XCTestCase {
    func testAKnownSeriesDrawsKnownGlyphsAndMarksItsGaps() {
        var b = Buffer(width: 6, height: 1)
        SparklineWidget(values: [0, 1, .nan, 4, 6, 8], maximum: 8, gapSymbol: "·").render(in: b.area, into: &b)
        XCTAssertEqual(b.text, " ▁·▄▆█")
    }

    func testWithoutAGapSymbolAGapDrawsNothingAsBefore() {
        var b = Buffer(width: 3, height: 1)
        SparklineWidget(values: [8, .nan, 8], maximum: 8).render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "█ █")
    }

    func testOnlyGapsStillShowTheirMarks() {
        var b = Buffer(width: 3, height: 2)
        SparklineWidget(values: [.nan, .nan], gapSymbol: ".").render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "   \n ..")
    }
}
