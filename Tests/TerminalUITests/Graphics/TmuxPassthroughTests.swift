import TerminalUI
import XCTest

/// tmux's DCS passthrough: what tmux hands on to the terminal outside is exactly the wrapped bytes.
final class TmuxPassthroughTests: XCTestCase {
    /// What tmux does with a passthrough sequence: drops the envelope and undoubles the ESCs.
    private func unwrap(_ wrapped: [UInt8]) -> (pieces: Int, content: [UInt8]) {
        let introducer = Array("\u{1B}Ptmux;".utf8)
        var content: [UInt8] = []
        var pieces = 0
        var i = 0
        while i < wrapped.count {
            XCTAssertEqual(Array(wrapped[i..<min(wrapped.count, i + introducer.count)]), introducer, "each piece starts with ESC P tmux;")
            i += introducer.count
            pieces += 1
            while i < wrapped.count {
                if wrapped[i] == 0x1B {
                    XCTAssertLessThan(i + 1, wrapped.count, "a lone ESC at the end")
                    if wrapped[i + 1] == 0x1B {
                        content.append(0x1B)
                        i += 2
                        continue
                    }
                    XCTAssertEqual(wrapped[i + 1], UInt8(ascii: "\\"), "an undoubled ESC may only end the piece")
                    i += 2
                    break
                }
                content.append(wrapped[i])
                i += 1
            }
        }
        return (pieces, content)
    }

    func testEveryESCIsDoubledAndTheSequenceIsEnclosed() {
        XCTAssertEqual(TmuxPassthrough.wrap("\u{1B}[c"), "\u{1B}Ptmux;\u{1B}\u{1B}[c\u{1B}\\")
        let sixel = "\u{1B}P0;1;0q\"1;1;4;4#0;2;100;0;0#0~~~~\u{1B}\\"
        XCTAssertEqual(TmuxPassthrough.wrap(sixel),
                       "\u{1B}Ptmux;\u{1B}\u{1B}P0;1;0q\"1;1;4;4#0;2;100;0;0#0~~~~\u{1B}\u{1B}\\\u{1B}\\")
        XCTAssertEqual(TmuxPassthrough.wrap([]), [], "nothing to pass, no empty envelope")
    }

    /// One sequence, however large: tmux resets the outer terminal between two (SGR 0, cursor
    /// home), which would cut a sixel image in two and print its second half as text (seen in
    /// xterm through tmux 3.3a when a 300 KB picture went in pieces).
    func testALargePictureGoesWholeInOneSequenceThatUnwrapsToIt() {
        let picture = (0..<600_000).map { UInt8(truncatingIfNeeded: $0 % 7 == 0 ? 0x1B : $0) }
        let (pieces, content) = unwrap(TmuxPassthrough.wrap(picture))
        XCTAssertEqual(pieces, 1)
        XCTAssertEqual(content, picture, "tmux hands on exactly the picture")
    }

    func testTheCursorIsPlacedInTheOuterTerminalsCoordinates() {
        let pane = TmuxPassthrough(paneColumn: 81, paneRow: 1)
        XCTAssertEqual(pane.cursorTo(column: 2, row: 3), "\u{1B}[5;84H", "pane origin + cell, 1-based")
        XCTAssertEqual(TmuxPassthrough(paneColumn: 0, paneRow: 0).cursorTo(column: 0, row: 0), "\u{1B}[1;1H")
    }
}
