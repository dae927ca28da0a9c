import Foundation
import XCTest

/// The real binary in a real terminal: tmux runs a shell, the test types `detview view --demo`
/// into it, reads the screen with capture-pane, presses keys and resizes the window.
final class TerminalTests: XCTestCase {
    private var server = ""

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw XCTSkip("tmux is not installed")
        }
        server = "detview-test-\(getpid())-\(Int.random(in: 0..<1_000_000))"
    }

    override func tearDown() {
        _ = tmux(["kill-server"])
    }

    @discardableResult
    private func tmux(_ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        process.arguments = ["-L", server, "-f", "/dev/null"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func screen() -> String { tmux(["capture-pane", "-p", "-t", "main"]) }

    private func waitForScreen(_ timeout: TimeInterval, _ what: String, _ condition: (String) -> Bool) {
        var last = ""
        let ok = eventually(timeout: timeout) {
            last = screen()
            return condition(last)
        }
        XCTAssertTrue(ok, "\(what); the screen was:\n\(last)")
    }

    private func shellPID() -> pid_t? {
        pid_t(tmux(["display-message", "-p", "-t", "main", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testDemoShowsHeatmapCountersWorkersHelpResizeAndQuitsClean() throws {
        let binary = try DetviewProcess.executable.path
        tmux(["new-session", "-d", "-s", "main", "-x", "120", "-y", "40",
              "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=tmux-256color PS1='$ ' bash --norc --noprofile"])
        waitForScreen(5, "the shell prompt appears") { $0.contains("$") }
        let shell = try XCTUnwrap(shellPID())
        tmux(["send-keys", "-t", "main", "\(binary) view --demo --workers 1", "Enter"])

        waitForScreen(20, "heatmap, counters and worker bar appear") { s in
            s.contains("▀") && s.contains("received") && s.contains("processed") && s.contains("w0")
                && s.contains("frames/s")
        }
        let viewerPIDs = children(of: shell)
        XCTAssertEqual(viewerPIDs.count, 1, "one detview under the shell")
        let viewer = try XCTUnwrap(viewerPIDs.first)
        let processTree = children(of: viewer)
        XCTAssertGreaterThanOrEqual(processTree.count, 2, "a worker and the demo simulator")

        // The counters move.
        let first = screen()
        waitForScreen(5, "the received counter changes") { $0 != first }

        tmux(["send-keys", "-t", "main", "?"])
        waitForScreen(5, "? shows help") { $0.contains("keys") && $0.contains("quit") && $0.contains("log") }
        tmux(["send-keys", "-t", "main", "Escape"])
        waitForScreen(5, "help closes") { !$0.contains("show or hide this help") }

        tmux(["resize-window", "-t", "main", "-x", "80", "-y", "24"])
        waitForScreen(5, "the screen is re-laid at 80×24") { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 23 && lines.allSatisfy { $0.count <= 80 } && s.contains("received") && s.contains("▀")
        }
        tmux(["resize-window", "-t", "main", "-x", "50", "-y", "20"])
        waitForScreen(5, "a narrow screen drops the panel and keeps the heatmap") { s in
            s.contains("▀") && !s.contains("processed")
        }

        tmux(["send-keys", "-t", "main", "q"])
        XCTAssertTrue(eventually(timeout: 5) { !isAlive(viewer) }, "q ends the viewer")
        XCTAssertTrue(eventually(timeout: 3) { processTree.allSatisfy { !isAlive($0) } }, "no detview process left")
        // A working shell: echo and line editing are back, and the viewer's screen is gone.
        tmux(["send-keys", "-t", "main", "echo back-$((40+2))", "Enter"])
        waitForScreen(5, "the shell works again") { $0.contains("back-42") && !$0.contains("▀") }
    }
}
