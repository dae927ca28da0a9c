import Foundation
import XCTest

/// Colour and glyph choices of the real binary in tmux: `D`, `NO_COLOR`, `--colors`, `TERM=linux`.
extension TerminalTests {
    /// Starts the demo viewer as the pane's program with this environment and these options, and
    /// waits until its panel is drawn.
    private func startDemo(environment: String, options: String = "") throws -> pid_t {
        let binary = try DetviewProcess.executable.path
        session.start(width: 120, height: 40,
                      command: "env -i PATH=/usr/bin:/bin HOME=/tmp \(environment) \(binary) view --demo --workers 1 \(options)")
        waitForScreen(20, "the demo's panel is drawn") { $0.contains("received") && $0.contains("w0") }
        return try XCTUnwrap(session.panePID)
    }

    private func quit(_ viewer: pid_t) {
        session.send("q")
        XCTAssertTrue(eventually(timeout: 5) { !isAlive(viewer) }, "q ends the viewer")
        session.kill()
    }

    func testCapitalDTogglesDitheringAndTheStatusLineSaysSo() throws {
        let viewer = try startDemo(environment: "LANG=C.UTF-8 TERM=tmux-256color")
        waitForScreen(10, "the heatmap is drawn") { $0.contains("▀") }
        session.send("D")
        waitForScreen(5, "D turns dithering on") { $0.contains("dithering on (256 and 16 colours)") }
        session.send("D")
        waitForScreen(5, "D again turns it off") { $0.contains("dithering off") }
        quit(viewer)
    }

    func testNoColorGivesTheDensityRampUnlessColorsSaysOtherwise() throws {
        var viewer = try startDemo(environment: "LANG=C.UTF-8 TERM=tmux-256color NO_COLOR=1")
        // The colour bar shows the ramp whatever the frame holds (the demo's beam leaves most
        // pixels below the scale, blank in the ramp).
        waitForScreen(10, "the heatmap is the density ramp, no half blocks") { s in
            !s.contains("▀") && s.contains(":::--===+++**###") && s.contains("─")
        }
        quit(viewer)
        viewer = try startDemo(environment: "LANG=C.UTF-8 TERM=tmux-256color NO_COLOR=1", options: "--colors 256")
        waitForScreen(10, "--colors 256 brings the half blocks back") { $0.contains("▀") }
        quit(viewer)
    }

    /// The Linux console's terminfo: ASCII borders and text, half blocks in the heatmap.
    func testTermLinuxDrawsAsciiTextAndAHalfBlockHeatmap() throws {
        let viewer = try startDemo(environment: "LANG=C.UTF-8 TERM=linux")
        waitForScreen(10, "half blocks inside ASCII borders") { s in
            s.contains("▀") && !s.contains("─") && !s.contains("│") && s.contains("+--")
        }
        quit(viewer)
    }
}
