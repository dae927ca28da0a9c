import Processing
import SharedMemory
import TerminalUI
import Viewer
import XCTest

/// Space, ←/→ and H in the reducer, on plain values.
final class ViewerStateHistoryTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    private func sample(at seconds: Double, received: UInt64 = 0, dropped: UInt64 = 0) -> ViewerEvent {
        var sample = CounterSample(timeNanoseconds: UInt64(seconds * 1e9))
        sample.received = received
        sample.dropped = dropped
        return .sample(sample)
    }

    private func frame(_ number: UInt64) -> ViewerEvent {
        .image(displayImage((0..<8).map { Float($0) * Float(number) }, width: 4, frameNumber: number))
    }

    /// Frames 1…5 shown one a second, as the session feeds them (counters, then the board's image).
    private func showingFiveFrames() -> ViewerState {
        var state = ViewerState(source: "demo")
        state.reduce(.resized(width: 120, height: 40))
        for n: UInt64 in 1...5 {
            state.reduce(sample(at: Double(n)))
            state.reduce(frame(n))
        }
        return state
    }

    func testSpaceBeforeAnyImageSaysThereIsNothingToPause() {
        let state = ViewerState(source: "demo").reduced(key(" "))
        XCTAssertFalse(state.history.isPaused)
        XCTAssertEqual(state.status?.severity, .warning)
        XCTAssertEqual(state.status?.text, "nothing shown yet to pause")
    }

    func testSpaceHoldsThePictureWhileImagesAndCountersGoOn() {
        let live = showingFiveFrames()
        let paused = live.reduced(key(" "), sample(at: 17.4, received: 999), frame(6), frame(7))
        XCTAssertTrue(paused.history.isPaused)
        XCTAssertEqual(paused.image?.frameNumber, 7, "the live image is still taken in")
        XCTAssertEqual(paused.counters.received, 999, "the counters go on")
        XCTAssertEqual(paused.shownImage?.frameNumber, 5, "the picture stays")
        XCTAssertEqual(paused.scale, live.scale, "and so does its scale")
        XCTAssertEqual(paused.pauseText, "PAUSED 12.4 s behind, image 5/5")
        XCTAssertNil(live.pauseText)
    }

    func testArrowsStepThroughTheShownImagesWhilePaused() {
        let paused = showingFiveFrames().reduced(key(" "))
        let back = paused.reduced(.key(.left), .key(.left))
        XCTAssertEqual(back.shownImage?.frameNumber, 3)
        XCTAssertEqual(back.pauseText, "PAUSED 2.0 s behind, image 3/5")
        XCTAssertEqual(back.status?.text, "frame 3")
        XCTAssertEqual(back.scale.high, 21, accuracy: 0.1, "autoscale follows the held image (0…7 × 3, its 99.9 percentile)")
        let forward = back.reduced(.key(.right))
        XCTAssertEqual(forward.shownImage?.frameNumber, 4)
        let oldest = paused.reduced(.key(.left), .key(.left), .key(.left), .key(.left), .key(.left))
        XCTAssertEqual(oldest.shownImage?.frameNumber, 1)
        XCTAssertEqual(oldest.status?.text, "the oldest image held (--history 64)")
        XCTAssertEqual(paused.reduced(.key(.right)).status?.text, "the newest image held; space goes live")
    }

    func testArrowsPanWhenLiveAndNeverStep() {
        let live = showingFiveFrames().reduced(.message("earlier", .info))
        let after = live.reduced(.key(.left), .key(.right))
        XCTAssertEqual(after.shownImage?.frameNumber, 5)
        XCTAssertEqual(after.status?.text, "the whole frame is shown: zoom in (z) to pan", "live, the arrows are the pan keys")
        XCTAssertFalse(after.history.isPaused)
    }

    func testUpAndDownWhilePausedSayWhatTheArrowsDoThen() {
        let paused = showingFiveFrames().reduced(key(" "), .key(.up))
        XCTAssertTrue(paused.history.isPaused)
        XCTAssertEqual(paused.shownImage?.frameNumber, 5)
        XCTAssertEqual(paused.status?.text, "paused: ← / → step through the history, space goes live")
    }

    func testZoomingWhilePausedGoesLive() {
        // The held images were binned for the fitted view; a zoomed one can only be live.
        let state = showingFiveFrames().reduced(key(" "), .key(.left), key("z"))
        XCTAssertFalse(state.history.isPaused)
        XCTAssertNil(state.pauseText)
    }

    func testSpaceAgainGoesLive() {
        let state = showingFiveFrames().reduced(key(" "), .key(.left), frame(6), key(" "))
        XCTAssertFalse(state.history.isPaused)
        XCTAssertEqual(state.shownImage?.frameNumber, 6)
        XCTAssertEqual(state.status?.text, "live")
        XCTAssertNil(state.pauseText)
        XCTAssertEqual(state.reduced(frame(7)).history.newest?.image.frameNumber, 7, "recording again")
    }

    func testChoosingAModeGoesLive() {
        let state = showingFiveFrames().reduced(key(" "), .key(.left), key("9"))
        XCTAssertFalse(state.history.isPaused)
        XCTAssertEqual(state.modes.mode, .hits)
    }

    func testAComposedViewIsHeldAndTheArrowsSaySoThere() {
        var composed = ComposedView(mode: .sum)
        composed.width = 2
        composed.height = 1
        composed.pixels = [1, 2]
        composed.workers = 1
        var state = showingFiveFrames().reduced(key("6"), .composed(composed), key(" "))
        var newer = composed
        newer.pixels = [5, 6]
        state.reduce(.composed(newer))
        XCTAssertEqual(state.modes.composed?.pixels, [1, 2], "paused, the sum's view stays")
        XCTAssertEqual(state.pauseText, "PAUSED 0.0 s behind")
        state.reduce(.key(.left))
        XCTAssertEqual(state.status?.severity, .warning)
        XCTAssertTrue(state.status?.text.hasPrefix("the history holds latest-frame images") == true, state.status?.text ?? "")
    }

    func testHTogglesTheStripsAndSaysWhenTheyDoNotFit() {
        var small = ViewerState(source: "demo").reduced(.resized(width: 80, height: 24), key("H"))
        XCTAssertTrue(small.showsStrips)
        XCTAssertEqual(small.status?.severity, .warning)
        XCTAssertEqual(small.status?.text,
                       "history strips do not fit at 80×24: they need 127×20 (shown when there is room)")
        small.reduce(key("H"))
        XCTAssertFalse(small.showsStrips)
        XCTAssertEqual(small.stripRows, 0)

        let large = ViewerState(source: "demo").reduced(.resized(width: 200, height: 60), key("H"))
        XCTAssertEqual(large.status?.text, "history strips: the last 60 s")
        XCTAssertEqual(large.stripRows, 6, "a heading and five strips")
        XCTAssertEqual(large.reduced(key("9")).stripRows, 8, "hits mode adds the hit rate and peaks")
    }

    func testEverySecondsSampleAddsAPointOfTheMeasuredRates() {
        var state = ViewerState(source: "demo")
        var sample = CounterSample(timeNanoseconds: 10 * second)
        sample.ring = SlotOccupancy(free: 24, filled: 6, claimed: 2)
        sample.workers = [WorkerSample(index: 0, busyNanoseconds: 0, frames: 0, restarts: 0, alive: true)]
        state.reduce(.sample(sample))
        sample.timeNanoseconds = 12 * second
        sample.received = 400
        sample.bytes = 80_000_000
        sample.dropped = 10
        sample.workers[0].busyNanoseconds = second
        state.reduce(.sample(sample))
        let point = try? XCTUnwrap(state.statsHistory.newest)
        XCTAssertEqual(point?.framesPerSecond, 200)
        XCTAssertEqual(point?.megabytesPerSecond, 40)
        XCTAssertEqual(point?.dropsPerSecond, 5)
        XCTAssertEqual(point?.ringFill, 0.25)
        XCTAssertEqual(point?.workerLoad, 0.5)
        XCTAssertEqual(point?.hitRate.isNaN, true, "no hit rate outside hits mode")
        XCTAssertEqual(state.statsHistory.count, 3, "seconds 10, 11 (a gap) and 12")

        state.reduce(key("9"))
        var readout = FrameReadout(timeNanoseconds: 12 * second)
        readout.checked = 4
        readout.hits = 1
        readout.peaks = 17
        state.reduce(.readout(readout))
        sample.timeNanoseconds = 13 * second
        state.reduce(.sample(sample))
        XCTAssertEqual(state.statsHistory.newest?.hitRate, 0.25)
        XCTAssertEqual(state.statsHistory.newest?.peaksPerFrame, 17)
    }
}
