import TerminalUI
import XCTest

final class HeatmapWidgetTests: XCTestCase {
    /// Values 0…255 on a 0…255 linear scale land on `indexRamp` entry = value.
    private func heatmap(_ pixels: [Float], width: Int, height: Int, log: Bool = false,
                         glyphs: HeatmapWidget.Glyphs = .halfBlocks) -> HeatmapWidget {
        HeatmapWidget(pixels: pixels, width: width, height: height, low: 0, high: 255, logScale: log,
                      ramp: indexRamp, glyphs: glyphs, gapColor: .rgb(1, 2, 3))
    }

    func testHalfBlockUpperPixelIsForegroundLowerIsBackground() {
        var b = Buffer(width: 2, height: 2)
        heatmap([10, 20, 30, 40, 50, 60, 70, 80], width: 2, height: 4).render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "▀▀\n▀▀")
        XCTAssertEqual(b[0, 0].style.fg, .indexed(10))
        XCTAssertEqual(b[0, 0].style.bg, .indexed(30))
        XCTAssertEqual(b[1, 1].style.fg, .indexed(60))
        XCTAssertEqual(b[1, 1].style.bg, .indexed(80))
    }

    /// A mark replaces its pixel's cell with a symbol in the mark colour on the pixel's own
    /// colour; marks outside the image are ignored.
    func testMarksAreDrawnOnTheirPixelsCell() {
        var b = Buffer(width: 2, height: 2)
        var widget = heatmap([10, 20, 30, 40, 50, 60, 70, 80], width: 2, height: 4)
        widget.marks = [(x: 1, y: 3), (x: 5, y: 0), (x: -1, y: 1)]
        widget.markColor = .rgb(9, 9, 9)
        widget.render(in: b.area, into: &b)
        XCTAssertEqual(b.text, "▀▀\n▀◆", "pixel (1, 3) is the lower half of cell (1, 1)")
        XCTAssertEqual(b[1, 1].style.fg, .rgb(9, 9, 9))
        XCTAssertEqual(b[1, 1].style.bg, .indexed(80), "on the marked pixel's colour")
        var ascii = Buffer(width: 2, height: 2)
        widget.glyphs = .ascii
        widget.render(in: ascii.area, into: &ascii)
        XCTAssertEqual(ascii[1, 1].symbol, "x")
    }

    func testImageIsCentredInALargerArea() {
        var b = Buffer(width: 8, height: 5)
        heatmap([1, 2, 3, 4], width: 2, height: 2).render(in: Rect(x: 1, y: 1, width: 6, height: 3), into: &b)
        // 2×1 cells in a 6×3 area at (1,1): origin (1 + 2, 1 + 1).
        XCTAssertEqual(b.text, "        \n        \n   ▀▀   \n        \n        ")
        XCTAssertEqual(b[3, 2].style.fg, .indexed(1))
        XCTAssertEqual(b[4, 2].style.bg, .indexed(4))
    }

    func testImageLargerThanTheAreaKeepsItsCentre() {
        var b = Buffer(width: 2, height: 1)
        heatmap([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15], width: 6, height: 2).render(in: b.area, into: &b)
        XCTAssertEqual(b[0, 0].style.fg, .indexed(2))
        XCTAssertEqual(b[1, 0].style.fg, .indexed(3))
        XCTAssertEqual(b[1, 0].style.bg, .indexed(13))
    }

    func testOddHeightLeavesTheLastLowerHalfDefault() {
        var b = Buffer(width: 1, height: 2)
        heatmap([5, 6, 7], width: 1, height: 3).render(in: b.area, into: &b)
        XCTAssertEqual(b[0, 1].style.fg, .indexed(7))
        XCTAssertEqual(b[0, 1].style.bg, .default)
    }

    func testMaskedPixelsTakeTheGapColour() {
        var b = Buffer(width: 2, height: 1)
        heatmap([.nan, 100, 200, .nan], width: 2, height: 2).render(in: b.area, into: &b)
        XCTAssertEqual(b[0, 0].style.fg, .rgb(1, 2, 3))
        XCTAssertEqual(b[0, 0].style.bg, .indexed(200))
        XCTAssertEqual(b[1, 0].style.fg, .indexed(100))
        XCTAssertEqual(b[1, 0].style.bg, .rgb(1, 2, 3))
    }

    func testMissingPixelsAreMaskedNotACrash() {
        var b = Buffer(width: 2, height: 1)
        heatmap([100], width: 2, height: 2).render(in: b.area, into: &b)
        XCTAssertEqual(b[0, 0].style.fg, .indexed(100))
        XCTAssertEqual(b[1, 0].style.fg, .rgb(1, 2, 3))
    }

    func testValuesClampToTheLimits() {
        var b = Buffer(width: 2, height: 2)
        heatmap([-50, 1e9, .infinity, -.infinity], width: 2, height: 2).render(in: b.area, into: &b)
        XCTAssertEqual(b[0, 0].style.fg, .indexed(0))
        XCTAssertEqual(b[1, 0].style.fg, .indexed(255))
        XCTAssertEqual(b[0, 0].style.bg, .indexed(255))
        XCTAssertEqual(b[1, 0].style.bg, .indexed(0))
    }

    func testLogScaleKeepsOrderAndLiftsLowValues() {
        let values: [Float] = [0, 1, 10, 100, 1000, 10000]
        func indices(log: Bool) -> [Int] {
            var b = Buffer(width: values.count, height: 1)
            HeatmapWidget(pixels: values + values, width: values.count, height: 2, low: 0, high: 10000,
                          logScale: log, ramp: indexRamp).render(in: b.area, into: &b)
            return (0..<values.count).compactMap { index(of: b[$0, 0].style.fg) }
        }
        let logIndices = indices(log: true), linear = indices(log: false)
        XCTAssertEqual(logIndices.first, 0)
        XCTAssertEqual(logIndices.last, 255)
        XCTAssertEqual(logIndices, logIndices.sorted())
        XCTAssertEqual(Set(logIndices).count, values.count, "every decade gets its own colour")
        XCTAssertGreaterThan(logIndices[2], linear[2])
    }

    func testLogScaleWorksWithNegativeLowLimit() {
        let scale = IntensityScale(low: -10, high: 90, logScale: true)
        XCTAssertEqual(scale.normalized(-10), 0)
        XCTAssertEqual(scale.normalized(90), 1)
        let mid = scale.normalized(0)
        XCTAssertGreaterThan(mid, 0.5)  // log lifts values near low
        XCTAssertLessThan(mid, 1)
        XCTAssertLessThan(scale.normalized(-5), mid)
    }

    func testDegenerateLimitsDoNotDivideByZero() {
        let scale = IntensityScale(low: 5, high: 5, logScale: true)
        XCTAssertEqual(scale.normalized(5), 0)
        XCTAssertEqual(scale.normalized(6), 1)
        XCTAssertEqual(IntensityScale(low: 9, high: 1, logScale: false).normalized(3), 0)
    }

    func testAsciiModeUsesTheRampOfTheMeanOfTwoPixels() {
        var b = Buffer(width: 5, height: 1)
        // Columns (upper, lower): (0,0) (255,255) (0,255) (NaN,255) (NaN,NaN).
        heatmap([0, 255, 0, .nan, .nan, 0, 255, 255, 255, .nan], width: 5, height: 2, glyphs: .ascii)
            .render(in: b.area, into: &b)
        XCTAssertEqual(b.text, " @+@ ")
        XCTAssertEqual(b[2, 0].style.fg, .indexed(128))
        XCTAssertEqual(b[1, 0].style.fg, .indexed(255))
        XCTAssertEqual(b[4, 0].style.bg, .rgb(1, 2, 3))
    }

    func testAsciiRampCoversTenLevels() {
        let symbols = (0...9).map { AsciiRamp.symbol(at: (Float($0) + 0.5) / 10) }
        XCTAssertEqual(String(String.UnicodeScalarView(symbols)), " .:-=+*#%@")
        XCTAssertEqual(AsciiRamp.symbol(at: 1), "@")
        XCTAssertEqual(AsciiRamp.symbol(at: -3), " ")
    }
}
