import CursesBackend
import TerminalUI
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The ncurses backend into a counted sink: what reaches the descriptor is what is counted,
/// only visible changes are written, and a sub-threshold change writes nothing.
final class CountedOutputTests: XCTestCase {
    private var sink: Int32 = -1
    private var path = ""

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "detview-sink-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        sink = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        XCTAssertGreaterThanOrEqual(sink, 0)
    }

    override func tearDown() {
        close(sink)
        unlink(path)
    }

    private func gradient(_ width: Int, _ height: Int, shift: UInt8 = 0) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                buffer[x, y] = Cell("▀", style: Style(fg: .rgb(UInt8(x * 3) &+ shift, UInt8(y * 6), 120),
                                                       bg: .rgb(30, UInt8(x * 2), UInt8(y * 5) &+ shift)))
            }
        }
        return buffer
    }

    private func terminal() throws -> CursesTerminal {
        try CursesTerminal(sinkFD: sink, term: "xterm-direct", colorMode: .truecolor, width: 80, height: 24)
    }

    func testTheCountIsWhatReachedTheDescriptor() throws {
        let terminal = try terminal()
        terminal.draw(gradient(80, 24))
        var info = stat()
        fstat(sink, &info)
        XCTAssertGreaterThan(terminal.bytesWritten, 80 * 24 * 3, "every cell's half block at least")
        XCTAssertEqual(terminal.bytesWritten, Int(info.st_size))
    }

    func testKChangedCellsWriteFarLessThanARepaint() throws {
        let terminal = try terminal()
        let first = gradient(80, 24)
        terminal.draw(first)
        let full = terminal.bytesWritten
        var second = first
        for (x, y) in [(1, 1), (40, 10), (79, 22)] { second[x, y] = Cell("▀", style: Style(fg: .rgb(255, 0, 0), bg: .rgb(0, 0, 255))) }
        terminal.draw(second)
        let three = terminal.bytesWritten - full
        XCTAssertGreaterThan(three, 0)
        XCTAssertLessThan(three, 3 * 60, "three cells: a move, two colours and a glyph each (\(three) bytes)")
        terminal.draw(second)
        XCTAssertEqual(terminal.bytesWritten - full - three, 0, "nothing changed, nothing written")
    }

    func testASubThresholdColourChangeWritesNothing() throws {
        let terminal = try terminal()
        terminal.draw(gradient(80, 24))
        let before = terminal.bytesWritten
        terminal.draw(gradient(80, 24, shift: 1))
        XCTAssertEqual(terminal.bytesWritten, before, "a one-step change of every cell is invisible")
        terminal.colorTolerance = .exact
        terminal.draw(gradient(80, 24, shift: 1))
        XCTAssertGreaterThan(terminal.bytesWritten - before, 80 * 24 * 3, "without the threshold every cell is rewritten")
    }

    func testTheNaiveBaselineRewritesEveryCell() throws {
        let terminal = try terminal()
        terminal.draw(gradient(80, 24))
        let first = terminal.bytesWritten
        terminal.rewritesEveryCell = true
        terminal.draw(gradient(80, 24))
        XCTAssertGreaterThan(terminal.bytesWritten - first, first / 2, "the same frame again costs a whole paint")
    }
}
