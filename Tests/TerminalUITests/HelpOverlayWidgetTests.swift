import TerminalUI
import XCTest

/// How the help overlay wraps, columns and pages its entries, on small buffers whose every row
/// the test writes out.
final class HelpOverlayWidgetTests: XCTestCase {
    func testWrapBreaksAtSpacesAndSplitsOnlyAWordLongerThanTheLine() {
        XCTAssertEqual(HelpOverlayWidget.wrap("zoom in / out by two", width: 8), ["zoom in", "/ out by", "two"])
        XCTAssertEqual(HelpOverlayWidget.wrap("a --snapshot-directory b", width: 6), ["a", "--snap", "shot-d", "irecto", "ry b"])
        XCTAssertEqual(HelpOverlayWidget.wrap("fits", width: 4), ["fits"])
        XCTAssertEqual(HelpOverlayWidget.wrap("", width: 4), [""])
    }

    /// A description wider than the box goes on in the description column of the next row,
    /// with the key column blank; the next entry keeps its key.
    func testALongDescriptionWrapsUnderTheDescriptionColumn() {
        var b = Buffer(width: 24, height: 7, fill: Cell("x"))
        let help = HelpOverlayWidget(title: "Help", entries: [.init(key: "z", description: "zoom in and out of the frame"),
                                                              .init(key: "q", description: "quit")])
        help.render(in: b.area, into: &b)
        XCTAssertEqual(b.row(0), "xxxxxxxxxxxxxxxxxxxxxxxx")
        XCTAssertEqual(b.row(1), "┌─ Help ───────────────┐")
        XCTAssertEqual(b.row(2), "│ z  zoom in and out   │")
        XCTAssertEqual(b.row(3), "│    of the frame      │")
        XCTAssertEqual(b.row(4), "│ q  quit              │")
        XCTAssertEqual(b.row(5), "└──────────────────────┘")
        XCTAssertEqual(help.pageCount(in: b.area), 1)
    }

    /// Too few rows: an entry that does not fit what is left of a page starts the next page
    /// whole, and the border says how to go on.
    func testAnEntryIsNotSplitAcrossPages() {
        let help = HelpOverlayWidget(title: "Help", entries: [.init(key: "a", description: "one"),
                                                              .init(key: "b", description: "two words here"),
                                                              .init(key: "c", description: "three")])
        var first = Buffer(width: 16, height: 4)
        help.render(in: first.area, into: &first)
        XCTAssertEqual(help.pageCount(in: first.area), 3)
        XCTAssertEqual(first.row(1), "│ a  one       │")
        XCTAssertEqual(first.row(2), "│              │")
        XCTAssertTrue(first.row(3).contains("? more (1/3)"), first.row(3))
        var second = Buffer(width: 16, height: 4)
        var page2 = help
        page2.page = 1
        page2.render(in: second.area, into: &second)
        XCTAssertEqual(second.row(1), "│ b  two words │")
        XCTAssertEqual(second.row(2), "│    here      │")
    }

    /// From 160 columns, entries that would page in one column stand in two, evenly; below, they page.
    func testTwoColumnsFrom160ColumnsWhereOneWouldPage() {
        let entries = (0..<30).map { HelpOverlayWidget.Entry(key: "k\($0)", description: "entry number \($0)") }
        let help = HelpOverlayWidget(title: "Help", entries: entries)
        let wide = help.arrangement(in: Rect(x: 0, y: 0, width: 160, height: 20))
        XCTAssertEqual(wide.columns, 2)
        XCTAssertEqual(wide.rows, 15, "30 one-row entries in two even columns")
        XCTAssertEqual(wide.pages, 1)
        var b = Buffer(width: 160, height: 20)
        help.render(in: b.area, into: &b)
        let box = help.box(in: b.area)
        XCTAssertTrue(b.row(box.y + 1).contains("k0   entry number 0"), b.row(box.y + 1))
        XCTAssertTrue(b.row(box.y + 1).contains("k15  entry number 15"), b.row(box.y + 1))
        let narrow = help.arrangement(in: Rect(x: 0, y: 0, width: 159, height: 20))
        XCTAssertEqual(narrow.columns, 1)
        XCTAssertEqual(narrow.pages, 2)
        XCTAssertEqual(help.arrangement(in: Rect(x: 0, y: 0, width: 200, height: 40)).columns, 1, "one column where it fits the height")
    }
}
