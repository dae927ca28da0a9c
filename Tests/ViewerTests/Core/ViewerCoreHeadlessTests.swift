import Processing
import SharedMemory
import Viewer
import XCTest

/// Which events become headless lines and log lines, and when a series ends for the user.
final class ViewerCoreHeadlessTests: XCTestCase {
    func testStartSaysWhatIsWatchedAndRepeatsEachWarningOnStderrInHeadlessMode() {
        var h = CoreHarness(headless: headless()) { $0.startupWarnings = ["PULL takes frames"] }
        let effects = h.feed(.started)
        XCTAssertEqual(effects.logs, ["viewing tcp://127.0.0.1:30001 with 2 workers", "PULL takes frames"])
        XCTAssertEqual(effects.lineEvents, ["warning"])
        XCTAssertTrue(effects.contains(.stderr("detview: warning: PULL takes frames")))
        XCTAssertEqual(h.core.screen.status?.text, "PULL takes frames")
    }

    func testInteractiveStartShowsTheWarningOnTheStatusLineOnly() {
        var h = CoreHarness(interactive: true) { $0.startupWarnings = ["PULL takes frames"] }
        let effects = h.feed(.started)
        XCTAssertEqual(effects.lines, [])
        XCTAssertFalse(effects.contains { if case .stderr = $0 { true } else { false } })
        XCTAssertEqual(h.core.screen.status?.text, "PULL takes frames")
    }

    func testSeriesStartIsLoggedAndBecomesALine() {
        var h = CoreHarness(headless: headless())
        let effects = h.feed(.ingest([.seriesStarted(seriesInfo(series: 4))], h.counters(received: 0)))
        XCTAssertEqual(effects.logs, ["series 4 started: sls 400×200 uint16"])
        XCTAssertEqual(effects.lineEvents, ["series_start"])
    }

    func testSeriesEndWaitsForFramesInFlightAndForTheirResults() {
        var h = CoreHarness(headless: headless())
        h.feed(.ingest([.seriesStarted(seriesInfo())], h.counters(received: 0)))
        // All three frames counted processed, but only one result drained yet.
        h.feed(.results(frameResults(1...1), lost: 0, h.counters(received: 3, processed: 1)))
        let ended = h.feed(.ingest([.seriesEnded(series: 1, frames: 3)], h.counters(received: 3)))
        XCTAssertEqual(ended.lineEvents, [], "two results are still to come")
        XCTAssertEqual(ended.logs, ["series 1 ended after 3 frames"])
        let rest = h.feed(.results(frameResults(2...3), lost: 0, h.counters(received: 3)))
        XCTAssertEqual(rest.lineEvents, ["frame", "frame", "series_end"], "the last frame's line comes first")
    }

    func testLostResultsCountTowardsTheSeriesEndAndAreNamed() {
        var h = CoreHarness(headless: headless())
        h.feed(.ingest([.seriesEnded(series: 1, frames: 4)], h.counters(received: 4, processed: 0)))
        let effects = h.feed(.results(frameResults(4...4), lost: 3, h.counters(received: 4)))
        XCTAssertEqual(effects.lineEvents, ["frame", "warning", "series_end"])
        XCTAssertTrue(effects.logs.contains("3 per-frame results lost (the viewer fell behind)"))
    }

    func testASeriesEndWithNothingInFlightIsWrittenAtOnce() {
        var h = CoreHarness(headless: headless())
        let effects = h.feed(.ingest([.seriesEnded(series: 2, frames: 0)], h.counters(received: 0)))
        XCTAssertEqual(effects.lineEvents, ["series_end"])
    }

    func testBadFramesAndGapsAreLoggedAsWarnings() {
        var h = CoreHarness(headless: headless())
        let effects = h.feed(.ingest([.badFrame(reason: "no bitmode"), .frameGap(missing: 3)], h.counters(received: 1, bad: 1)))
        XCTAssertEqual(effects.logs, ["bad frame: no bitmode", "frame gap: 3 missing"])
        XCTAssertEqual(h.core.screen.gaps, 3)
    }

    func testPerFrameLinesOnlyWhenAskedFor() {
        var quiet = CoreHarness(headless: headless(perFrame: false))
        XCTAssertEqual(quiet.feed(.results(frameResults(1...3), lost: 0, quiet.counters(received: 3))).lines, [])
        var interactive = CoreHarness(interactive: true)
        XCTAssertEqual(interactive.feed(.results(frameResults(1...3), lost: 0, interactive.counters(received: 3))).lines, [])
    }

    func testStatsTickWritesTheAccountingInHeadlessModeOnly() {
        var h = CoreHarness(headless: headless())
        let effects = h.feed(.statsTick(h.counters(received: 10, dropped: 1, bad: 2)))
        XCTAssertEqual(effects.lineEvents, ["stats"])
        XCTAssertTrue(effects.lines[0].contains("\"processed\":7"), effects.lines[0])
        var interactive = CoreHarness(interactive: true)
        XCTAssertEqual(interactive.feed(.statsTick(interactive.counters(received: 10))).lines, [])
    }

    func testAWorkerPidfdAsksForAReapAndItsExitIsLoggedAndReported() {
        var h = CoreHarness(headless: headless())
        h.feed(.started)
        XCTAssertEqual(h.feed(.workerReadable(index: 1)), [.reapWorker(index: 1)])
        let exit = WorkerExit(index: 1, pid: 4242, cause: "killed by Killed", reclaimedSlots: 2, restarted: true)
        let effects = h.feed(.workerExited(exit))
        XCTAssertEqual(effects.logs, ["worker 1 (pid 4242) killed by Killed; 2 slot(s) reclaimed"])
        XCTAssertEqual(effects.lineEvents, ["warning"])
        XCTAssertEqual(h.core.screen.restarts, 1)
    }

    func testAStallAndItsEndAreWarningsWithTheStalledFlagInTheStats() {
        var h = CoreHarness(headless: headless())
        var sample = h.counters(received: 40, processed: 10)
        sample.workers = [WorkerSample(index: 0, busyNanoseconds: 0, frames: 10, restarts: 0, alive: true, stalled: true)]
        let stalled = h.feed(.workerProgress(warnings: ["worker 0 (pid 7) stalled: no progress for 3 s with work to do"], sample))
        XCTAssertEqual(stalled.logs, ["worker 0 (pid 7) stalled: no progress for 3 s with work to do"])
        XCTAssertEqual(stalled.lineEvents, ["warning"])
        XCTAssertEqual(h.core.screen.status?.severity, .warning)
        XCTAssertEqual(h.core.screen.workers.map(\.stalled), [true])
        XCTAssertTrue(h.feed(.statsTick(sample)).lines[0].contains("\"stalled\":true"))

        sample.workers[0].stalled = false
        let resumed = h.feed(.workerProgress(warnings: ["worker 0 (pid 7) no longer stalled: progress again after 4 s"], sample))
        XCTAssertEqual(resumed.lineEvents, ["warning"], "the end of a stall is a line too")
        XCTAssertEqual(h.core.screen.workers.map(\.stalled), [false])
    }

    func testTheDemoSimulatorsEndIsAWarning() {
        var h = CoreHarness(interactive: true)
        let effects = h.feed(.simulatorExited(cause: "exited with status 1"))
        XCTAssertEqual(effects.logs, ["demo simulator exited with status 1"])
        XCTAssertEqual(h.core.screen.status?.severity, .warning)
    }

    func testAnROIOutsideTheImageIsNamedAtSeriesStart() {
        var h = CoreHarness(headless: headless()) { $0.processing.rois = [try! PixelRectangle(x0: 500, y0: 500, x1: 600, y1: 600)] }
        let effects = h.feed(.ingest([.seriesStarted(seriesInfo(width: 400, height: 200))], h.counters(received: 0)))
        XCTAssertEqual(effects.lineEvents, ["series_start", "warning"])
        XCTAssertTrue(effects.logs.last?.hasPrefix("--roi 500,500,600,600: ") == true, "\(effects.logs)")
    }

    func testADarkSeriesTooShortForEveryWorkerIsNamedAtSeriesStart() {
        var h = CoreHarness(headless: headless(), workers: 4) { $0.processing.darkFrames = 150 }
        let effects = h.feed(.ingest([.seriesStarted(seriesInfo())], h.counters(received: 0)))
        XCTAssertEqual(effects.logs.last, "--dark-frames 150: too few for 4 workers (100 each): take at least 400")
    }

    func testANewSeriesClosesTheOneStillWaitingForItsFramesFirst() {
        var h = CoreHarness(headless: headless())
        h.feed(.ingest([.seriesStarted(seriesInfo(series: 1)), .seriesEnded(series: 1, frames: 5)],
                       h.counters(received: 5, processed: 2)))
        let next = h.feed(.ingest([.seriesStarted(seriesInfo(series: 2))], h.counters(received: 5, processed: 2)))
        XCTAssertEqual(next.lineEvents, ["series_end", "series_start"])
        XCTAssertTrue(next.lines[0].contains("\"series\":1"), next.lines[0])
    }

    func testTwoSeriesEndsInARowAreBothWritten() {
        var h = CoreHarness(headless: headless())
        let effects = h.feed(.ingest([.seriesEnded(series: 1, frames: 3), .seriesEnded(series: 2, frames: 3)],
                                     h.counters(received: 6, processed: 3)))
        XCTAssertEqual(effects.lineEvents, ["series_end"], "the first is closed by the second")
        let rest = h.feed(.results(frameResults(1...6), lost: 0, h.counters(received: 6)))
        XCTAssertEqual(rest.lineEvents.filter { $0 == "series_end" }.count, 1)
        XCTAssertTrue(rest.lines.last?.contains("\"series\":2") == true)
    }

    func testTheStatsLineCarriesTheLatencyOfTheLastWholeInterval() {
        var h = CoreHarness(headless: headless(perFrame: false))
        h.feed(.statsTick(h.counters(received: 0)))   // the first window starts
        var results = frameResults(1...4)
        for i in results.indices { results[i].decodeNs = 2_000_000 }
        h.now += 100_000_000
        h.feed(.results(results, lost: 0, h.counters(received: 4)))
        h.now += 1_000_000_000   // the counters are read at the tick's time
        let effects = h.feed(.statsTick(h.counters(received: 4)))
        XCTAssertEqual(h.core.screen.counters.latency?.frames, 4)
        XCTAssertTrue(effects.lines.first?.contains("\"latency_us\"") == true, "\(effects.lines)")
    }

    func testSeriesEndWaitsForTheResultsOfFramesAWorkerFoundBad() {
        var h = CoreHarness(headless: headless())
        var counters = h.counters(received: 2, processed: 0, bad: 2)
        counters.badInWorkers = 2
        var bad = frameResults(1...1)
        bad[0].status = .bad
        h.feed(.results(bad, lost: 0, counters))
        let ended = h.feed(.ingest([.seriesEnded(series: 1, frames: 2)], counters))
        XCTAssertEqual(ended.lineEvents, [], "the second bad frame's line is still to come")
        bad = frameResults(2...2)
        bad[0].status = .bad
        XCTAssertEqual(h.feed(.results(bad, lost: 0, counters)).lineEvents, ["bad_frame", "series_end"])
    }
}
