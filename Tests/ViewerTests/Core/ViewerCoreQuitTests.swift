import SharedMemory
import TerminalUI
import Viewer
import XCTest

/// When the viewer quits, and with which exit status.
final class ViewerCoreQuitTests: XCTestCase {
    func testQKeyQuitsWithStatusZero() {
        var h = CoreHarness(interactive: true)
        h.feed(.started)
        XCTAssertEqual(h.feed(.key(.character("x"))).quitCodes, [])
        XCTAssertEqual(h.feed(.key(.character("q"))).quitCodes, [0])
        XCTAssertEqual(h.core.exitCode, 0)
    }

    func testCtrlCQuitsFromTheHelpOverlay() {
        var h = CoreHarness(interactive: true)
        h.feed(.key(.character("?")))
        XCTAssertEqual(h.feed(.key(.control("c"))).quitCodes, [0])
    }

    func testTerminatingSignalQuitsWith128PlusItsNumberAndLogsIt() {
        var h = CoreHarness(headless: headless())
        let effects = h.feed(.signal(15))
        XCTAssertEqual(effects.quitCodes, [143])
        XCTAssertEqual(effects.logs, ["signal 15: quitting"])
    }

    func testTheFirstReasonToQuitKeepsItsStatus() {
        var h = CoreHarness(headless: headless())
        h.feed(.signal(2))
        XCTAssertEqual(h.feed(.stdoutFailed(reason: "Broken pipe")).quitCodes, [], "quit is said once")
        XCTAssertEqual(h.core.exitCode, 130)
    }

    func testClosedStdoutQuitsWithStatusOneAndLogsTheReason() {
        var h = CoreHarness(headless: headless())
        let effects = h.feed(.stdoutFailed(reason: "Broken pipe"))
        XCTAssertEqual(effects.quitCodes, [1])
        XCTAssertEqual(effects.logs, ["stdout closed: Broken pipe"])
    }

    func testExitAfterFramesQuitsOnceThatManyFramesWereReportedAndWritesNoMore() {
        var h = CoreHarness(headless: headless(exitAfterFrames: 5))
        let first = h.feed(.results(frameResults(1...3), lost: 0, h.counters(received: 3)))
        XCTAssertEqual(first.lineEvents, ["frame", "frame", "frame"])
        XCTAssertEqual(first.quitCodes, [])
        let second = h.feed(.results(frameResults(4...9), lost: 0, h.counters(received: 9)))
        XCTAssertEqual(second.lineEvents, ["frame", "frame"], "frames beyond the limit write no line")
        XCTAssertEqual(second.quitCodes, [0])
    }

    func testExitOnSeriesEndQuitsWhenTheSeriesIsAccountedFor() {
        var h = CoreHarness(headless: headless(exitOnSeriesEnd: true))
        h.feed(.ingest([.seriesStarted(seriesInfo())], h.counters(received: 0)))
        let ended = h.feed(.ingest([.seriesEnded(series: 1, frames: 2)], h.counters(received: 2, processed: 1)))
        XCTAssertEqual(ended.quitCodes, [], "a frame is still in flight")
        let done = h.feed(.results(frameResults(1...2), lost: 0, h.counters(received: 2)))
        XCTAssertEqual(done.lineEvents, ["frame", "frame", "series_end"])
        XCTAssertEqual(done.quitCodes, [0])
    }

    func testAFailedSaveTurnsAZeroStatusIntoOneButKeepsASignalsStatus() {
        var clean = CoreHarness(headless: headless())
        clean.feed(.key(.character("q")))
        clean.feed(.saveFinished(SaveOutcome(lines: [.init(.error, "--save: disk full")], failed: true)))
        XCTAssertEqual(clean.core.exitCode, 1)

        var signalled = CoreHarness(headless: headless())
        signalled.feed(.signal(15))
        signalled.feed(.saveFinished(SaveOutcome(failed: true)))
        XCTAssertEqual(signalled.core.exitCode, 143)
    }

    func testTheFinalAccountingIsAlwaysWrittenInHeadlessMode() {
        var h = CoreHarness(headless: headless())
        h.feed(.signal(15))
        let effects = h.feed(.finishing(h.counters(received: 7, dropped: 2)))
        XCTAssertEqual(effects.lineEvents, ["stats"])
        XCTAssertTrue(effects.lines[0].contains("\"received\":7"), effects.lines[0])
        XCTAssertTrue(effects.lines[0].contains("\"dropped\":2"), effects.lines[0])

        var interactive = CoreHarness(interactive: true)
        XCTAssertEqual(interactive.feed(.finishing(interactive.counters(received: 7))).lines, [])
    }

    func testASavedImageIsLoggedAndItsWarningsGoToStderr() {
        var h = CoreHarness(headless: headless())
        h.feed(.key(.character("q")))
        let effects = h.feed(.saveFinished(SaveOutcome(saved: "saved sum image of 10 frames to /tmp/x.npy",
                                                       lines: [.init(.warning, "--save: 1 worker restart(s)")])))
        XCTAssertEqual(effects.logs, ["saved sum image of 10 frames to /tmp/x.npy", "--save: 1 worker restart(s)"])
        XCTAssertEqual(effects.lineEvents, ["info"], "one headless line for the saved image")
        XCTAssertTrue(effects.contains(.stderr("detview: --save: 1 worker restart(s)")))
        XCTAssertEqual(h.core.exitCode, 0)
    }
}
