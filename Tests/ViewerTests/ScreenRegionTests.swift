import Processing
import SharedMemory
import TerminalUI
import Theming
@testable import Viewer
import XCTest

/// Regions of interest on the screen: each one's box on the heatmap in its theme colour over
/// the picture's cells, and its numbers in the panel.
final class ScreenRegionTests: XCTestCase {
    /// A 120 × 40 screen (an 88 × 36-cell heatmap) showing a 400 × 200 frame fitted as an
    /// 88 × 44 image: 22 cell rows, centred 7 rows down the interior.
    private func state(regions: [PixelRegion]) -> ViewerState {
        var state = ViewerState(source: "x").reduced(.resized(width: 120, height: 40), .seriesStarted(seriesInfo()))
        var image = DisplayImage(series: 1, frameNumber: 1, frameWidth: 400, frameHeight: 200, width: 88, height: 44,
                                 pixels: (0..<(88 * 44)).map { Float($0 % 88) }, stats: FrameStats.noPixels())
        image.region = .whole(width: 400, height: 200)
        image.viewGeneration = state.viewGeneration
        state.reduce(.image(image))
        state.regions = RegionsOfInterest(regions)
        return state
    }

    private func render(_ state: ViewerState) -> Buffer {
        var buffer = Buffer(width: 120, height: 40)
        Screen(state: state, glyphs: .unicode).render(into: &buffer)
        return buffer
    }

    private func row(_ buffer: Buffer, _ y: Int) -> String {
        String(String.UnicodeScalarView((0..<buffer.width).map { buffer[$0, y].symbol }))
    }

    func testARegionIsBoxedOnTheHeatmapInItsColourOverThePicture() {
        // x 100…199 → image columns 22…43; y 50…99 → image rows 11…21 → cell rows 5…10.
        let s = state(regions: [PixelRegion(x0: 100, y0: 50, x1: 200, y1: 100)])
        let buffer = render(s)
        let plain = render(state(regions: []))
        let inner = ScreenLayout(width: 120, height: 40).heatmapInterior
        let (left, right, top, bottom) = (inner.x + 22, inner.x + 43, inner.y + 7 + 5, inner.y + 7 + 10)
        XCTAssertEqual(buffer[left, top].symbol, "┌")
        XCTAssertEqual(buffer[right, top].symbol, "┐")
        XCTAssertEqual(buffer[left, bottom].symbol, "└")
        XCTAssertEqual(buffer[right, bottom].symbol, "┘")
        XCTAssertEqual(buffer[left + 1, top].symbol, "─")
        XCTAssertEqual(buffer[left, top + 1].symbol, "│")
        let colours = Theme.default.colors(for: .color256)
        XCTAssertEqual(buffer[left, top].style.fg, colours.roiColour(0))
        XCTAssertEqual(buffer[left, top].style.bg, plain[left, top].style.bg, "the picture's lower pixel shows through")
        XCTAssertEqual(buffer[left + 1, top + 1], plain[left + 1, top + 1], "inside the box the picture is untouched")
    }

    func testEachRegionHasItsOwnColourAndTheOneBeingDrawnIsBoxedToo() {
        var s = state(regions: [PixelRegion(x0: 0, y0: 0, x1: 100, y1: 100), PixelRegion(x0: 200, y0: 0, x1: 300, y1: 100)])
        s.regions.drawing = PixelRegion(x0: 300, y0: 120, x1: 390, y1: 190)
        let buffer = render(s)
        let inner = ScreenLayout(width: 120, height: 40).heatmapInterior
        let colours = Theme.default.colors(for: .color256)
        XCTAssertEqual(buffer[inner.x, inner.y + 7].style.fg, colours.roiColour(0))
        XCTAssertEqual(buffer[inner.x + 44, inner.y + 7].style.fg, colours.roiColour(1))
        XCTAssertEqual(buffer[inner.x + 66, inner.y + 7 + 13].symbol, "┌", "x 300 → column 66, y 120 → row 26 → cell 13")
        XCTAssertEqual(buffer[inner.x + 66, inner.y + 7 + 13].style.fg, colours.roiColour(2))
        XCTAssertNotEqual(colours.roiColour(0), colours.roiColour(1))
    }

    func testThePanelShowsEachRegionsNumbersOnceMeasured() {
        var s = state(regions: [PixelRegion(x0: 100, y0: 50, x1: 200, y1: 100)])
        var text = (0..<40).map { row(render(s), $0) }.joined(separator: "\n")
        XCTAssertTrue(text.contains("1 x 100-199, y 50-99"), text)
        XCTAssertTrue(text.contains("waiting for a frame"), text)
        var readout = FrameReadout(timeNanoseconds: 3_000_000_000)
        readout.regions = RegionReadout(generation: s.regions.generation, numbers: [
            RegionNumbers(x0: 100, y0: 50, x1: 200, y1: 100, sum: 123456, mean: 24.69, max: 99, centroidX: 150.5,
                          centroidY: 75.25, pixels: 5000)])
        s.reduce(.readout(readout))
        text = (0..<40).map { row(render(s), $0) }.joined(separator: "\n")
        XCTAssertTrue(text.contains("sum 123456  mean 24.69"), text)
        XCTAssertTrue(text.contains("max 99  at 150.5, 75.25"), text)
    }
}
