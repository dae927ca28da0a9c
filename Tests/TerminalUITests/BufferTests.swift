import TerminalUI
import XCTest

final class BufferTests: XCTestCase {
    func testSetStringWritesOneCellPerCharacterWithStyle() {
        var b = Buffer(width: 6, height: 2)
        let style = Style().bolded()
        let end = b.setString(x: 1, y: 1, "abc", style: style)
        XCTAssertEqual(b.text, "      \n abc  ")
        XCTAssertEqual(end, 4)
        XCTAssertEqual(b[2, 1].style, style)
        XCTAssertEqual(b[0, 1].style, .plain)
    }

    func testSetStringClipsToRectAndBuffer() {
        var b = Buffer(width: 5, height: 1)
        b.setString(x: -2, y: 0, "0123456789", clippedTo: Rect(x: 1, y: 0, width: 2, height: 1))
        XCTAssertEqual(b.text, " 34  ")
        b.setString(x: 3, y: 0, "xyzzy")
        XCTAssertEqual(b.text, " 34xy")
    }

    func testSetStringOutsideRowsOrOnEmptyBufferDoesNothing() {
        var b = Buffer(width: 3, height: 1)
        b.setString(x: 0, y: 1, "abc")
        b.setString(x: 0, y: -1, "abc")
        XCTAssertEqual(b.text, "   ")
        var empty = Buffer(width: 0, height: 0)
        empty.setString(x: 0, y: 0, "abc")
        XCTAssertEqual(empty.text, "")
    }

    func testSetStringStopsEarlyOnAHugeString() {
        var b = Buffer(width: 4, height: 1)
        let end = b.setString(x: 0, y: 0, String(repeating: "x", count: 1_000_000))
        XCTAssertEqual(b.text, "xxxx")
        XCTAssertEqual(end, 4)
    }

    func testSetStringReplacesControlCharactersAndDropsCombiningMarks() {
        var b = Buffer(width: 4, height: 1)
        b.setString(x: 0, y: 0, "a\u{1B}e\u{301}\t")
        XCTAssertEqual(b.text, "a e ")
    }

    func testSubscriptOutOfBoundsReadsBlankAndIgnoresWrites() {
        var b = Buffer(width: 2, height: 2)
        b[5, 5] = Cell("x")
        b[-1, 0] = Cell("x")
        XCTAssertEqual(b[5, 5], .blank)
        XCTAssertEqual(b.text, "  \n  ")
    }

    func testFillClipsToBuffer() {
        var b = Buffer(width: 3, height: 2)
        b.fill(Rect(x: 1, y: 1, width: 10, height: 10), with: Cell("#"))
        XCTAssertEqual(b.text, "   \n ##")
    }

    func testDiffReportsExactlyTheChangedCells() {
        let a = Buffer(width: 4, height: 3)
        var b = a
        b[1, 0] = Cell("x")
        b[3, 2] = Cell(" ", style: Style().reversed())
        b[0, 1] = .blank  // unchanged write
        let changes = b.diff(from: a)
        XCTAssertEqual(changes.map { [$0.x, $0.y] }, [[1, 0], [3, 2]])
        XCTAssertEqual(changes[1].cell.style.reverse, true)
        XCTAssertTrue(a.diff(from: a).isEmpty)
    }

    func testDiffAgainstAnotherSizeReportsEveryCell() {
        let a = Buffer(width: 2, height: 2)
        let b = Buffer(width: 3, height: 2)
        XCTAssertEqual(b.diff(from: a).count, 6)
    }

    func testTestBackendCountsChangedCells() {
        var backend = TestBackend(width: 3, height: 1)
        var frame = Buffer(width: 3, height: 1)
        backend.draw(frame)
        XCTAssertEqual(backend.lastChangedCellCount, 3)
        frame[2, 0] = Cell("z")
        backend.draw(frame)
        XCTAssertEqual(backend.lastChangedCellCount, 1)
        XCTAssertEqual(backend.buffer?.text, "  z")
        XCTAssertEqual(backend.drawCount, 2)
    }
}
