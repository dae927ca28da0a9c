import TerminalUI
import XCTest

final class HeatmapPictureTests: XCTestCase {
    private let ramp = ColorRamp(colors: [.rgb(0, 0, 0), .rgb(85, 85, 85), .rgb(170, 170, 170), .rgb(255, 255, 255)])

    /// Two image columns (0 and 1) over two cells four pixels wide: the picture interpolates
    /// between them, so it has more colours than the half blocks' two.
    func testPixelsBetweenImagePixelsAreInterpolated() throws {
        let widget = HeatmapWidget(pixels: [0, 1, 0, 1], width: 2, height: 2, low: 0, high: 1, ramp: ramp)
        let picture = try XCTUnwrap(HeatmapPicture.make(widget, in: Rect(x: 0, y: 0, width: 2, height: 1),
                                                        cellWidth: 4, cellHeight: 2, ramp: ramp))
        XCTAssertEqual(picture.cells, Rect(x: 0, y: 0, width: 2, height: 1))
        XCTAssertEqual(picture.width, 8)
        XCTAssertEqual(picture.height, 2)
        XCTAssertEqual(Array(picture.indices[0..<8]), [0, 0, 0, 1, 2, 3, 3, 3])
        XCTAssertEqual(Array(picture.indices[8..<16]), [0, 0, 0, 1, 2, 3, 3, 3])
        XCTAssertEqual(picture.palette.count, 6, "the ramp, the gap colour and the mark colour")
        XCTAssertEqual(picture.palette[3], .init(255, 255, 255))
    }

    /// True pixels: a 3 × 2 source in 4 × 2 cells of 5 × 6 pixels (20 × 12) is scaled by the
    /// whole factor 6 (square blocks, no interpolation: every block has its pixel's one colour),
    /// centred, with the pixels beside it in the gap colour; the picture covers the whole area.
    func testASourceIsDrawnAsSquareBlocksOfItsOwnPixels() throws {
        let widget = HeatmapWidget(pixels: [0, 1], width: 2, height: 1, low: 0, high: 1, ramp: ramp)
        let source = HeatmapPicture.Source(pixels: [0, 1, 0, 1, 0, 1], width: 3, height: 2)
        let picture = try XCTUnwrap(HeatmapPicture.make(widget, in: Rect(x: 10, y: 5, width: 4, height: 2),
                                                        cellWidth: 5, cellHeight: 6, ramp: ramp, source: source))
        XCTAssertEqual(picture.cells, Rect(x: 10, y: 5, width: 4, height: 2))
        XCTAssertEqual(picture.width, 20)
        XCTAssertEqual(picture.height, 12)
        let gap: UInt8 = 4
        let top = [gap] + [UInt8](repeating: 0, count: 6) + [UInt8](repeating: 3, count: 6) + [UInt8](repeating: 0, count: 6) + [gap]
        let bottom = [gap] + [UInt8](repeating: 3, count: 6) + [UInt8](repeating: 0, count: 6) + [UInt8](repeating: 3, count: 6) + [gap]
        for y in 0..<12 {
            XCTAssertEqual(Array(picture.indices[(y * 20)..<(y * 20 + 20)]), y < 6 ? top : bottom, "row \(y)")
        }
    }

    /// A source larger than the cells can show (the cell size shrank after the workers were
    /// told) is scaled down to fit, never past the cells.
    func testALargerSourceIsScaledDownToTheArea() throws {
        let widget = HeatmapWidget(pixels: [0], width: 1, height: 1, low: 0, high: 1, ramp: ramp)
        let source = HeatmapPicture.Source(pixels: [Float](repeating: 1, count: 40 * 20), width: 40, height: 20)
        let picture = try XCTUnwrap(HeatmapPicture.make(widget, in: Rect(x: 0, y: 0, width: 2, height: 2),
                                                        cellWidth: 5, cellHeight: 5, ramp: ramp, source: source))
        XCTAssertEqual(picture.cells, Rect(x: 0, y: 0, width: 2, height: 2))
        XCTAssertEqual(picture.width * picture.height, 100)
        // 10 × 5 pixels of the source's value, centred: rows 2 to 6.
        XCTAssertEqual(picture.indices.filter { $0 == 3 }.count, 10 * 5)
        XCTAssertEqual(Array(picture.indices[20..<30]), [UInt8](repeating: 3, count: 10))
        XCTAssertEqual(Array(picture.indices[10..<20]), [UInt8](repeating: 4, count: 10))
    }

    func testMaskedPixelsAreTheGapColour() throws {
        var widget = HeatmapWidget(pixels: [.nan, .nan], width: 1, height: 2, low: 0, high: 1, ramp: ramp,
                                   gapColor: .rgb(9, 8, 7))
        widget.markColor = .rgb(1, 1, 1)
        let picture = try XCTUnwrap(HeatmapPicture.make(widget, in: Rect(x: 0, y: 0, width: 1, height: 1),
                                                        cellWidth: 2, cellHeight: 4, ramp: ramp))
        XCTAssertEqual(Set(picture.indices), [4])
        XCTAssertEqual(picture.palette[4], .init(9, 8, 7))
    }

    /// The picture covers the cells the half-block heatmap would: centred in the area.
    func testThePictureSitsWhereTheHalfBlocksWould() throws {
        let widget = HeatmapWidget(pixels: [0, 1, 0, 1], width: 2, height: 2, low: 0, high: 1, ramp: ramp)
        let picture = try XCTUnwrap(HeatmapPicture.make(widget, in: Rect(x: 10, y: 5, width: 6, height: 3),
                                                        cellWidth: 3, cellHeight: 5, ramp: ramp))
        XCTAssertEqual(picture.cells, Rect(x: 12, y: 6, width: 2, height: 1))
        XCTAssertEqual(picture.width * picture.height, picture.indices.count)
        XCTAssertEqual(picture.width, 6)
        XCTAssertEqual(picture.height, 5)
    }

    /// A terminal with 16 colour registers: the 256-step ramp is resampled to 14, plus gap and mark.
    func testTheRampFitsTheColourRegisters() throws {
        let gray = ColorRamp.gray
        let widget = HeatmapWidget(pixels: [0, 0.5, 1, 1], width: 4, height: 1, low: 0, high: 1, ramp: gray)
        let picture = try XCTUnwrap(HeatmapPicture.make(widget, in: Rect(x: 0, y: 0, width: 4, height: 1),
                                                        cellWidth: 1, cellHeight: 2, ramp: gray, registers: 16))
        XCTAssertEqual(picture.palette.count, 16)
        XCTAssertEqual(picture.palette[0], .init(0, 0, 0))
        XCTAssertEqual(picture.palette[13], .init(255, 255, 255))
        XCTAssertLessThan(picture.indices.max() ?? 0, 14)
    }

    func testMarksAreDrawnInTheMarkColour() throws {
        var widget = HeatmapWidget(pixels: [Float](repeating: 0, count: 16), width: 4, height: 4, low: 0, high: 1, ramp: ramp)
        widget.marks = [(x: 1, y: 1)]
        let picture = try XCTUnwrap(HeatmapPicture.make(widget, in: Rect(x: 0, y: 0, width: 4, height: 2),
                                                        cellWidth: 4, cellHeight: 8, ramp: ramp))
        let markIndex = UInt8(picture.palette.count - 1)
        // Image pixel (1, 1) is centred at screen pixel (6, 6).
        XCTAssertEqual(picture.indices[6 * picture.width + 6], markIndex)
        XCTAssertEqual(picture.indices.filter { $0 == markIndex }.count, 4, "a square half a cell wide")
    }
}
