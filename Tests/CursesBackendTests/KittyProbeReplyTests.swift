import CursesBackend
import TerminalUI
import XCTest

/// What the real kitty (Debian's 0.26.5, under Xvfb) answered to `TerminalProbe.query(graphics:
/// true)`, byte for byte, read from its pty in raw mode: DECRQM 2026 reset (so synchronized
/// output works), the graphics query OK, XTWINOPS 16 (9×20 pixel cells), no reply to
/// XTSMGRAPHICS (kitty logs a parse error for it and goes on), DA1 without sixel. Its window
/// size reply had the pixels too (TIOCGWINSZ 71×20 cells, 639×400 pixels).
final class KittyProbeReplyTests: XCTestCase {
    private static let kittyReply = "\u{1B}[?2026;2$y\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[6;20;9t\u{1B}[?62;c"

    func testKittysOwnReplyGivesItsProtocolTheCellSizeAndSynchronizedOutput() {
        let answer = TerminalProbe.parse(Array(Self.kittyReply.utf8))
        XCTAssertTrue(answer.complete)
        XCTAssertEqual(answer.supported, true)
        XCTAssertTrue(answer.kittyGraphics)
        XCTAssertEqual(answer.cellPixels, TerminalProbe.PixelSize(width: 9, height: 20))
        XCTAssertNil(answer.colorRegisters)
        XCTAssertEqual(answer.deviceAttributes, [62])
        let environment = ["TERM": "xterm-kitty", "COLORTERM": "truecolor"]
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: environment, tmux: .outside, replies: answer.graphicsReplies).graphics,
                       .kitty)
    }

    /// The reply arrives in pieces on a slow link: until DA1 is in, nothing is complete, and
    /// every prefix parses without claiming what has not come.
    func testEveryPrefixOfKittysReplyIsSafe() {
        let bytes = Array(Self.kittyReply.utf8)
        for length in 0..<bytes.count {
            let answer = TerminalProbe.parse(Array(bytes.prefix(length)))
            XCTAssertFalse(answer.complete, "\(length) bytes")
            // 11 bytes of DECRQM reply, then 12 of the graphics reply.
            if length < 23 { XCTAssertFalse(answer.kittyGraphics, "\(length) bytes: the OK is not in yet") }
            if length >= 23 { XCTAssertTrue(answer.kittyGraphics, "\(length) bytes") }
        }
    }
}
