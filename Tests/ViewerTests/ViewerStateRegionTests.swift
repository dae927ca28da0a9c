import Processing
import SharedMemory
import TerminalUI
import XCTest
@testable import Viewer

/// The reducer's region keys: `R`, arrows while drawing, Enter, Escape, Delete, on plain values.
final class ViewerStateRegionTests: XCTestCase {
    /// A 120 × 40 terminal showing a 1024 × 512 series, fitted (about 12 detector pixels a shown pixel).
    private let ready = ViewerState(source: "tcp://host:9999")
        .reduced(.resized(width: 120, height: 40), .seriesStarted(seriesInfo(width: 1024, height: 512)))

    /// Detector pixels per shown pixel of the fitted view, worked out here from the geometry.
    private var step: Int {
        let g = ready.viewGeometry!
        return Int((Double(g.region.width) / Double(g.imageWidth)).rounded())
    }

    func testRStartsARectangleOfOneShownPixelAtTheViewCentre() {
        let state = ready.reduced(key("R"))
        XCTAssertEqual(state.regions.drawing, PixelRegion(x0: 512, y0: 256, x1: 512 + step, y1: 256 + step))
        XCTAssertTrue(state.regions.fixed.isEmpty, "nothing is fixed before Enter")
        XCTAssertTrue(state.viewport.isFitted)
    }

    func testRStartsAtTheCursorWhenThereIsOne() {
        var state = ready
        state.cursor = Viewport.Point(x: 100.7, y: 40.2)
        XCTAssertEqual(state.reduced(key("R")).regions.drawing?.x0, 100)
        XCTAssertEqual(state.reduced(key("R")).regions.drawing?.y0, 40)
    }

    func testArrowsGrowAndShrinkTheRectangleInsteadOfPanning() {
        let zoomedThenDrawing = ready.reduced(key("z"), key("R"))
        let start = zoomedThenDrawing.regions.drawing!
        let viewBefore = zoomedThenDrawing.viewGeometry
        let grown = zoomedThenDrawing.reduced(.key(.right), .key(.right), .key(.down))
        let g = zoomedThenDrawing.viewGeometry!
        let zoomedStep = Int((Double(g.region.width) / Double(g.imageWidth)).rounded())
        XCTAssertEqual(grown.regions.drawing, PixelRegion(x0: start.x0, y0: start.y0, x1: start.x1 + 2 * zoomedStep,
                                                          y1: start.y1 + zoomedStep))
        XCTAssertEqual(grown.viewGeometry, viewBefore, "the arrows did not pan")
        XCTAssertEqual(grown.reduced(.key(.left)).regions.drawing?.x1, start.x1 + zoomedStep, "← shrinks")
        // Shrinking never goes below one pixel, nor growing past the frame.
        let thin = grown.reduced(.key(.up), .key(.up), .key(.up), .key(.up))
        XCTAssertEqual(thin.regions.drawing?.y1, start.y0 + 1)
        let wide = ready.reduced(key("R"), .key(.right), .key(.right), .key(.right), .key(.right), .key(.right),
                                 .key(.right), .key(.right), .key(.right), .key(.right), .key(.right), .key(.right),
                                 .key(.right), .key(.right), .key(.right), .key(.right), .key(.right), .key(.right),
                                 .key(.right), .key(.right), .key(.right), .key(.right), .key(.right), .key(.right),
                                 .key(.right), .key(.right), .key(.right), .key(.right), .key(.right), .key(.right),
                                 .key(.right), .key(.right), .key(.right), .key(.right), .key(.right), .key(.right),
                                 .key(.right), .key(.right), .key(.right), .key(.right), .key(.right), .key(.right),
                                 .key(.right), .key(.right), .key(.right), .key(.right), .key(.right), .key(.right))
        XCTAssertEqual(wide.regions.drawing?.x1, 1024, "clipped at the frame's right edge")
    }

    func testEnterFixesTheRegionAndBumpsItsGeneration() {
        let state = ready.reduced(key("R"), .key(.right), .key(.enter))
        XCTAssertNil(state.regions.drawing)
        XCTAssertEqual(state.regions.fixed, [PixelRegion(x0: 512, y0: 256, x1: 512 + 2 * step, y1: 256 + step)])
        XCTAssertEqual(state.regions.generation, ready.regions.generation &+ 1)
        XCTAssertEqual(state.status?.text, "region 1 x 512-\(511 + 2 * step), y 256-\(255 + step) fixed")
        // After Enter the arrows pan again (here: the fitted view says so).
        XCTAssertEqual(state.reduced(.key(.left)).status?.text, "the whole frame is shown: zoom in (z) to pan")
    }

    func testEscapeDropsTheRegionBeingDrawn() {
        let state = ready.reduced(key("R"), .key(.right), .key(.escape))
        XCTAssertNil(state.regions.drawing)
        XCTAssertTrue(state.regions.fixed.isEmpty)
        XCTAssertEqual(state.regions.generation, ready.regions.generation)
        XCTAssertEqual(state.status?.text, "region dropped")
    }

    func testAFifthRegionIsRefusedWithAMessage() {
        var state = ready
        for _ in 0..<4 { state = state.reduced(key("R"), .key(.enter)) }
        XCTAssertEqual(state.regions.fixed.count, 4)
        let refused = state.reduced(key("R"))
        XCTAssertNil(refused.regions.drawing)
        XCTAssertEqual(refused.regions.fixed.count, 4)
        XCTAssertEqual(refused.status, .init(text: "already 4 regions, the most there can be: Delete one first", severity: .warning))
    }

    func testDeleteRemovesTheRegionUnderTheCursorElseTheLast() {
        var state = ready
        state.regions = RegionsOfInterest([PixelRegion(x0: 0, y0: 0, x1: 10, y1: 10),
                                           PixelRegion(x0: 100, y0: 100, x1: 110, y1: 110),
                                           PixelRegion(x0: 200, y0: 0, x1: 210, y1: 10)])
        state.cursor = Viewport.Point(x: 105, y: 101)
        let underCursor = state.reduced(.key(.delete))
        XCTAssertEqual(underCursor.regions.fixed.map(\.x0), [0, 200])
        XCTAssertEqual(underCursor.status?.text, "region 2 x 100-109, y 100-109 removed")
        state.cursor = nil   // the view's centre (512, 256) is in none of them: the last one goes
        XCTAssertEqual(state.reduced(.key(.delete)).regions.fixed.map(\.x0), [0, 100])
        XCTAssertEqual(ready.reduced(.key(.delete)).status?.text, "no region to remove")
    }

    func testBeforeAnyFrameRSaysThereIsNothingToDrawOn() {
        let state = ViewerState(source: "x").reduced(.resized(width: 120, height: 40), key("R"))
        XCTAssertNil(state.regions.drawing)
        XCTAssertEqual(state.status?.text, "no frame yet to draw a region on")
    }

    func testNumbersOfAnOlderGenerationAreNotShownAndSumsMakeAMinuteSeries() {
        var state = ready.reduced(key("R"), .key(.enter))
        let numbers = RegionNumbers(x0: 512, y0: 256, x1: 524, y1: 268, sum: 42, mean: 1, max: 3,
                                    centroidX: 518, centroidY: 262, pixels: 144)
        var stale = FrameReadout(timeNanoseconds: 5_000_000_000)
        stale.regions = RegionReadout(generation: state.regions.generation &- 1, numbers: [numbers])
        state.reduce(.readout(stale))
        XCTAssertTrue(state.regions.latest.isEmpty, "measured for the regions before the change")
        for (second, sum) in [(5, 42.0), (5, 43.0), (7, 44.0)] {
            var readout = FrameReadout(timeNanoseconds: UInt64(second) * 1_000_000_000)
            var n = numbers
            n.sum = sum
            readout.regions = RegionReadout(generation: state.regions.generation, numbers: [n])
            state.reduce(.readout(readout))
        }
        XCTAssertEqual(state.regions.latest.first?.sum, 44)
        let series = state.regions.sumSeries(0, endingAt: 7)
        XCTAssertEqual(series.count, 8, "seconds 0…7")
        XCTAssertEqual(Array(series.suffix(3)).map { $0.isNaN ? -1 : $0 }, [43, -1, 44], "the last frame of a second; a gap is NaN")
    }

    func testTheControlBlockCarriesTheFixedRegionsAndTheirGeneration() {
        let state = ready.reduced(key("R"), .key(.enter))
        let control = state.regions.control
        XCTAssertEqual(control.regions, state.regions.fixed)
        XCTAssertEqual(control.generation, state.regions.generation)
    }
}
