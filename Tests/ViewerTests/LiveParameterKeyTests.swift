import Processing
import SharedMemory
import TerminalUI
import Viewer
import XCTest

/// `n`/`N`, `[`/`]`, `<`/`>`: each moves its parameter one step within its bounds, says so in the
/// status line, shows in the mode's panel rows, and goes to the workers in the control block.
final class LiveParameterKeyTests: XCTestCase {
    private func state(mode: ProcessingMode, width: Int = 120, height: Int = 40) -> ViewerState {
        var state = ViewerState(source: "tcp://host:1")
        state.reduce(.resized(width: width, height: height))
        state.reduce(key(mode.digit))
        return state
    }

    private func render(_ state: ViewerState, width: Int = 120, height: Int = 40) -> String {
        var buffer = Buffer(width: width, height: height)
        Screen(state: state, glyphs: .unicode).render(into: &buffer)
        return buffer.text
    }

    func testNAndShiftNStepThePhotonSigmaByHalfWithinItsBoundsAndSaySo() {
        var s = state(mode: .counting)
        XCTAssertEqual(s.modes.live.photonSigma, 4, "ProcessingOptions' default until the core sets --sigma")
        s.reduce(key("N"))
        XCTAssertEqual(s.modes.live.photonSigma, 4.5)
        XCTAssertEqual(s.status?.text, "photon nσ 4.5σ from the next frame")
        s.reduce(key("n"))
        s.reduce(key("n"))
        XCTAssertEqual(s.modes.live.photonSigma, 3.5)
        for _ in 0..<20 { s.reduce(key("n")) }
        XCTAssertEqual(s.modes.live.photonSigma, LiveParameters.sigmaRange.lowerBound, "never below 1σ")
        XCTAssertEqual(s.status?.text, "photon nσ 1σ from the next frame")
        for _ in 0..<60 { s.reduce(key("N")) }
        XCTAssertEqual(s.modes.live.photonSigma, LiveParameters.sigmaRange.upperBound, "never above 20σ")
        var other = state(mode: .hits)
        other.reduce(key("N"))
        XCTAssertEqual(other.status?.text, "photon nσ 4.5σ (used by counting mode 5 for a charge-integrating detector's photons)")
    }

    func testBracketsStepTheHitSigmaAndAnglesTheMinimumPeaks() {
        var s = state(mode: .hits)
        s.reduce(key("]"))
        XCTAssertEqual(s.modes.live.hitSigma, 6.5)
        XCTAssertEqual(s.status?.text, "hit nσ 6.5σ from the next frame")
        s.reduce(key("["))
        s.reduce(key("["))
        XCTAssertEqual(s.modes.live.hitSigma, 5.5)
        s.reduce(key(">"))
        XCTAssertEqual(s.modes.live.minPeaks, 11)
        XCTAssertEqual(s.status?.text, "min peaks 11 for a hit from the next frame")
        for _ in 0..<30 { s.reduce(key("<")) }
        XCTAssertEqual(s.modes.live.minPeaks, 1, "a hit needs at least one peak")
        for _ in 0..<30 { s.reduce(key("[")) }
        XCTAssertEqual(s.modes.live.hitSigma, 1)
        var counting = state(mode: .counting)
        counting.reduce(key("<"))
        XCTAssertEqual(counting.status?.text, "min peaks 9 for a hit (used by hits mode \(ProcessingMode.hits.digit) for hits)")
    }

    func testTheValuesShowInTheModePanelAndWithoutItInTheTitleLine() {
        var counting = state(mode: .counting)
        counting.reduce(key("N"))
        XCTAssertTrue(render(counting).contains("nσ (n/N)"))
        XCTAssertTrue(render(counting).contains("4.5σ"))
        var hits = state(mode: .hits)
        hits.reduce(key(">"))
        hits.reduce(key("]"))
        let panel = render(hits)
        XCTAssertTrue(panel.contains("min peaks (</>)"), panel)
        XCTAssertTrue(panel.contains("11"), panel)
        XCTAssertTrue(panel.contains("6.5σ"), panel)
        // 80×24 has no panel: the counters line carries the mode's values.
        var small = state(mode: .counting, width: 80, height: 24)
        small.reduce(key("n"))
        let title = render(small, width: 80, height: 24).split(separator: "\n")[0]
        XCTAssertTrue(title.contains("– photons, 3.5σ"), String(title))
    }

    func testTheCoreWritesEachChangeToTheControlBlockStartingFromTheOptions() {
        var h = CoreHarness(interactive: true) {
            $0.mode = .counting
            $0.processing.sigma = 5
            $0.processing.hitSigma = 7
            $0.processing.minPeaks = 12
        }
        let start = h.feed(.started).controls
        XCTAssertEqual(start.map(\.photonSigma), [5])
        XCTAssertEqual(start.map(\.hitSigma), [7])
        XCTAssertEqual(start.map(\.minPeaks), [12])
        XCTAssertEqual(h.feed(.key(.character("N"))).controls.map(\.photonSigma), [5.5])
        XCTAssertEqual(h.feed(.key(.character("]"))).controls.map(\.hitSigma), [7.5])
        XCTAssertEqual(h.feed(.key(.character("<"))).controls.map(\.minPeaks), [11])
    }

    func testPTogglesTheSidePanelAndSaysWhenThereIsNoRoomForIt() {
        var s = state(mode: .raw)
        XCTAssertNotNil(s.layout.panel)
        s.reduce(key("P"))
        XCTAssertNil(s.layout.panel)
        XCTAssertEqual(s.status?.text, "side panel off")
        XCTAssertEqual(s.layout.heatmap.width, 120, "the heatmap takes the room")
        s.reduce(key("P"))
        XCTAssertNotNil(s.layout.panel)
        var small = state(mode: .raw, width: 80, height: 24)
        small.reduce(key("P"))
        small.reduce(key("P"))
        XCTAssertEqual(small.status?.severity, .warning)
        XCTAssertEqual(small.status?.text, "the side panel needs 100 columns (shown when there is room)")
    }
}
