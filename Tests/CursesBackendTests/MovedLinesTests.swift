@testable import CursesBackend
import TerminalUI
import XCTest

/// The old lines ncurses could take for moved ones: changed rows whose old text, found once in
/// each frame, another row now holds.
final class MovedLinesTests: XCTestCase {
    private func frame(_ lines: [String]) -> Buffer {
        var buffer = Buffer(width: 8, height: lines.count)
        for (row, text) in lines.enumerated() { buffer.setString(x: 0, y: row, text, style: Style()) }
        return buffer
    }

    func testLinesShiftedDownAreFoundAtTheirOldRows() {
        let old = frame(["top", "a", "b", "c", "", ""])
        let new = frame(["top", "", "", "a", "b", "c"])
        XCTAssertEqual(MovedLines.sources(from: old, to: new), [1, 2, 3], "blank lines are many: no unique pair")
    }

    func testUnchangedAndNewLinesAreNotSources() {
        let old = frame(["top", "a", "b", "c"])
        XCTAssertEqual(MovedLines.sources(from: old, to: old), [], "nothing changed")
        XCTAssertEqual(MovedLines.sources(from: old, to: frame(["top", "x", "y", "z"])), [], "new text is nowhere old")
        XCTAssertEqual(MovedLines.sources(from: old, to: frame(["top", "top", "b", "c"])), [],
                       "a copy of an unchanged line: its old row did not change, nothing moved")
    }

    func testAStyleChangeIsAnotherLine() {
        let old = frame(["a", "b", "", "end"])
        var new = frame(["", "a", "b", "end"])
        new.setString(x: 0, y: 1, "a", style: Style(bold: true))
        XCTAssertEqual(MovedLines.sources(from: old, to: new), [1, 2], "b moved as it was, and the blank line (once in each frame); a bold a is another line")
    }

    func testFramesOfAnotherSizeHaveNoMovedLines() {
        XCTAssertEqual(MovedLines.sources(from: frame(["a", "b"]), to: frame(["b", "a", "c"])), [])
    }
}
