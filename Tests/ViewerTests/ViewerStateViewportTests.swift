import Processing
import TerminalUI
import XCTest
@testable import Viewer

/// The reducer's zoom keys: `z`, `Z`, `f` and the arrows, on plain values.
final class ViewerStateViewportTests: XCTestCase {
    /// A 120 × 40 terminal (an 88 × 72 pixel heatmap) showing a 1024 × 512 series.
    private let ready = ViewerState(source: "tcp://host:9999")
        .reduced(.resized(width: 120, height: 40), .seriesStarted(seriesInfo(width: 1024, height: 512)))

    func testZZoomsInAndCapitalZOutAroundTheCentre() {
        let fitted = ready.viewGeometry!
        let zoomed = ready.reduced(key("z"))
        XCTAssertFalse(zoomed.viewport.isFitted)
        let g = zoomed.viewGeometry!
        XCTAssertEqual(g.scale, fitted.scale * 1.5, accuracy: 0.05, "1/8 after a fit of 88/1024")
        XCTAssertLessThan(g.region.width, 1024)
        XCTAssertEqual(Double(g.region.x0 + g.region.x1) / 2, 512, accuracy: 1, "around the centre")
        XCTAssertEqual(zoomed.status?.text, "zoom \(ViewerState.zoomText(g)) \(ViewerState.regionText(g.region))")
        let deeper = zoomed.reduced(key("z"), key("z"))
        XCTAssertEqual(deeper.viewGeometry!.scale, g.scale * 4)
        XCTAssertEqual(deeper.reduced(key("Z")).viewGeometry!.scale, g.scale * 2)
        XCTAssertTrue(deeper.reduced(key("Z"), key("Z"), key("Z")).viewport.isFitted)
    }

    func testFFitsTheWholeFrameAgain() {
        let state = ready.reduced(key("z"), key("z"), .key(.right), key("f"))
        XCTAssertTrue(state.viewport.isFitted)
        XCTAssertEqual(state.viewGeometry?.region, .whole(width: 1024, height: 512))
        XCTAssertEqual(state.status?.text, "whole frame")
    }

    func testArrowsPanTheZoomedViewByAQuarterOfIt() {
        let zoomed = ready.reduced(key("z"), key("z"), key("z"))
        let g = zoomed.viewGeometry!.region
        XCTAssertEqual(zoomed.reduced(.key(.right)).viewGeometry!.region.x0, g.x0 + g.width / 4)
        XCTAssertEqual(zoomed.reduced(.key(.left)).viewGeometry!.region.x0, g.x0 - g.width / 4)
        XCTAssertEqual(zoomed.reduced(.key(.down)).viewGeometry!.region.y0, g.y0 + g.height / 4)
        XCTAssertEqual(zoomed.reduced(.key(.up)).viewGeometry!.region.y0, g.y0 - g.height / 4)
    }

    func testArrowsAtTheFitSayWhyNothingMoves() {
        let state = ready.reduced(.key(.left))
        XCTAssertTrue(state.viewport.isFitted)
        XCTAssertEqual(state.status?.text, "the whole frame is shown: zoom in (z) to pan")
    }

    func testKeysAlreadyTakenKeepTheirMeaning() {
        let zoomed = ready.reduced(key("z"))
        XCTAssertTrue(zoomed.reduced(key("l")).scale.logScale, "l is still the log scale")
        XCTAssertTrue(zoomed.reduced(key("h")).showHelp, "h is still help")
        XCTAssertEqual(zoomed.reduced(key("l")).viewport, zoomed.viewport)
    }

    func testZoomBeforeAnyFrameSaysSoAndChangesNothing() {
        let state = ViewerState(source: "x").reduced(.resized(width: 120, height: 40), key("z"))
        XCTAssertTrue(state.viewport.isFitted)
        XCTAssertEqual(state.status?.text, "no frame yet to zoom into")
    }

    func testTheGenerationMovesWithTheViewportAndNotWithOtherKeys() {
        let g0 = ready.viewGeneration
        let zoomed = ready.reduced(key("z"))
        XCTAssertNotEqual(zoomed.viewGeneration, g0)
        XCTAssertEqual(zoomed.reduced(key("l"), key("a"), key("x")).viewGeneration, zoomed.viewGeneration)
        XCTAssertNotEqual(zoomed.reduced(.key(.right)).viewGeneration, zoomed.viewGeneration)
        XCTAssertNotEqual(zoomed.reduced(.resized(width: 160, height: 50)).viewGeneration, zoomed.viewGeneration)
    }

    func testAnImageBinnedForAnotherViewportIsNotShownAsThisOne() {
        let zoomed = ready.reduced(key("z"))
        var old = displayImage([Float](repeating: 1, count: 88 * 44), width: 88)
        old.viewGeneration = ready.viewGeneration
        old.region = .whole(width: 1024, height: 512)
        (old.frameWidth, old.frameHeight) = (1024, 512)
        XCTAssertFalse(zoomed.shows(old.viewGeneration, old.region, 1024, 512))
        var current = old
        current.viewGeneration = zoomed.viewGeneration
        current.region = zoomed.viewGeometry!.region
        XCTAssertTrue(zoomed.shows(current.viewGeneration, current.region, 1024, 512))
        // Fitted, a fitted image of an earlier display size still shows (as before zooming existed).
        let resized = zoomed.reduced(key("f"), .resized(width: 160, height: 50))
        XCTAssertTrue(resized.shows(old.viewGeneration, old.region, 1024, 512))
        XCTAssertFalse(resized.shows(current.viewGeneration, current.region, 1024, 512), "a zoomed one does not")

        var buffer = Buffer(width: 120, height: 40)
        Screen(state: zoomed.reduced(.image(old)), glyphs: .unicode).render(into: &buffer)
        XCTAssertTrue(buffer.text.contains("binning \(ViewerState.regionText(zoomed.viewGeometry!.region))"), buffer.text)
        var drawn = Buffer(width: 120, height: 40)
        Screen(state: zoomed.reduced(.image(current)), glyphs: .unicode).render(into: &drawn)
        XCTAssertFalse(drawn.text.contains("binning"))
        XCTAssertTrue(drawn.text.contains("▀"))
    }

    func testTheTitleShowsZoomAndRegionAndThePanelAMapOfIt() {
        let zoomed = ready.reduced(key("z"), key("z"), key("z"))
        let g = zoomed.viewGeometry!
        var buffer = Buffer(width: 120, height: 40)
        Screen(state: zoomed, glyphs: .unicode).render(into: &buffer)
        XCTAssertTrue(buffer.text.contains("zoom \(ViewerState.zoomText(g))  \(ViewerState.regionText(g.region))"), buffer.text)
        XCTAssertTrue(buffer.text.contains("View \(ViewerState.zoomText(g))"))
        XCTAssertTrue(buffer.text.contains("·█"), "the map marks the region in the frame")
        var fitted = Buffer(width: 120, height: 40)
        Screen(state: ready, glyphs: .unicode).render(into: &fitted)
        XCTAssertFalse(fitted.text.contains("zoom"))
        XCTAssertFalse(fitted.text.contains("View "))
    }

    func testASeriesOfAnotherShapeFitsAgain() {
        let zoomed = ready.reduced(key("z"))
        XCTAssertFalse(zoomed.reduced(.seriesStarted(seriesInfo(series: 2, width: 1024, height: 512))).viewport.isFitted)
        XCTAssertTrue(zoomed.reduced(.seriesStarted(seriesInfo(series: 2, width: 512, height: 512))).viewport.isFitted)
    }
}
