import Foundation
import XCTest

/// Where no picture may be drawn the heatmap stays half blocks: `--graphics off`, and `auto`
/// inside tmux (which does not pass images on unless allowed).
extension TerminalTests {
    private func demoShowsHalfBlocks(environment: String, options: String) throws {
        let binary = try DetviewProcess.executable.path
        session.start(width: 120, height: 40,
                      command: "env -i PATH=/usr/bin:/bin HOME=/tmp \(environment) \(binary) view --demo --workers 1 \(options)")
        waitForScreen(20, "the demo's heatmap is drawn in half blocks (\(options))") { s in
            s.contains("received") && s.filter { $0 == "▀" }.count > 500
        }
        let viewer = try XCTUnwrap(session.panePID)
        session.send("q")
        XCTAssertTrue(eventually(timeout: 5) { !isAlive(viewer) }, "q ends the viewer")
        session.kill()
    }

    func testGraphicsOffGivesHalfBlocks() throws {
        try demoShowsHalfBlocks(environment: "LANG=C.UTF-8 TERM=xterm-256color", options: "--graphics off")
    }

    func testGraphicsAutoInsideTmuxGivesHalfBlocks() throws {
        try demoShowsHalfBlocks(environment: "LANG=C.UTF-8 TERM=tmux-256color TMUX=/tmp/tmux-0/default,1,0",
                                options: "--graphics auto")
    }
}
