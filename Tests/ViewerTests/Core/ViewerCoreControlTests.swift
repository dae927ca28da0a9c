import DetectorStream
import Processing
import SharedMemory
import TerminalUI
import Viewer
import XCTest

/// What is written to the control block, and when.
final class ViewerCoreControlTests: XCTestCase {
    func testStartWritesTheConfiguredModeOnceAndUnchangedSettingsAreNotWrittenAgain() {
        var h = CoreHarness(headless: headless()) {
            $0.mode = .counting
            $0.processing.threshold = 80
        }
        let written = h.feed(.started).controls
        XCTAssertEqual(written.count, 1)
        XCTAssertEqual(written.first?.mode, ProcessingMode.counting.rawValue)
        XCTAssertEqual(written.first?.threshold, 80)
        XCTAssertEqual(written.first?.displayWidth, 0, "headless: nothing is binned for a screen")
        XCTAssertEqual(h.feed(.statsTick(h.counters(received: 1))).controls, [])
    }

    func testAModeKeyWritesTheNewMode() {
        var h = CoreHarness(interactive: true)
        h.feed(.started)
        let written = h.feed(.key(.character("5"))).controls
        XCTAssertEqual(written.map(\.mode), [ProcessingMode.counting.rawValue])
    }

    func testTheDisplayAreaFollowsTheTerminalSize() {
        var h = CoreHarness(interactive: true)
        let first = h.feed(.resized(width: 120, height: 40)).controls
        let area = ScreenLayout(width: 120, height: 40).heatmapInterior
        XCTAssertEqual(first.first?.displayWidth, UInt32(area.width))
        XCTAssertEqual(first.first?.displayHeight, UInt32(area.height * 2), "two pixels per cell")
        let second = h.feed(.resized(width: 200, height: 60)).controls
        XCTAssertEqual(second.first?.displayWidth, UInt32(ScreenLayout(width: 200, height: 60).heatmapInterior.width))
    }

    func testWithPicturesTheWorkersBinToThePicturesPixelsAndTheTextKeepsTheDisplaySize() throws {
        // A 7 × 15 pixel cell (a terminal that draws sixel or kitty pictures).
        var pictures = CoreHarness(interactive: true, pictureCellPixels: (7, 15))
        let area = ScreenLayout(width: 120, height: 40).heatmapInterior
        let written = try XCTUnwrap(pictures.feed(.resized(width: 120, height: 40)).controls.last)
        XCTAssertEqual(written.pictureWidth, UInt32(area.width * 7), "the heatmap's cells in terminal pixels")
        XCTAssertEqual(written.pictureHeight, UInt32(area.height * 15))
        XCTAssertEqual(written.displayWidth, UInt32(area.width), "the text geometry stays cells × 2 rows")
        XCTAssertEqual(written.displayHeight, UInt32(area.height * 2))
        let resized = try XCTUnwrap(pictures.feed(.resized(width: 200, height: 60)).controls.last)
        XCTAssertEqual(resized.pictureWidth, UInt32(ScreenLayout(width: 200, height: 60).heatmapInterior.width * 7))

        var halfBlocks = CoreHarness(interactive: true)
        let text = try XCTUnwrap(halfBlocks.feed(.resized(width: 120, height: 40)).controls.last)
        XCTAssertEqual(text.pictureWidth, 0, "half blocks: the workers bin to the display size")
        XCTAssertEqual(text.pictureHeight, 0)
        XCTAssertEqual(text.displayWidth, written.displayWidth)
        XCTAssertEqual(text.displayHeight, written.displayHeight)
    }

    func testADarkSeriesAsksWhereItStartsThenWritesItsRange() {
        var h = CoreHarness(interactive: true) { $0.processing.pedestalFrames = 300 }
        h.feed(.started)
        let asked = h.feed(.key(.character("p")))
        XCTAssertEqual(asked.filter { $0 == .beginDarkSeries }.count, 1)
        XCTAssertEqual(asked.controls, [], "written with its range")
        let written = h.feed(.darkSeriesBegins(at: 1234)).controls
        XCTAssertEqual(written.count, 1)
        XCTAssertEqual(written.first?.darkFrom, 1234)
        XCTAssertEqual(written.first?.darkTo, 1534)
        XCTAssertEqual(h.feed(.key(.character("l"))).filter { $0 == .beginDarkSeries }, [], "one series per press")
    }

    func testTheBeamCentreComesFromTheOptionBeforeTheStreamsMetadata() {
        var given = CoreHarness(headless: headless()) { $0.processing.beamCentre = BeamCentre(x: 100.5, y: 200) }
        let written = given.feed(.started).controls
        XCTAssertEqual(written.first?.beamX, 100.5)
        XCTAssertEqual(written.first?.beamY, 200)

        var fromStream = CoreHarness(headless: headless())
        fromStream.feed(.started)
        var info = seriesInfo()
        info.metadata = ["beam_center_x": "31.5", "beam_center_y": "40"]
        let later = fromStream.feed(.ingest([.seriesStarted(info)], fromStream.counters(received: 0))).controls
        XCTAssertEqual(later.first?.beamX, 31.5)
        XCTAssertEqual(later.first?.beamY, 40)
    }

    func testNothingIsWrittenOnceQuitting() {
        var h = CoreHarness(interactive: true)
        h.feed(.started)
        XCTAssertEqual(h.feed(.key(.character("q"))).controls, [])
    }
}

/// The viewport in the control block: written with each zoom, pan and fit.
final class ViewerCoreViewportControlTests: XCTestCase {
    func testZoomWritesTheRegionTheImageSizeAndANewGenerationAndFitClearsTheRegion() {
        var h = CoreHarness(interactive: true)
        h.feed(.started)
        h.feed(.resized(width: 120, height: 40))
        let fitted = h.feed(.ingest([.seriesStarted(seriesInfo(width: 1024, height: 512))], h.counters(received: 0))).controls
        XCTAssertEqual(fitted.last?.viewRegion.isEmpty, true, "fitted: the workers fit the whole frame")
        let zoomed = h.feed(.key(.character("z"))).controls
        XCTAssertEqual(zoomed.count, 1)
        let view = h.core.screen.viewGeometry!
        XCTAssertEqual(zoomed.first?.viewRegion, view.region)
        XCTAssertEqual(zoomed.first?.viewWidth, UInt32(view.imageWidth))
        XCTAssertEqual(zoomed.first?.viewHeight, UInt32(view.imageHeight))
        XCTAssertEqual(zoomed.first?.viewGeneration, h.core.screen.viewGeneration)
        XCTAssertNotEqual(zoomed.first?.viewGeneration, fitted.last?.viewGeneration)
        h.feed(.key(.character("z")))
        let deeper = h.core.screen.viewGeometry!.region
        let panned = h.feed(.key(.right)).controls
        XCTAssertEqual(panned.first?.viewRegion.x0, deeper.x0 + deeper.width / 4)
        XCTAssertEqual(h.feed(.key(.character("l"))).controls, [], "other keys leave the viewport alone")
        let refit = h.feed(.key(.character("f"))).controls
        XCTAssertEqual(refit.first?.viewRegion.isEmpty, true)
        XCTAssertEqual(refit.first?.displayWidth, zoomed.first?.displayWidth)
    }
}

extension ViewerCoreControlTests {
    /// The strips take rows from the heatmap, so the workers bin to the smaller area.
    func testShownStripsShrinkTheDisplayAreaWhereTheyFit() {
        var h = CoreHarness(interactive: true)
        h.feed(.started)
        h.feed(.resized(width: 200, height: 60))
        let before = h.core.control.displayHeight
        let written = h.feed(.key(.character("H"))).controls
        XCTAssertEqual(written.map(\.displayHeight), [before - 12], "six rows of strips, two pixels a row")
        h.feed(.key(.character("H")))
        h.feed(.resized(width: 80, height: 24))
        let small = h.core.control.displayHeight
        XCTAssertEqual(h.feed(.key(.character("H"))).controls, [], "at 80×24 they do not fit: nothing changes")
        XCTAssertEqual(h.core.control.displayHeight, small)
    }

    func testHistoryOptionSetsTheCapacity() {
        let h = CoreHarness(interactive: true) { $0.historyImages = 5 }
        XCTAssertEqual(h.core.screen.history.capacity, 5)
    }
}
