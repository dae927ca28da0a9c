import Processing
import TerminalUI
import Viewer
import XCTest

/// `|` and the profile it draws: the shown image's row or column through the cursor (or the
/// view's centre), its values against the image's own pixels.
final class LineProfileTests: XCTestCase {
    /// Pixel (x, y) of a 40×30 image is 100·y + x, showing the 160×120 frame (4×4 per pixel).
    private func gridImage() -> DisplayImage {
        let values: [Float] = (0..<1200).map { (i: Int) -> Float in Float(100 * (i / 40) + i % 40) }
        return displayImage(values, width: 40)
    }

    func testTheRowAndColumnThroughTheCursorAreTheImagesRowAndColumn() throws {
        let image = gridImage()
        let region = PixelRegion.whole(width: 160, height: 120)
        let cursor = Viewport.Point(x: 50, y: 81)   // display pixel (12, 20)
        let row = try XCTUnwrap(LineProfile(axis: .row, pixels: image.pixels, width: 40, height: 30, region: region,
                                            cursor: cursor))
        XCTAssertEqual(row.displayLine, 20)
        XCTAssertEqual(row.detectorLine, 80, "the first detector row of the bin")
        XCTAssertEqual(row.values, (0..<40).map { Float(2000 + $0) })
        let column = try XCTUnwrap(LineProfile(axis: .column, pixels: image.pixels, width: 40, height: 30, region: region,
                                               cursor: cursor))
        XCTAssertEqual(column.displayLine, 12)
        XCTAssertEqual(column.values, (0..<30).map { Float(100 * $0 + 12) })
        XCTAssertEqual(column.range?.min, 12)
        XCTAssertEqual(column.range?.max, 2912)
    }

    func testWithoutACursorTheProfileRunsThroughTheCentreAndOutsideTheViewThereIsNone() throws {
        let image = gridImage()
        let zoomed = PixelRegion(x0: 40, y0: 0, x1: 80, y1: 30)   // a zoomed view: 1 px per display pixel
        let centre = try XCTUnwrap(LineProfile(axis: .row, pixels: image.pixels, width: 40, height: 30, region: zoomed,
                                               cursor: nil))
        XCTAssertEqual(centre.displayLine, 15)
        XCTAssertEqual(centre.values.first, 1500)
        let inside = try XCTUnwrap(LineProfile(axis: .column, pixels: image.pixels, width: 40, height: 30, region: zoomed,
                                               cursor: Viewport.Point(x: 45, y: 3)))
        XCTAssertEqual(inside.displayLine, 5)
        XCTAssertEqual(inside.detectorLine, 45)
        XCTAssertNil(LineProfile(axis: .column, pixels: image.pixels, width: 40, height: 30, region: zoomed,
                                 cursor: Viewport.Point(x: 10, y: 3)), "left of the view")
    }

    func testResamplingAveragesTheFiniteValuesOfEachPlotColumn() throws {
        var profile = try XCTUnwrap(LineProfile(axis: .row, pixels: [1, 3, .nan, 5, 7, 9], width: 6, height: 1,
                                                region: .whole(width: 6, height: 1), cursor: nil))
        XCTAssertEqual(profile.resampled(to: 3), [2, 5, 8])
        profile.values = [.nan, .nan, 4]
        let wide = profile.resampled(to: 6)
        XCTAssertTrue(wide[0].isNaN && wide[1].isNaN && wide[2].isNaN && wide[3].isNaN)
        XCTAssertEqual(Array(wide[4...]), [4, 4])
    }

    func testBarCyclesRowColumnOffAndTheProfileBoxShowsUnderTheHeatmapWithItsRange() {
        var state = ViewerState(source: "tcp://host:1")
        state.reduce(.resized(width: 120, height: 40))
        state.reduce(.image(gridImage()))
        state.reduce(key("|"))
        XCTAssertEqual(state.lineProfile, .row)
        XCTAssertEqual(state.status?.text, "line profile: the row through the view's centre (display pixels)")
        let layout = state.layout
        let box = try! XCTUnwrap(layout.profile)
        var buffer = Buffer(width: 120, height: 40)
        Screen(state: state, glyphs: .unicode).render(into: &buffer)
        let title = (box.x..<box.right).map { String(Character(buffer[$0, box.y].symbol)) }.joined()
        XCTAssertTrue(title.contains("row profile y=60  min 1500  max 1539  (display px)"), title)
        // The plot's bars rise left to right with the row's values.
        let bottom = box.bottom - 2
        let bars = (box.x + 1..<box.right - 1).map { buffer[$0, bottom].symbol }
        XCTAssertNotEqual(bars.first, bars.last)
        state.reduce(key("|"))
        XCTAssertEqual(state.lineProfile, .column)
        XCTAssertEqual(state.shownLineProfile?.values.count, 30)
        state.reduce(key("|"))
        XCTAssertNil(state.lineProfile)
        XCTAssertNil(state.layout.profile)
        XCTAssertEqual(state.status?.text, "line profile off")
    }

    /// In a mode that shows its composed view (counting: photons per pixel) the profile is of
    /// that view, which is what the heatmap shows, not of the latest frame.
    func testInAnAccumulatingModeTheProfileIsOfTheComposedView() throws {
        var state = ViewerState(source: "tcp://host:1")
        state.reduce(.resized(width: 120, height: 40))
        state.reduce(.image(gridImage()))
        state.reduce(key(ProcessingMode.counting.digit))
        var view = ComposedView(mode: .counting)
        (view.width, view.height, view.frameWidth, view.frameHeight) = (4, 2, 4, 2)
        view.pixels = [0, 1, 2, 3, 10, 11, 12, 13]
        view.workers = 1
        state.reduce(.composed(view))
        state.reduce(key("|"))
        XCTAssertEqual(state.shownLineProfile?.values, [10, 11, 12, 13], "the centre row (1 of 2) of the counts")
        state.reduce(key("|"))
        XCTAssertEqual(state.shownLineProfile?.values, [2, 12], "the centre column (2 of 4)")
    }
}
