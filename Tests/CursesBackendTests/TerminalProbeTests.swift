import CursesBackend
import TerminalUI
import XCTest

/// The start-up probe's replies (synchronized output, sixel, kitty graphics, cell size, colour
/// registers), among whatever else the terminal sent.
final class TerminalProbeTests: XCTestCase {
    private func parse(_ s: String) -> TerminalProbe.Answer { TerminalProbe.parse(Array(s.utf8)) }

    func testRepliesSayWhetherTheModeIsKnown() {
        let set = parse("\u{1B}[?2026;2$y\u{1B}[?62;22c")
        XCTAssertEqual(set.supported, true)
        XCTAssertTrue(set.complete)
        XCTAssertEqual(parse("\u{1B}[?2026;0$y\u{1B}[?1;2c").supported, false, "0: not recognised")
        XCTAssertEqual(parse("\u{1B}[?2026;4$y").supported, false, "4: permanently reset")
    }

    func testATerminalThatIgnoresDECRQMIsDoneAtTheDeviceAttributes() {
        let answer = parse("\u{1B}[?64;1;9c")
        XCTAssertNil(answer.supported)
        XCTAssertTrue(answer.complete)
        XCTAssertEqual(answer.deviceAttributes, [64, 1, 9])
    }

    func testKeysTypedMeanwhileAndPartialRepliesAreSkipped() {
        XCTAssertEqual(parse("ab\u{1B}[?2026;1$y q"), .init(supported: true, complete: false))
        XCTAssertEqual(parse("\u{1B}[?2026;1"), .init(supported: nil, complete: false))
        XCTAssertEqual(parse("\u{1B}[?1049;1$y\u{1B}[c").supported, nil, "another mode")
        XCTAssertEqual(parse("\u{1B}_Gi=31;OK"), .init(supported: nil, complete: false), "an unfinished kitty reply says nothing")
    }

    /// xterm -ti vt340 answers attribute 4 (sixel); xterm as a VT420 does not.
    func testDeviceAttributesWithAndWithoutSixel() {
        let vt340 = parse("\u{1B}[?63;1;2;4;6;9;15;22c")
        XCTAssertEqual(vt340.deviceAttributes, [63, 1, 2, 4, 6, 9, 15, 22])
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: ["TERM": "xterm"], tmux: .outside,
                                             replies: vt340.graphicsReplies).graphics, .sixel)
        let vt420 = parse("\u{1B}[?64;1;2;6;9;15;18;21;22c")
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: ["TERM": "xterm"], tmux: .outside,
                                             replies: vt420.graphicsReplies).graphics, nil)
    }

    func testKittyGraphicsReplyForOurQueryOnly() {
        XCTAssertTrue(parse("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[?62;c").kittyGraphics)
        XCTAssertFalse(parse("\u{1B}_Gi=31;ENOTSUPPORTED:no\u{1B}\\\u{1B}[?62;c").kittyGraphics, "an error reply")
        XCTAssertFalse(parse("\u{1B}_Gi=7;OK\u{1B}\\").kittyGraphics, "another image id")
        let both = parse("\u{1B}[?2026;2$y\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[?62;4c")
        XCTAssertTrue(both.kittyGraphics)
        XCTAssertEqual(both.supported, true, "the replies after the kitty one are read too")
        XCTAssertTrue(both.complete)
    }

    func testCellSizeFromXTWINOPSAndRegistersFromXTSMGRAPHICS() {
        let answer = parse("\u{1B}[6;13;6t\u{1B}[?1;0;256S\u{1B}[?63;4c")
        XCTAssertEqual(answer.cellPixels, .init(width: 6, height: 13), "CSI 6 ; height ; width t")
        XCTAssertEqual(answer.colorRegisters, 256)
        XCTAssertNil(parse("\u{1B}[4;520;720t").cellPixels, "the window's size is not a cell's")
        XCTAssertNil(parse("\u{1B}[?1;3;0S").colorRegisters, "status 3: failure")
    }

    func testTheGraphicsQuestionsAreAskedOnlyWhenWanted() {
        let plain = TerminalProbe.query(graphics: false)
        XCTAssertEqual(plain, "\u{1B}[?2026$p\u{1B}[c")
        let graphics = TerminalProbe.query(graphics: true)
        XCTAssertTrue(graphics.contains("\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\"))
        XCTAssertTrue(graphics.contains("\u{1B}[16t"))
        XCTAssertTrue(graphics.hasSuffix("\u{1B}[c"), "device attributes last: its reply ends the wait")
    }

    /// XTVERSION names the terminal: tmux that answers for itself is known even without $TMUX.
    func testTheTerminalsVersionFromXTVERSION() {
        let tmux = parse("\u{1B}P>|tmux 3.3a\u{1B}\\\u{1B}[?1;2c")
        XCTAssertEqual(tmux.terminalVersion, "tmux 3.3a")
        XCTAssertTrue(tmux.graphicsReplies.fromTmux)
        XCTAssertTrue(tmux.complete, "the DA1 after it is read too")
        XCTAssertEqual(parse("\u{1B}P>|XTerm(379)\u{1B}\\").terminalVersion, "XTerm(379)")
        XCTAssertFalse(parse("\u{1B}P>|XTerm(379)\u{1B}\\").graphicsReplies.fromTmux)
        XCTAssertNil(parse("\u{1B}P1$r0m\u{1B}\\").terminalVersion, "another DCS reply")
        let graphics = TerminalProbe.query(graphics: true)
        XCTAssertTrue(graphics.hasSuffix("\u{1B}[>0q\u{1B}[c"), "XTVERSION asked before the DA1 that ends the wait")
    }

    /// Through tmux's passthrough the graphics questions and the DA1 that ends the wait reach the
    /// terminal outside (the reply xterm gave through tmux 3.3a here); DECRQM stays tmux's.
    func testThroughPassthroughTheOuterTerminalIsAsked() {
        let query = TerminalProbe.query(graphics: true, passthrough: true)
        XCTAssertEqual(query, "\u{1B}[?2026$p" + TmuxPassthrough.wrap(TerminalProbe.graphicsQuery + "\u{1B}[c"))
        XCTAssertTrue(query.hasSuffix("\u{1B}\u{1B}[c\u{1B}\\"))
        XCTAssertEqual(TerminalProbe.query(graphics: false, passthrough: true), "\u{1B}[?2026$p\u{1B}[c", "no graphics, nothing wrapped")
        let answer = parse("\u{1B}[?1;0;256S\u{1B}[?63;1;2;4;6;9;15;16;22;28c")
        XCTAssertEqual(answer.colorRegisters, 256)
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: ["TERM": "tmux-256color", "TMUX": "/tmp/t,1,0"],
                                             tmux: .passthrough(.init(paneColumn: 0, paneRow: 0)),
                                             replies: answer.graphicsReplies).graphics, .sixel)
    }
}
