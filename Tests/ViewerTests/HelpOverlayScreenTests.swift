import TerminalUI
import Viewer
import XCTest

/// The help overlay (`?`) on the whole screen, read back from the rendered cells: every key of
/// the key map with its whole description on one of the pages `?` turns, at the sizes people use.
final class HelpOverlayScreenTests: XCTestCase {
    private func state(width: Int, height: Int) -> ViewerState {
        var state = ViewerState(source: "tcp://detector-host:9999")
        state.reduce(.resized(width: width, height: height))
        state.reduce(.seriesStarted(seriesInfo()))
        state.reduce(.image(rampImage(width: 88, height: 72)))
        return state
    }

    private func render(_ state: ViewerState, width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        Screen(state: state, glyphs: .unicode).render(into: &buffer)
        return buffer
    }

    /// What one page shows, column after column, row after row: the text in the key column and
    /// the text in the description column of each row of the box.
    private struct PageRows {
        var keys: [String] = []
        var descriptions: [String] = []
    }

    private func read(_ buffer: Buffer, width: Int, height: Int) -> PageRows {
        let area = Rect(x: 0, y: 0, width: width, height: height)
        let overlay = HelpText.overlay(page: 0)
        let box = overlay.box(in: area)
        let shape = overlay.arrangement(in: area)
        let keyWidth = HelpText.keys.map(\.key.count).max() ?? 0
        func text(_ x0: Int, _ x1: Int, _ y: Int) -> String {
            String(String.UnicodeScalarView((x0..<min(x1, box.right - 2)).map { buffer[$0, y].symbol }))
                .trimmingCharacters(in: .whitespaces)
        }
        var rows = PageRows()
        for column in 0..<shape.columns {
            let x = box.x + 2 + column * (shape.columnWidth + HelpOverlayWidget.columnGap)
            for y in (box.y + 1)..<(box.bottom - 1) {
                rows.keys.append(text(x, x + keyWidth, y))
                rows.descriptions.append(text(x + keyWidth + 2, x + shape.columnWidth, y))
            }
        }
        return rows
    }

    private func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Walks the pages with `?` as a user does, until `?` closes help.
    private func pages(width: Int, height: Int) -> (buffers: [Buffer], rows: [PageRows]) {
        var state = state(width: width, height: height)
        state.reduce(key("?"))
        var buffers: [Buffer] = []
        while state.showHelp, buffers.count < 20 {
            buffers.append(render(state, width: width, height: height))
            state.reduce(key("?"))
        }
        return (buffers, buffers.map { read($0, width: width, height: height) })
    }

    func testEveryKeyAndItsWholeDescriptionAreOnThePagesAt80By24And120By40And200By60() {
        for (width, height) in [(80, 24), (120, 40), (200, 60), (160, 30), (300, 100)] {
            let (buffers, rows) = pages(width: width, height: height)
            XCTAssertFalse(buffers.isEmpty)
            let box = HelpText.overlay(page: 0).box(in: Rect(x: 0, y: 0, width: width, height: height))
            XCTAssertLessThanOrEqual(box.width, width)
            XCTAssertLessThanOrEqual(box.height, height)
            // The description column, read in order over every page and joined where it wraps.
            let descriptions = collapsed(rows.flatMap(\.descriptions).joined(separator: " "))
            for binding in KeyMap.bindings {
                XCTAssertTrue(descriptions.contains(collapsed(binding.help)), "\(width)×\(height): \(binding.names) \(binding.help)")
            }
            for action in KeyMap.mouseActions {
                XCTAssertTrue(descriptions.contains(collapsed(action.help)), "\(width)×\(height): \(action.names) \(action.help)")
            }
            // Every key once, in the key map's order, then the mouse's actions, read page after page.
            XCTAssertEqual(rows.flatMap(\.keys).filter { !$0.isEmpty },
                           KeyMap.bindings.map { $0.names.joined(separator: "  ") } + KeyMap.mouseActions.map(\.names),
                           "\(width)×\(height)")
            for line in HelpText.modes + HelpText.notes {
                XCTAssertTrue(descriptions.contains(collapsed(line)), "\(width)×\(height): \(line)")
            }
            let lastPage = collapsed(rows[rows.count - 1].descriptions.joined(separator: " "))
            XCTAssertTrue(lastPage.hasSuffix(collapsed(HelpText.notes[HelpText.notes.count - 1])),
                          "\(width)×\(height): the last page ends with the last entry")
        }
    }

    func testItPagesAt80By24WithTheWayOnInTheBorderAndHoldsOnePageWhereItFits() {
        let (small, _) = pages(width: 80, height: 24)
        XCTAssertGreaterThan(small.count, 1, "80×24 pages the help")
        let n = small.count
        XCTAssertTrue(small[0].text.contains("? more (1/\(n))"), small[0].text)
        XCTAssertTrue(small[n - 1].text.contains("any key closes (\(n)/\(n))"), small[n - 1].text)
        for (width, height) in [(200, 60), (300, 100)] {
            XCTAssertEqual(pages(width: width, height: height).buffers.count, 1, "\(width)×\(height) holds it all")
        }
    }

    /// At 80 columns the longest descriptions wrap: their continuation rows have no key and
    /// start in the description column, going on where the first row stopped.
    func testLongDescriptionsWrapUnderTheDescriptionColumnAt80By24() throws {
        let (_, rows) = pages(width: 80, height: 24)
        let all = rows.flatMap { zip($0.keys, $0.descriptions) }
        let longest = try XCTUnwrap(KeyMap.bindings.max { $0.help.count < $1.help.count })
        let start = try XCTUnwrap(all.firstIndex { $0.0 == longest.names.joined(separator: "  ") })
        XCTAssertTrue(longest.help.hasPrefix(all[start].1), all[start].1)
        XCTAssertLessThan(all[start].1.count, longest.help.count, "the longest description does not fit 80 columns whole")
        XCTAssertEqual(all[start + 1].0, "", "its continuation row has no key")
        XCTAssertEqual(all[start].1 + " " + all[start + 1].1, longest.help, "and goes on where the first row stopped")
    }

    func testNoOverlayWithoutHelp() {
        XCTAssertFalse(render(state(width: 120, height: 40), width: 120, height: 40).text.contains(HelpText.keys[0].description))
    }
}
