import CursesBackend
import TerminalUI
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// ncurses' scroll optimisation moves whole screen lines (a scroll region, then scroll or insert/
/// delete line), and a terminal moves a picture's pixels with the lines it scrolls; the picture is
/// not sent again while it does not change. With a picture on, lines beside it that shift between
/// paints are redrawn instead of scrolled; without one ncurses still scrolls (it saves bytes).
final class PictureScrollTests: XCTestCase {
    private var sink: Int32 = -1
    private var path = ""

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "detview-scroll-sink-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        sink = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0o600)
        XCTAssertGreaterThanOrEqual(sink, 0)
    }

    override func tearDown() {
        close(sink)
        unlink(path)
    }

    private var written: String {
        String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data(), as: UTF8.self)
    }

    /// The heatmap's cells at the left (blank under the picture), a panel of distinct lines beside it.
    private let pictureCells = Rect(x: 0, y: 2, width: 20, height: 20)

    private var picture: TerminalPicture {
        TerminalPicture(cells: pictureCells, width: 40, height: 40,
                        indices: (0..<1600).map { UInt8($0 % 40 / 10) },
                        palette: (0..<4).map { .init(UInt8($0 * 60), 90, 0) })
    }

    /// The panel's lines start at `firstRow`: moving it moves every line of the panel.
    private func screen(panelAt firstRow: Int) -> Buffer {
        var buffer = Buffer(width: 60, height: 26)
        buffer.setString(x: 0, y: 0, "detview status line", style: Style())
        for line in 0..<16 {
            buffer.setString(x: 24, y: firstRow + line, "panel line \(line): value \(line * 37)", style: Style())
        }
        return buffer
    }

    /// What the output holds since `offset`: ncurses' scroll operations in xterm's terminfo (scroll
    /// region `CSI t;b r`, `CSI n S`/`T`, insert/delete line `CSI n L`/`M`, reverse index `ESC M`).
    private func scrollSequences(after offset: Int) -> [String] {
        let text = String(written.utf8.dropFirst(offset))!
        let pattern = try! NSRegularExpression(pattern: "\u{1B}\\[[0-9;]*[rSTLM]|\u{1B}M")
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range, in: text)!]).replacingOccurrences(of: "\u{1B}", with: "ESC")
        }
    }

    private func sixels(after offset: Int) -> Int {
        String(written.utf8.dropFirst(offset))!.components(separatedBy: "\u{1B}P").count - 1
    }

    func testWithAPictureShiftedPanelLinesAreRedrawnNotScrolled() throws {
        let terminal = try CursesTerminal(sinkFD: sink, term: "xterm-256color", colorMode: .color256,
                                          width: 60, height: 26, graphics: .sixel)
        terminal.draw(screen(panelAt: 3), picture: picture)
        let first = written.utf8.count
        terminal.draw(screen(panelAt: 8), picture: picture)
        XCTAssertEqual(scrollSequences(after: first), [], "no line is scrolled: the picture would move with it")
        XCTAssertTrue(String(written.utf8.dropFirst(first))!.contains("panel line 0: value 0"), "the lines are written in place")
        XCTAssertEqual(sixels(after: first), 1, "lines through the picture's rows were written whole: the picture is sent again")
        let second = written.utf8.count
        terminal.draw(screen(panelAt: 4), picture: picture)
        XCTAssertEqual(scrollSequences(after: second), [], "nor back up")
        // Whatever was written over the picture's cells, the picture is whole afterwards.
        let third = written.utf8.count
        terminal.draw(screen(panelAt: 4), picture: picture)
        XCTAssertEqual(sixels(after: third), 0, "an unchanged screen sends nothing again")
    }

    /// The same shift without graphics: ncurses keeps scrolling the lines (this is what the test
    /// above would see too without the fix), the half-block path keeps its savings.
    func testWithoutAPictureNcursesStillScrolls() throws {
        let terminal = try CursesTerminal(sinkFD: sink, term: "xterm-256color", colorMode: .color256,
                                          width: 60, height: 26)
        terminal.draw(screen(panelAt: 3), picture: nil)
        let first = written.utf8.count
        terminal.draw(screen(panelAt: 8), picture: nil)
        XCTAssertFalse(scrollSequences(after: first).isEmpty, "ncurses scrolls the panel's lines")
    }
}
