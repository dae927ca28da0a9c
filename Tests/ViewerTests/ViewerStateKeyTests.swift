import DetectorStream
import Processing
import TerminalUI
import Theming
import Viewer
import XCTest

final class ViewerStateKeyTests: XCTestCase {
    private let initial = ViewerState(source: "tcp://host:9999")

    func testQAndCapitalQAndCtrlCQuit() {
        XCTAssertFalse(initial.quit)
        XCTAssertTrue(initial.reduced(key("q")).quit)
        XCTAssertTrue(initial.reduced(key("Q")).quit)
        XCTAssertTrue(initial.reduced(.key(.control("c"))).quit)
    }

    func testOtherKeysDoNotQuit() {
        let state = initial.reduced(key("x"), .key(.control("d")), .key(.up), .key(.escape))
        XCTAssertFalse(state.quit)
    }

    func testQuestionMarkOpensHelpAndAnyKeyClosesIt() {
        let open = initial.reduced(key("?"))
        XCTAssertTrue(open.showHelp)
        for closing: ViewerEvent in [key("x"), .key(.escape), .key(.enter), key("?"), key("l")] {
            let closed = open.reduced(closing)
            XCTAssertFalse(closed.showHelp, describe(closing))
            XCTAssertFalse(closed.quit, describe(closing))
        }
    }

    func testKeyThatClosesHelpDoesNothingElse() {
        let closed = initial.reduced(key("?"), key("l"), key("a"), key("C"))
        // l closed the help; only a and C took effect.
        XCTAssertFalse(closed.scale.logScale)
        XCTAssertFalse(closed.scale.autoscale)
        XCTAssertEqual(closed.colormap, Colormap.families[1].name)
    }

    func testHAndF1AlsoOpenHelp() {
        XCTAssertTrue(initial.reduced(key("h")).showHelp)
        XCTAssertTrue(initial.reduced(.key(.function(1))).showHelp)
    }

    func testQuitKeysQuitFromHelp() {
        for quitting: ViewerEvent in [key("q"), key("Q"), .key(.control("c"))] {
            let state = initial.reduced(key("?"), quitting)
            XCTAssertTrue(state.quit, describe(quitting))
            XCTAssertFalse(state.showHelp)
        }
    }

    func testLTogglesLogScale() {
        let on = initial.reduced(key("l"))
        XCTAssertTrue(on.scale.logScale)
        XCTAssertEqual(on.status?.text, "log scale")
        let off = on.reduced(key("l"))
        XCTAssertFalse(off.scale.logScale)
        XCTAssertEqual(off.status?.text, "linear scale")
    }

    func testAutoscaleOffHoldsTheLimitsWhenImagesChange() {
        let first = rampImage()
        var state = initial.reduced(.image(first), key("a"))
        XCTAssertFalse(state.scale.autoscale)
        let held = state.scale
        state.reduce(.image(displayImage((0..<100).map { Float($0) * 1000 }, width: 10)))
        XCTAssertEqual(state.scale.low, held.low)
        XCTAssertEqual(state.scale.high, held.high)
        XCTAssertEqual(state.image?.width, 10, "the image itself is still shown")
    }

    func testAutoscaleOnRecomputesFromTheCurrentImage() {
        let wide = displayImage((0..<1000).map { Float($0) }, width: 50)
        var state = initial.reduced(key("a"), .image(wide))
        XCTAssertEqual(state.scale.low, 0, "autoscale off: the initial limits are held")
        XCTAssertEqual(state.scale.high, 1)
        state.reduce(key("a"))
        XCTAssertTrue(state.scale.autoscale)
        let expected = wide.pixels.withUnsafeBufferPointer { FrameKernels.percentiles($0, ViewerState.Scale.quantiles) }
        XCTAssertEqual(state.scale.low, expected[0])
        XCTAssertEqual(state.scale.high, expected[1])
        XCTAssertEqual(state.status?.text, "autoscale on")
    }

    func testCapitalCCyclesThroughEveryColormapAndWraps() {
        var state = initial
        XCTAssertEqual(state.colormap, "viridis")
        var seen: [String] = []
        let names = Colormap.families.map(\.name)
        for _ in names {
            state.reduce(key("C"))
            seen.append(state.colormap)
        }
        XCTAssertEqual(seen, Array(names.dropFirst()) + [names[0]])
        XCTAssertEqual(Set(seen), Set(["viridis", "magma", "inferno", "cividis", "gray"]))
        XCTAssertEqual(state.status?.text, "colormap viridis")
    }

    func testUnknownColormapNameRestartsTheCycle() {
        var state = initial
        state.colormap = "nonexistent"
        state.reduce(key("C"))
        XCTAssertEqual(state.colormap, Colormap.families[0].name)
    }

    func testResizeRecordsTheSize() {
        let state = initial.reduced(.resized(width: 120, height: 40))
        XCTAssertEqual(state.width, 120)
        XCTAssertEqual(state.height, 40)
    }

    func testGTogglesTheGainStageViewAndSaysWhenTheDetectorHasNoGainBits() {
        var state = initial
        state.reduce(.seriesStarted(SeriesInfo(format: .sls, series: 1, width: 4, height: 4, pixelType: .uint16,
                                               detector: .jungfrau)))
        XCTAssertEqual(state.pixelView, .value)
        state.reduce(key("g"))
        XCTAssertEqual(state.pixelView, .gainStage)
        XCTAssertEqual(state.status?.text, "gain stage view: 0 = G0, 1 = G1, 2 = G2")
        state.reduce(key("g"))
        XCTAssertEqual(state.pixelView, .value)
        XCTAssertEqual(state.status?.text, "ADC value view")
        state.reduce(.seriesStarted(SeriesInfo(format: .sls, series: 2, width: 4, height: 4, pixelType: .uint16,
                                               detector: .moench)))
        state.reduce(key("g"))
        XCTAssertEqual(state.status?.text, "gain stage view: 0 = G0, 1 = G1, 2 = G2 (only JUNGFRAU frames carry gain bits)")
    }

    func testTCountsChannelStepsAndNamesTheStreamsChannels() {
        var state = initial
        state.reduce(.seriesStarted(SeriesInfo(format: .stream2, series: 1, width: 4, height: 4, pixelType: .uint16,
                                               metadata: ["channels": "threshold_1,threshold_2"])))
        state.reduce(key("t"))
        state.reduce(key("t"))
        XCTAssertEqual(state.channelSteps, 2)
        XCTAssertEqual(state.status?.text, "next channel of threshold_1,threshold_2")
    }
}

final class ViewerStateModeKeyTests: XCTestCase {
    private let initial = ViewerState(source: "test")

    func testMCyclesTheModesAndDigitsPickOne() {
        var state = initial
        state.reduce(key("m"))
        XCTAssertEqual(state.modes.mode, .pedestal)
        state.reduce(key("5"))
        XCTAssertEqual(state.modes.mode, .counting)
        XCTAssertEqual(state.status?.text, "mode counting: \(ProcessingMode.counting.summary)")
        state.reduce(key("0"))
        XCTAssertEqual(state.modes.mode, .radial)
        state.reduce(key("m"))
        XCTAssertEqual(state.modes.mode, .raw, "m wraps")
    }

    func testANewModeForgetsTheOldModesNumbers() {
        var state = initial
        state.reduce(key("9"))
        var readout = FrameReadout(timeNanoseconds: 1_000_000_000)
        readout.checked = 4
        readout.hits = 1
        readout.peaks = 12
        state.reduce(.readout(readout))
        XCTAssertEqual(state.modes.hitRate, 0.25)
        XCTAssertEqual(state.modes.peaks, 12)
        state.reduce(key("1"))
        XCTAssertNil(state.modes.hitRate)
        XCTAssertNil(state.modes.peaks)
    }

    func testTheHitRateCoversTheLastTenSeconds() {
        var state = initial
        state.reduce(key("9"))
        func feed(at seconds: Double, checked: Int, hits: Int) {
            var r = FrameReadout(timeNanoseconds: UInt64(seconds * 1e9))
            r.checked = checked
            r.hits = hits
            state.reduce(.readout(r))
        }
        feed(at: 100, checked: 10, hits: 10)
        feed(at: 105, checked: 10, hits: 0)
        XCTAssertEqual(state.modes.hitRate, 0.5)
        feed(at: 111, checked: 10, hits: 0)
        XCTAssertEqual(state.modes.hitRate, 0, "the hits at 100 s fell out of the window")
    }

    func testPlusAndMinusMoveTheThresholdNeverBelowZero() {
        var state = initial
        state.modes.threshold = 7
        state.reduce(key("+"))
        XCTAssertEqual(state.modes.threshold, 12)
        XCTAssertEqual(state.status?.text, "threshold 12 ADU")
        for _ in 0..<5 { state.reduce(key("-")) }
        XCTAssertEqual(state.modes.threshold, 0)
    }

    func testPRAndCCountTheirPressesForTheSession() {
        var state = initial
        state.reduce(key("p"))
        state.reduce(key("r"))
        state.reduce(key("r"))
        state.reduce(key("c"))
        XCTAssertEqual(state.modes.darkRequests, 1)
        XCTAssertEqual(state.modes.pedestalResets, 2)
        XCTAssertEqual(state.modes.clears, 1)
        XCTAssertEqual(state.status?.text, "accumulations cleared")
    }

    /// Each worker's pedestal learns only from its own frames: a dark series shorter than
    /// what every worker needs is named as too short, with the length that would do.
    func testPWarnsWhenTheDarkSeriesIsTooShortForEveryWorker() {
        var state = initial
        state.modes.workerCount = 2
        state.modes.darkSeriesFrames = 150
        state.reduce(key("p"))
        XCTAssertEqual(state.status?.severity, .warning)
        XCTAssertEqual(state.status?.text, "taking a dark series of 150 frames: keep the beam off; "
            + "too few for 2 workers (100 each): --pedestal-frames 200")
        state.modes.darkSeriesFrames = 200
        state.reduce(key("p"))
        XCTAssertEqual(state.status?.severity, .info)
        state.modes.darkSeriesFrames = 50
        state.modes.workerCount = 1
        XCTAssertNil(state.modes.darkSeriesShortfall(50), "a window of 50 frames is ready after 50")
    }

    func testCapitalDTogglesDitheringAndSaysSo() {
        var state = initial
        XCTAssertFalse(state.dither)
        state.reduce(key("D"))
        XCTAssertTrue(state.dither)
        XCTAssertEqual(state.status?.text, "dithering on (256 and 16 colours)")
        state.reduce(key("D"))
        XCTAssertFalse(state.dither)
        XCTAssertEqual(state.status?.text, "dithering off")
        XCTAssertNil(initial.reduced(key("d")).status, "lower-case d is not bound")
    }

    func testXHidesAndShowsTheMarks() {
        var state = initial
        XCTAssertTrue(state.showsMarks)
        state.reduce(key("x"))
        XCTAssertFalse(state.showsMarks)
        XCTAssertEqual(state.status?.text, "marks off")
        state.reduce(key("x"))
        XCTAssertTrue(state.showsMarks)
    }

    func testSSwitchesThePedestalViewOnlyInPedestalMode() {
        var state = initial
        state.reduce(key("s"))
        XCTAssertEqual(state.modes.pedestalView, .mean)
        XCTAssertEqual(state.status?.severity, .warning)
        state.reduce(key("2"))
        state.reduce(key("s"))
        XCTAssertEqual(state.modes.pedestalView, .sigma)
        XCTAssertEqual(state.status?.text, "pedestal: showing its σ")
        state.reduce(key("s"))
        XCTAssertEqual(state.modes.pedestalView, .mean)
    }

    func testUCyclesPumpProbeViewsOnlyWithAPattern() {
        var state = initial
        state.reduce(key("u"))
        XCTAssertEqual(state.modes.pumpView, .unpumped)
        XCTAssertEqual(state.status?.severity, .warning)
        state.modes.pumpProbe = true
        state.reduce(key("u"))
        XCTAssertEqual(state.modes.pumpView, .pumped)
        state.reduce(key("u"))
        XCTAssertEqual(state.modes.pumpView, .difference)
        state.reduce(key("u"))
        XCTAssertEqual(state.modes.pumpView, .unpumped)
    }

    func testAComposedViewOfAnotherModeIsIgnored() {
        var state = initial
        state.reduce(key("6"))
        var view = ComposedView(mode: .max)
        view.pixels = [1]
        state.reduce(.composed(view))
        XCTAssertNil(state.modes.composed)
        view.mode = .sum
        state.reduce(.composed(view))
        XCTAssertEqual(state.modes.composed, view)
    }
}
