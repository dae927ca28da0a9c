import Processing
import TerminalUI
import XCTest
@testable import Viewer

/// The cell → detector pixel mapping the mouse uses, against how the heatmap is drawn.
final class HeatmapPointerTests: XCTestCase {
    /// A 120 × 40 terminal: the heatmap's interior is 88 × 36 cells from (1, 2).
    private let layout = ScreenLayout(width: 120, height: 40)

    /// The inverse of drawing: every cell of the image names a pixel inside the cell's bin, whose
    /// inspector cursor (`inspectorCursor`, the rule `HeatmapWidget` draws it by) lands in that
    /// same cell where a cell is at most a pixel, and in the same block of cells where a pixel is
    /// a block (the fitted view, a binned zoom, 2 × 2 display pixels per detector pixel).
    func testEveryCellOfTheImageNamesAPixelThatIsDrawnInThatCell() {
        let state = ViewerState(source: "x").reduced(.resized(width: 120, height: 40),
                                                     .seriesStarted(seriesInfo(width: 1024, height: 512)))
        for zooms in [0, 1, 5, 6] {
            var zoomed = state
            for _ in 0..<zooms { zoomed = zoomed.reduced(key("z")) }
            let g = zoomed.viewGeometry!
            let inner = layout.heatmapInterior
            let originX = inner.x + (inner.width - g.imageWidth) / 2, originY = inner.y + (inner.height - (g.imageHeight + 1) / 2) / 2
            var cells = 0
            for row in originY..<(originY + (g.imageHeight + 1) / 2) {
                for column in originX..<(originX + g.imageWidth) {
                    guard let p = HeatmapPointer.pixel(column: column, row: row, interior: inner, geometry: g) else {
                        return XCTFail("cell \(column),\(row) of the image names no pixel (zooms \(zooms))")
                    }
                    XCTAssertTrue(g.region.x0 <= p.x && p.x < g.region.x1 && g.region.y0 <= p.y && p.y < g.region.y1)
                    zoomed.inspecting = true
                    zoomed.cursor = Viewport.Point(x: Double(p.x) + 0.5, y: Double(p.y) + 0.5)
                    let drawn = zoomed.inspectorCursor(imageWidth: g.imageWidth, imageHeight: g.imageHeight)!
                    let back = HeatmapPointer.pixel(column: originX + drawn.x, row: originY + drawn.y / 2, interior: inner, geometry: g)
                    XCTAssertTrue(back.map { $0 == p } ?? false, "zooms \(zooms), cell \(column),\(row): \(p), back \(String(describing: back))")
                    if g.scale <= 1 {
                        // A cell is at most one pixel wide: the cursor is drawn in the clicked cell itself.
                        XCTAssertEqual(originX + drawn.x, column, "zooms \(zooms), cell \(column),\(row), pixel \(p)")
                        XCTAssertEqual(originY + drawn.y / 2, row, "zooms \(zooms), cell \(column),\(row), pixel \(p)")
                    } else {
                        // A pixel is a block of cells; the cursor is drawn in one of them.
                        XCTAssertLessThan(abs(originX + drawn.x - column), Int(g.scale))
                        XCTAssertLessThan(abs(originY + drawn.y / 2 - row), Int(g.scale))
                    }
                    cells += 1
                }
            }
            XCTAssertGreaterThan(cells, 500)
        }
    }

    /// At one detector pixel per display pixel (a 64 × 64 frame in an 88 × 72 pixel heatmap) a
    /// cell is one column and the upper of two rows: the numbers a user can check on screen.
    func testAtOnePixelPerDisplayPixelACellIsItsColumnAndUpperRow() {
        let g = Viewport().geometry(frameWidth: 64, frameHeight: 64, areaWidth: 88, areaHeight: 72)!
        XCTAssertEqual(g.imageWidth, 64)
        let inner = layout.heatmapInterior   // the image starts at column 1 + 12, row 2 + 2
        XCTAssertEqual(HeatmapPointer.pixel(column: 13, row: 4, interior: inner, geometry: g)?.x, 0)
        XCTAssertEqual(HeatmapPointer.pixel(column: 13, row: 4, interior: inner, geometry: g)?.y, 0)
        XCTAssertEqual(HeatmapPointer.pixel(column: 33, row: 9, interior: inner, geometry: g)?.x, 20)
        XCTAssertEqual(HeatmapPointer.pixel(column: 33, row: 9, interior: inner, geometry: g)?.y, 10)
        XCTAssertEqual(HeatmapPointer.pixel(column: 76, row: 35, interior: inner, geometry: g)?.x, 63)
        XCTAssertEqual(HeatmapPointer.pixel(column: 76, row: 35, interior: inner, geometry: g)?.y, 62)
    }

    func testCellsOffTheImageNameNoPixel() {
        let g = Viewport().geometry(frameWidth: 64, frameHeight: 64, areaWidth: 88, areaHeight: 72)!
        let inner = layout.heatmapInterior
        for (column, row) in [(12, 4), (77, 4), (13, 3), (13, 36), (0, 10), (40, 1), (95, 10), (40, 39), (-1, 5), (500, 500)] {
            XCTAssertNil(HeatmapPointer.pixel(column: column, row: row, interior: inner, geometry: g), "\(column),\(row)")
        }
    }
}
