import DetectorStream
import Processing
import TerminalUI
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
        XCTAssertEqual(closed.colormap, ViewerState.colormaps[1])
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
        let expected = wide.pixels.withUnsafeBufferPointer { FrameKernels.percentiles($0, [0.5, 99.9]) }
        XCTAssertEqual(state.scale.low, expected[0])
        XCTAssertEqual(state.scale.high, expected[1])
        XCTAssertEqual(state.status?.text, "autoscale on")
    }

    func testCapitalCCyclesThroughEveryColormapAndWraps() {
        var state = initial
        XCTAssertEqual(state.colormap, "viridis")
        var seen: [String] = []
        for _ in ViewerState.colormaps {
            state.reduce(key("C"))
            seen.append(state.colormap)
        }
        XCTAssertEqual(seen, Array(ViewerState.colormaps.dropFirst()) + [ViewerState.colormaps[0]])
        XCTAssertEqual(Set(seen), Set(["viridis", "magma", "inferno", "cividis", "gray"]))
        XCTAssertEqual(state.status?.text, "colormap viridis")
    }

    func testUnknownColormapNameRestartsTheCycle() {
        var state = initial
        state.colormap = "nonexistent"
        state.reduce(key("C"))
        XCTAssertEqual(state.colormap, ViewerState.colormaps[0])
    }

    func testResizeRecordsTheSize() {
        let state = initial.reduced(.resized(width: 120, height: 40))
        XCTAssertEqual(state.width, 120)
        XCTAssertEqual(state.height, 40)
    }

    func testGTogglesTheGainStageViewAndSaysWhenTheDetectorHasNoGainBits() {
        var state = initial
        state.reduce(.seriesStarted(SeriesInfo(format: .sls, series: 1, width: 4, height: 4, pixelType: .uint16,
                                               detector: "JUNGFRAU")))
        XCTAssertEqual(state.pixelView, .value)
        state.reduce(key("g"))
        XCTAssertEqual(state.pixelView, .gainStage)
        XCTAssertEqual(state.status?.text, "gain stage view: 0 = G0, 1 = G1, 2 = G2")
        state.reduce(key("g"))
        XCTAssertEqual(state.pixelView, .value)
        XCTAssertEqual(state.status?.text, "ADC value view")
        state.reduce(.seriesStarted(SeriesInfo(format: .sls, series: 2, width: 4, height: 4, pixelType: .uint16,
                                               detector: "MOENCH")))
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
