import TerminalUI
import XCTest

/// `--graphics` as a pure function of the option, the environment, tmux and the terminal's replies.
final class GraphicsChoiceTests: XCTestCase {
    private let xterm = ["TERM": "xterm"]
    private let inTmux = ["TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"]
    private let sixelTerminal = GraphicsChoice.TerminalReplies(deviceAttributes: [63, 1, 2, 4, 6])
    private let pane = TmuxPassthrough(paneColumn: 0, paneRow: 0)
    private let passthroughOff = TmuxStatus.blocked(reason: "has allow-passthrough off, so it drops pictures")

    private func graphics(_ option: GraphicsOption, _ environment: [String: String], tmux: TmuxStatus = .outside,
                          _ replies: GraphicsChoice.TerminalReplies) -> GraphicsProtocol? {
        GraphicsChoice.choose(option, environment: environment, tmux: tmux, replies: replies).graphics
    }

    func testAutoFollowsTheTerminalsReplies() {
        XCTAssertEqual(graphics(.auto, xterm, sixelTerminal), .sixel)
        XCTAssertEqual(graphics(.auto, xterm, .init(deviceAttributes: [62, 6])), nil)
        XCTAssertEqual(graphics(.auto, xterm, .init(deviceAttributes: [4, 6])), nil, "4 as the terminal class is not the sixel attribute")
        XCTAssertEqual(graphics(.auto, xterm, .init(deviceAttributes: [62, 4], kittyGraphics: true)), .kitty,
                       "kitty's protocol wins when both are there")
        XCTAssertEqual(graphics(.auto, xterm, .init(deviceAttributes: [62, 4], cellPixelsKnown: false)), nil, "no cell size, no picture size")
        XCTAssertNil(GraphicsChoice.choose(.auto, environment: xterm, tmux: .outside, replies: sixelTerminal).passthrough)
    }

    func testAutoStaysOnHalfBlocksWhereTmuxDropsPicturesAndOnTheConsole() {
        let decision = GraphicsChoice.choose(.auto, environment: inTmux, tmux: passthroughOff, replies: sixelTerminal)
        XCTAssertEqual(decision, .init(graphics: nil), "auto says nothing: half blocks are its answer")
        XCTAssertFalse(GraphicsChoice.probes(.auto, environment: inTmux, tmux: passthroughOff))
        XCTAssertEqual(graphics(.auto, xterm, .init(deviceAttributes: [1, 2], terminalVersion: "tmux 3.3a")), nil,
                       "tmux answering as the terminal (TMUX not set, over SSH)")
        XCTAssertEqual(graphics(.auto, ["TERM": "linux"], sixelTerminal), nil)
        XCTAssertEqual(graphics(.auto, [:], sixelTerminal), nil)
        XCTAssertEqual(graphics(.auto, xterm, .init(deviceAttributes: [63, 4], terminalVersion: "XTerm(379)")), .sixel)
    }

    func testWithPassthroughAutoFollowsTheOuterTerminalAndWrapsThePictures() {
        XCTAssertTrue(GraphicsChoice.probes(.auto, environment: inTmux, tmux: .passthrough(pane)))
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: inTmux, tmux: .passthrough(pane), replies: sixelTerminal),
                       .init(graphics: .sixel, passthrough: pane))
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: inTmux, tmux: .passthrough(pane), replies: .init(kittyGraphics: true)),
                       .init(graphics: .kitty, passthrough: pane))
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: inTmux, tmux: .passthrough(pane), replies: .init(deviceAttributes: [1, 2])),
                       .init(graphics: nil), "the outer terminal draws no pictures")
        XCTAssertEqual(GraphicsChoice.choose(.sixel, environment: inTmux, tmux: .passthrough(pane), replies: .init()),
                       .init(graphics: .sixel, passthrough: pane), "forced: the user's call, wrapped")
    }

    func testAForcedProtocolWhereTmuxDropsPicturesSaysWhyAndHowToAllowIt() {
        let decision = GraphicsChoice.choose(.sixel, environment: inTmux, tmux: passthroughOff, replies: sixelTerminal)
        XCTAssertNil(decision.graphics)
        XCTAssertEqual(decision.notice, "--graphics sixel gives half blocks: tmux has allow-passthrough off, so it drops pictures; "
                       + "let pictures through with `tmux set -g allow-passthrough on` (tmux 3.3 or later)")
        XCTAssertFalse(GraphicsChoice.probes(.sixel, environment: inTmux, tmux: passthroughOff), "nothing asked that tmux would drop")
        let kitty = GraphicsChoice.choose(.kitty, environment: inTmux, tmux: .blocked(reason: "did not answer whether it passes pictures on"),
                                          replies: .init())
        XCTAssertEqual(kitty.graphics, nil)
        XCTAssertEqual(kitty.notice?.hasPrefix("--graphics kitty gives half blocks: tmux did not answer"), true, kitty.notice ?? "")
        let overSSH = GraphicsChoice.choose(.sixel, environment: xterm, tmux: .outside, replies: .init(terminalVersion: "tmux 3.4"))
        XCTAssertNil(overSSH.graphics)
        XCTAssertEqual(overSSH.notice?.contains("TMUX is not set"), true, overSSH.notice ?? "")
        XCTAssertNil(GraphicsChoice.choose(.off, environment: inTmux, tmux: passthroughOff, replies: .init()).notice, "off asked for none")
    }

    func testAForcedProtocolOutsideTmuxIsUsedAsAskedAndOffIsOff() {
        XCTAssertEqual(GraphicsChoice.choose(.sixel, environment: xterm, tmux: .outside, replies: .init()), .init(graphics: .sixel))
        XCTAssertEqual(graphics(.kitty, xterm, .init(cellPixelsKnown: false)), .kitty)
        XCTAssertEqual(graphics(.off, xterm, .init(deviceAttributes: [62, 4], kittyGraphics: true)), nil)
        XCTAssertFalse(GraphicsChoice.probes(.off, environment: xterm, tmux: .outside))
        XCTAssertTrue(GraphicsChoice.probes(.sixel, environment: xterm, tmux: .outside))
    }
}
