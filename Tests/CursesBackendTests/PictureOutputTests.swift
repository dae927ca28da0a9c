import CursesBackend
import TerminalUI
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Pictures through the counted output: sent after the cells, counted, and sent again only when
/// the picture or the cells under it changed.
final class PictureOutputTests: XCTestCase {
    private var sink: Int32 = -1
    private var path = ""

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "detview-picture-sink-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        sink = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0o600)
        XCTAssertGreaterThanOrEqual(sink, 0)
    }

    override func tearDown() {
        close(sink)
        unlink(path)
    }

    private func picture(shade: UInt8) -> TerminalPicture {
        let cells = Rect(x: 2, y: 1, width: 4, height: 2)
        return TerminalPicture(cells: cells, width: 40, height: 40,
                               indices: (0..<1600).map { UInt8($0 % 40 / 10) },
                               palette: (0..<4).map { .init(UInt8($0 * 60), shade, 0) })
    }

    private func screen(label: String) -> Buffer {
        var buffer = Buffer(width: 20, height: 6)
        buffer.setString(x: 0, y: 5, label, style: Style())
        return buffer
    }

    private var written: String {
        String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data(), as: UTF8.self)
    }

    func testThePictureIsSentOnceUntilItOrTheCellsUnderItChange() throws {
        let terminal = try CursesTerminal(sinkFD: sink, term: "xterm-256color", colorMode: .color256,
                                          width: 20, height: 6, graphics: .sixel)
        let sixel = String(decoding: SixelEncoder.encode(picture(shade: 0)), as: UTF8.self)
        terminal.draw(screen(label: "a"), picture: picture(shade: 0))
        XCTAssertEqual(written.components(separatedBy: sixel).count - 1, 1)
        XCTAssertTrue(written.contains("\u{1B}7\u{1B}[2;3H" + sixel + "\u{1B}8"), "at the cells' top left, cursor saved and restored")
        XCTAssertEqual(terminal.bytesWritten, written.utf8.count, "the picture's bytes are counted")

        terminal.draw(screen(label: "b"), picture: picture(shade: 0))
        XCTAssertEqual(written.components(separatedBy: "\u{1B}P").count - 1, 1, "same picture, cells under it unchanged: not sent")

        terminal.draw(screen(label: "b"), picture: picture(shade: 255))
        XCTAssertEqual(written.components(separatedBy: "\u{1B}P").count - 1, 2, "a new picture is sent")

        var covered = screen(label: "b")
        covered.setString(x: 3, y: 2, "help", style: Style())
        let beforeHelp = terminal.bytesWritten
        terminal.draw(covered, picture: nil)
        XCTAssertEqual(written.components(separatedBy: "\u{1B}P").count - 1, 2, "no picture (help shown): nothing sent")
        // ncurses rewrites the picture's rows whole (blanks on blanks too), so no part of the image
        // stays: more than the same paint writes where no picture was.
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(null) }
        let twin = try CursesTerminal(sinkFD: null, term: "xterm-256color", colorMode: .color256, width: 20, height: 6)
        twin.draw(screen(label: "b"))
        let twinBefore = twin.bytesWritten
        twin.draw(covered)
        XCTAssertGreaterThan(terminal.bytesWritten - beforeHelp, twin.bytesWritten - twinBefore,
                             "the rows under the old picture are rewritten")
        terminal.draw(screen(label: "b"), picture: picture(shade: 255))
        XCTAssertEqual(written.components(separatedBy: "\u{1B}P").count - 1, 3,
                       "the same picture again after text was written over its cells")
    }

    /// Inside tmux the picture goes to the outer terminal whole, wrapped, at the pane's place there.
    func testThroughTmuxThePictureIsWrappedAndPlacedInTheOuterTerminal() throws {
        let pane = TmuxPassthrough(paneColumn: 61, paneRow: 10)
        let terminal = try CursesTerminal(sinkFD: sink, term: "tmux-256color", colorMode: .color256,
                                          width: 20, height: 6, graphics: .sixel, passthrough: pane)
        terminal.draw(screen(label: "a"), picture: picture(shade: 0))
        let sixel = SixelEncoder.encode(picture(shade: 0))
        let expected = TmuxPassthrough.wrap(Array("\u{1B}7\u{1B}[12;64H".utf8) + sixel + Array("\u{1B}8".utf8))
        XCTAssertTrue(written.contains(String(decoding: expected, as: UTF8.self)), "cell (2, 1) of a pane at (61, 10): row 12, column 64")
        XCTAssertFalse(written.contains(String(decoding: sixel, as: UTF8.self)), "never unwrapped: tmux would drop it")
        XCTAssertEqual(terminal.bytesWritten, written.utf8.count, "the wrapped bytes are counted")
    }

    func testWithoutGraphicsPicturesAreIgnored() throws {
        let terminal = try CursesTerminal(sinkFD: sink, term: "xterm-256color", colorMode: .color256, width: 20, height: 6)
        terminal.draw(screen(label: "a"), picture: picture(shade: 0))
        XCTAssertFalse(written.contains("\u{1B}P"))
    }

    func testAKittyPictureIsDeletedWhenItGoesAway() throws {
        let terminal = try CursesTerminal(sinkFD: sink, term: "xterm-256color", colorMode: .color256,
                                          width: 20, height: 6, graphics: .kitty)
        terminal.draw(screen(label: "a"), picture: picture(shade: 0))
        XCTAssertTrue(written.contains("\u{1B}_Ga=T,f=24,s=40,v=40,i=1,c=4,r=2"))
        let deletes = { self.written.components(separatedBy: "\u{1B}_Ga=d,d=I,i=1,q=2\u{1B}\\").count - 1 }
        XCTAssertEqual(deletes(), 1, "the old image is replaced, never stacked")
        terminal.draw(screen(label: "a"), picture: nil)
        XCTAssertEqual(deletes(), 2, "the image is deleted when the picture goes away")
        let before = written.components(separatedBy: "a=d").count
        terminal.shutdown()
        XCTAssertEqual(written.components(separatedBy: "a=d").count, before, "nothing left to delete at the end")
    }
}
