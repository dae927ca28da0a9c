import TerminalUI
import XCTest

/// `--graphics` as a pure function of the option, the environment and the terminal's replies.
final class GraphicsChoiceTests: XCTestCase {
    private let xterm = ["TERM": "xterm"]
    private let sixelTerminal = GraphicsChoice.TerminalReplies(deviceAttributes: [63, 1, 2, 4, 6])

    func testAutoFollowsTheTerminalsReplies() {
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: xterm, replies: sixelTerminal), .sixel)
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: xterm, replies: .init(deviceAttributes: [62, 6])), nil)
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: xterm, replies: .init(deviceAttributes: [4, 6])), nil,
                       "4 as the terminal class is not the sixel attribute")
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: xterm, replies: .init(deviceAttributes: [62, 4], kittyGraphics: true)),
                       .kitty, "kitty's protocol wins when both are there")
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: xterm, replies: .init(deviceAttributes: [62, 4], cellPixelsKnown: false)),
                       nil, "no cell size, no picture size")
    }

    func testAutoStaysOnHalfBlocksInsideTmuxAndOnTheConsole() {
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: ["TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"],
                                             replies: sixelTerminal), nil)
        XCTAssertFalse(GraphicsChoice.probes(.auto, environment: ["TERM": "screen", "TMUX": "/tmp/t,1,0"]))
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: ["TERM": "linux"], replies: sixelTerminal), nil)
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: [:], replies: sixelTerminal), nil)
        XCTAssertEqual(GraphicsChoice.choose(.auto, environment: ["TERM": "xterm", "TMUX": ""], replies: sixelTerminal), .sixel,
                       "an empty TMUX is not tmux")
    }

    func testAForcedProtocolIsUsedAsAskedAndOffIsOff() {
        let tmux = ["TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"]
        XCTAssertEqual(GraphicsChoice.choose(.sixel, environment: tmux, replies: .init()), .sixel, "passthrough is the user's call")
        XCTAssertEqual(GraphicsChoice.choose(.kitty, environment: xterm, replies: .init(cellPixelsKnown: false)), .kitty)
        XCTAssertEqual(GraphicsChoice.choose(.off, environment: xterm, replies: .init(deviceAttributes: [62, 4], kittyGraphics: true)), nil)
        XCTAssertFalse(GraphicsChoice.probes(.off, environment: xterm))
        XCTAssertTrue(GraphicsChoice.probes(.sixel, environment: tmux))
    }
}
