import TerminalUI
import XCTest
@testable import CursesBackend

/// SGR mouse reports ("ESC [ <" is ncurses' key `CursesMouse.prefixCode`, then "b;x;y" and M or m
/// as characters) become the viewer's keys.
final class CursesMouseTests: XCTestCase {
    /// Feeds the characters after the prefix; the steps in order.
    private func read(_ text: String, into report: inout SGRMouseReport) -> [SGRMouseReport.Step] {
        report.start()
        return text.unicodeScalars.map { report.feed($0.value) }
    }

    private func decoded(_ text: String) -> SGRMouseReport.Step? {
        var report = SGRMouseReport()
        return read(text, into: &report).last
    }

    func testPressesAndWheelRollsBecomeMouseKeysAtZeroBasedCells() {
        XCTAssertEqual(decoded("0;34;10M"), .done(.mouse(MouseEvent(.press, column: 33, row: 9))))
        XCTAssertEqual(decoded("64;1;1M"), .done(.mouse(MouseEvent(.wheelUp, column: 0, row: 0))))
        XCTAssertEqual(decoded("65;300;80M"), .done(.mouse(MouseEvent(.wheelDown, column: 299, row: 79))),
                       "a column beyond 223, which X10 reports cannot name")
        XCTAssertEqual(decoded("4;5;6M"), .done(.mouse(MouseEvent(.press, column: 4, row: 5))), "Shift+click is a click")
        XCTAssertEqual(decoded("80;5;6M"), .done(.mouse(MouseEvent(.wheelUp, column: 4, row: 5))), "Ctrl+wheel is the wheel")
    }

    func testReleasesMotionAndOtherButtonsAreNoKeys() {
        XCTAssertEqual(decoded("0;34;10m"), .done(nil), "a release")
        XCTAssertEqual(decoded("32;34;10M"), .done(nil), "motion with the button down")
        XCTAssertEqual(decoded("2;34;10M"), .done(nil), "the right button")
        XCTAssertEqual(decoded("0;0;10M"), .done(nil), "column 0 does not exist (1-based)")
    }

    func testEveryCharacterButTheLastAsksForMore() {
        var report = SGRMouseReport()
        let steps = read("0;34;10M", into: &report)
        XCTAssertEqual(steps.dropLast(), Array(repeating: .more, count: 7))
        XCTAssertFalse(report.pending)
    }

    func testMalformedReportsEndAtTheFirstBadCharacter() {
        XCTAssertEqual(decoded("0;34x"), .invalid)
        XCTAssertEqual(decoded("0;34M"), .invalid, "two fields")
        XCTAssertEqual(decoded("0;;10M"), .invalid, "an empty field")
        XCTAssertEqual(decoded("0;1;2;3M"), .invalid, "four fields")
        XCTAssertEqual(decoded("0;1234567;1M"), .invalid, "an absurd column")
        var report = SGRMouseReport()
        _ = read("0;3", into: &report)
        report.cancel()
        XCTAssertEqual(report.feed(0x4D), .invalid, "nothing is read after a cancel")
    }

    func testTheSequencesTurnButtonReportsOnInSGRAndOffAgain() {
        XCTAssertEqual(CursesMouse.onSequence, "\u{1B}[?1000h\u{1B}[?1006h")
        XCTAssertEqual(CursesMouse.offSequence, "\u{1B}[?1006l\u{1B}[?1000l")
    }
}
