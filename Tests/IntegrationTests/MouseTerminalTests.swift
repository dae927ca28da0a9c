import Foundation
import XCTest
import ZeroMQ

/// The mouse in the real binary in tmux, with TERM=xterm-256color (whose terminfo asks for SGR
/// mouse reports): the test streams 64 × 64 array-1.0 frames whose pixel (x, y) holds 100·x + y
/// and writes SGR mouse reports (ESC [ < b ; column ; row M, 1-based) into the pane as the
/// terminal would. In the 120 × 40 window the frame is drawn at one display pixel per detector
/// pixel from cell (13, 4): pixel (x, y) is in cell (13 + x, 4 + y / 2).
final class MouseTerminalTests: XCTestCase {
    private static let size = 64

    private static let frame: [UInt8] = {
        var pixels = [UInt16](repeating: 0, count: size * size)
        for y in 0..<size { for x in 0..<size { pixels[y * size + x] = UInt16(100 * x + y) } }
        return pixels.withUnsafeBytes { Array($0) }
    }()

    private func header(_ number: Int) -> [UInt8] {
        Array("{\"htype\":\"array-1.0\",\"shape\":[\(Self.size),\(Self.size)],\"type\":\"uint16\",\"frame\":\(number),\"endianness\":\"little\"}".utf8)
    }

    /// A mouse report as bytes for `send-keys -H`: button `b` (0 left, 64 wheel up, 65 wheel
    /// down) at a 0-based cell; `release` ends with "m".
    private func report(_ button: Int, column: Int, row: Int, release: Bool = false) -> [String] {
        let text = "\u{1B}[<\(button);\(column + 1);\(row + 1)\(release ? "m" : "M")"
        return ["-H"] + text.utf8.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
    }

    private struct Viewer {
        let tmux: TmuxSession
        let push: ZMQSocket
        var sent = 0
        var last = ""

        mutating func waitForScreen(_ what: String, timeout: TimeInterval = 20, line: UInt = #line,
                                    _ header: (Int) -> [UInt8], _ condition: (String) -> Bool) {
            let deadline = Date().addingTimeInterval(timeout)
            repeat {
                if (try? push.sendMultipart([header(sent), MouseTerminalTests.frame], dontWait: true)) == true { sent += 1 }
                last = tmux.screen
                if condition(last) { return }
                usleep(30_000)
            } while Date() < deadline
            XCTFail("\(what); the screen was:\n\(last)", line: line)
        }
    }

    private func startViewer(_ options: String) throws -> Viewer {
        guard TmuxSession.isAvailable else { throw MissingTestInput("tmux is not installed (scripts/install-deps.sh installs it)") }
        let binary = try DetviewProcess.executable.path
        let context = try ZMQContext(ioThreads: 1, defaultLingerMilliseconds: 0)
        let push = try ZMQSocket(context, .push)
        try push.bind("tcp://127.0.0.1:*")
        let endpoint = try push.lastEndpoint
        // "; sleep 60" keeps the pane (and its mouse modes) after the viewer ends, and makes the
        // shell the viewer's parent, so a stop is the viewer's own.
        let tmux = TmuxSession(width: 120, height: 40, command:
            "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=xterm-256color \(binary) view \(endpoint) --format array --socket pull --workers 1 \(options); sleep 60")
        return Viewer(tmux: tmux, push: push)
    }

    /// The panel's readout of pixel (x, y): its name and raw value.
    private func reads(_ screen: String, _ x: Int, _ y: Int) -> Bool {
        screen.contains("Pixel \(x),\(y)") && screen.components(separatedBy: "\n").contains { $0.contains("│ raw ") && $0.hasSuffix(" \(100 * x + y)") }
    }

    func testClickInspectsThePixelAndTheWheelZoomsAroundIt() throws {
        var viewer = try startViewer("")
        let tmux = viewer.tmux
        viewer.waitForScreen("the frame is shown", header) { $0.contains("raw  64×64") }
        XCTAssertEqual(tmux.format("#{mouse_standard_flag}#{mouse_sgr_flag}"), "11", "button reports on, SGR encoded")

        // A click on pixel (20, 10): the inspector comes on with its cursor there.
        tmux.send(report(0, column: 13 + 20, row: 4 + 5))
        tmux.send(report(0, column: 13 + 20, row: 4 + 5, release: true))
        viewer.waitForScreen("a click shows the inspector at the clicked pixel", header) { self.reads($0, 20, 10) }

        // The wheel up over pixel (40, 30) zooms in around it: 2× with the pixel where it was.
        tmux.send(report(64, column: 13 + 40, row: 4 + 15))
        viewer.waitForScreen("the wheel zooms in around the pointed pixel", header) { $0.contains("zoom 2×  x 14-57, y 13-48") }
        tmux.send(report(0, column: 13 + 40, row: 4 + 15))
        viewer.waitForScreen("the same cell shows the same pixel after the zoom", header) { self.reads($0, 40, 30) }
        tmux.send(report(65, column: 13 + 40, row: 4 + 15))
        viewer.waitForScreen("the wheel down zooms out to the whole frame", header) { !$0.contains("zoom 2×") && $0.contains("64×64") }

        // Off the heatmap (the panel, the status line) a click changes nothing.
        tmux.send(report(0, column: 100, row: 10))
        tmux.send(report(0, column: 40, row: 39))
        tmux.send(report(64, column: 100, row: 10))
        viewer.waitForScreen("clicks off the heatmap leave the cursor and the view", header) { self.reads($0, 40, 30) && $0.contains("64×64") }

        // Under the help overlay the mouse neither closes nor pages it.
        tmux.send("?")
        viewer.waitForScreen("help is shown", header) { $0.contains("detview — keys") }
        tmux.send(report(0, column: 40, row: 10))
        tmux.send(report(64, column: 40, row: 10))
        usleep(300_000)
        viewer.waitForScreen("help stays after a click and a roll", header) { $0.contains("detview — keys") && $0.contains("1 raw:") }
        tmux.send("Escape")
        viewer.waitForScreen("Escape closes help", header) { !$0.contains("detview — keys") && self.reads($0, 40, 30) }

        // Ctrl-Z turns the reports off (the shell must not get them as text); continuing turns them on.
        let shell = try XCTUnwrap(pid_t(tmux.format("#{pane_pid}")))
        let pid = try XCTUnwrap(children(of: shell).first, "the viewer under the pane's shell")
        kill(pid, SIGTSTP)
        // Waited for as long as a loaded machine may take to run the stop handler (whose write
        // waits for the terminal to take the paint before it); the message says what was seen.
        XCTAssertTrue(eventually(timeout: 30) { processState(pid) == "T" }, "the viewer stops (state \(processState(pid) ?? "gone"))")
        XCTAssertTrue(eventually(timeout: 30) { tmux.format("#{mouse_standard_flag}#{mouse_sgr_flag}") == "00" },
                      "stopped: mouse reports off (flags \(tmux.format("#{mouse_standard_flag}#{mouse_sgr_flag}")), "
                      + "state \(processState(pid) ?? "gone"))")
        kill(pid, SIGCONT)
        viewer.waitForScreen("continued: the viewer draws again", header) { self.reads($0, 40, 30) }
        XCTAssertTrue(eventually(timeout: 10) { tmux.format("#{mouse_standard_flag}#{mouse_sgr_flag}") == "11" }, "continued: mouse reports on")
        tmux.send(report(0, column: 13 + 2, row: 4 + 1))
        viewer.waitForScreen("clicks work after continuing", header) { self.reads($0, 2, 2) }

        tmux.send("q")
        XCTAssertTrue(eventually(timeout: 10) { !isAlive(pid) }, "q ends the viewer")
        XCTAssertEqual(tmux.format("#{mouse_standard_flag}#{mouse_sgr_flag}"), "00", "the terminal is given back without mouse reports")
        viewer.push.close()
    }

    func testMouseOffLeavesTheMouseToTheTerminal() throws {
        var viewer = try startViewer("--mouse off")
        let tmux = viewer.tmux
        viewer.waitForScreen("the frame is shown", header) { $0.contains("raw  64×64") }
        XCTAssertEqual(tmux.format("#{mouse_any_flag}#{mouse_sgr_flag}"), "00", "no mouse reports asked for")
        // The terminal keeps the mouse; the keys work as ever.
        tmux.send("i")
        viewer.waitForScreen("i shows the inspector", header) { self.reads($0, 32, 32) }
        tmux.send("q")
        viewer.push.close()
    }
}
