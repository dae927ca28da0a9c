import TerminalUI
import XCTest

/// What tmux's answer says: passthrough allowed (and where the pane is), or why not.
final class TmuxStatusTests: XCTestCase {
    func testTheQueryAsksThePaneFirstAndTheOptionSecond() {
        XCTAssertEqual(TmuxStatus.queryArguments(pane: "%3"),
                       ["display-message", "-p", "-t", "%3", "#{version}|#{pane_left}|#{pane_top}|#{status}|#{status-position}",
                        ";", "show-options", "-Apv", "-t", "%3", "allow-passthrough"])
        XCTAssertFalse(TmuxStatus.queryArguments(pane: nil).contains("-t"))
    }

    func testPassthroughOnGivesTheWrapperAtThePanesPlace() {
        XCTAssertEqual(TmuxStatus.parse(answer: "3.3a|0|0|on|bottom\non\n"), .passthrough(.init(paneColumn: 0, paneRow: 0)))
        XCTAssertEqual(TmuxStatus.parse(answer: "3.4|61|12|on|bottom\nall\n"), .passthrough(.init(paneColumn: 61, paneRow: 12)),
                       "all: also from invisible panes")
        XCTAssertEqual(TmuxStatus.parse(answer: "3.4|0|5|on|top\non\n"), .passthrough(.init(paneColumn: 0, paneRow: 6)),
                       "a status line at the top moves the pane down")
        XCTAssertEqual(TmuxStatus.parse(answer: "next-3.5|0|0|3|top\non\n"), .passthrough(.init(paneColumn: 0, paneRow: 3)))
        XCTAssertEqual(TmuxStatus.parse(answer: "master|0|0|off|top\non\n"), .passthrough(.init(paneColumn: 0, paneRow: 0)))
    }

    func testPassthroughOffTooOldOrNoAnswerIsBlockedWithAReason() {
        XCTAssertEqual(TmuxStatus.parse(answer: "3.3a|0|0|on|bottom\noff\n"),
                       .blocked(reason: "has allow-passthrough off, so it drops pictures"))
        XCTAssertEqual(TmuxStatus.parse(answer: "3.2a|0|0|on|bottom\n"),
                       .blocked(reason: "3.2a drops pictures (allow-passthrough is new in tmux 3.3)"))
        XCTAssertEqual(TmuxStatus.parse(answer: "3.3a|0|0|on|bottom\n"),
                       .blocked(reason: "has allow-passthrough off, so it drops pictures"), "no option line")
        for answer in [nil, "", "no server running on /tmp/x\n", "3.3a|x|0|on|bottom\non\n"] {
            XCTAssertEqual(TmuxStatus.parse(answer: answer), .blocked(reason: "did not answer whether it passes pictures on"),
                           String(describing: answer))
        }
    }
}
