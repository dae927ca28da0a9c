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

    func testALargePictureGoesInPiecesWhoseContentsAreThePicture() {
        let picture = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 % 7 == 0 ? 0x1B : $0) }
        let wrapped = TmuxPassthrough.wrap(picture, pieceLimit: 1000)
        let (pieces, content) = unwrap(wrapped)
        XCTAssertEqual(pieces, 10)
        XCTAssertEqual(content, picture, "tmux hands on the pieces' contents one after the other: the picture")
        XCTAssertEqual(unwrap(TmuxPassthrough.wrap(picture)).pieces, 1, "the default piece holds a usual picture whole")
        XCTAssertEqual(unwrap(TmuxPassthrough.wrap(Array(repeating: 0x1B, count: TmuxPassthrough.pieceLimit + 1))).pieces, 2)
        XCTAssertLessThan(2 * TmuxPassthrough.pieceLimit + 16, 1 << 20, "a piece of nothing but ESCs still fits tmux's 1 MiB")
    }

    func testTheCursorIsPlacedInTheOuterTerminalsCoordinates() {
        let pane = TmuxPassthrough(paneColumn: 81, paneRow: 1)
        XCTAssertEqual(pane.cursorTo(column: 2, row: 3), "\u{1B}[5;84H", "pane origin + cell, 1-based")
        XCTAssertEqual(TmuxPassthrough(paneColumn: 0, paneRow: 0).cursorTo(column: 0, row: 0), "\u{1B}[1;1H")
    }
}
