import CLinux
import Foundation
import XCTest

/// The real binary in a real terminal: tmux runs a shell, the test types `detview view --demo`
/// into it, reads the screen with capture-pane, presses keys and resizes the window.
final class TerminalTests: XCTestCase {
    /// The tmux server of this test (XCTest makes an instance per test); each test starts its window.
    let session = TmuxSession()

    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else {
            throw MissingTestInput("tmux is not installed (scripts/install-deps.sh installs it)")
        }
    }

    override func tearDown() {
        session.kill()
    }

    /// A tmux client command against this test's server (for tests written as raw tmux
    /// arguments; `session` says the same in words).
    @discardableResult
    func tmux(_ arguments: [String]) -> String { session.run(arguments) }

    func screen() -> String { session.screen }

    func waitForScreen(_ timeout: TimeInterval, _ what: String, file: StaticString = #filePath, line: UInt = #line,
                       _ condition: (String) -> Bool) {
        session.waitForScreen(what, timeout: timeout, interval: 0.02, file: file, line: line, condition)
    }

    func testDemoShowsHeatmapCountersWorkersHelpResizeAndQuitsClean() throws {
        let binary = try DetviewProcess.executable.path
        session.startShell(width: 120, height: 40)
        waitForScreen(5, "the shell prompt appears") { $0.contains("$") }
        let shell = try XCTUnwrap(session.panePID)
        let shmBefore = sharedMemoryEntries()
        session.send("\(binary) view --demo --workers 1", "Enter")

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

        session.send("?")
        waitForScreen(5, "? shows help") { $0.contains("keys") && $0.contains("quit") && $0.contains("log") }
        session.send("Escape")
        waitForScreen(5, "help closes") { !$0.contains("show or hide this help") }

        session.resize(width: 80, height: 24)
        // 80×24 is the heatmap, the counters in the title line and the status line (the panel
        // needs 100 columns).
        waitForScreen(5, "the screen is re-laid at 80×24") { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 23 && lines.allSatisfy { $0.count <= 80 } && s.hasPrefix(" rx ") && s.contains("▀")
                && !s.contains("processed")
        }
        session.resize(width: 200, height: 60)
        waitForScreen(5, "from 80×24 to 200×60 the panel returns beside the heatmap") { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 59 && s.contains("processed") && s.contains("▀")
        }
        session.resize(width: 50, height: 20)
        waitForScreen(5, "a narrow screen drops the panel, keeps the heatmap and the counters in one line") { s in
            s.contains("▀") && !s.contains("processed") && s.contains("rx ") && s.contains("drop ")
        }

        session.send("q")
        XCTAssertTrue(eventually(timeout: 5) { !isAlive(viewer) }, "q ends the viewer")
        XCTAssertTrue(eventually(timeout: 3) { processTree.allSatisfy { !isAlive($0) } }, "no detview process left")
        XCTAssertEqual(sharedMemoryEntries(), shmBefore, "nothing new in /dev/shm after q")
        // A working shell: echo and line editing are back, and the viewer's screen is gone.
        session.send("echo back-$((40+2))", "Enter")
        waitForScreen(5, "the shell works again") { $0.contains("back-42") && !$0.contains("▀") }
    }

    /// `--theme light` starts with the light theme and `T` steps through the themes the binary
    /// found beside the source tree (in their order: default, high-contrast, light, mono,
    /// solarized), saying each on the status line; the light screen has a background of its own.
    func testThemeOptionStartsWithTheThemeAndCapitalTCyclesThem() throws {
        let binary = try DetviewProcess.executable.path
        session.startShell(width: 120, height: 40)
        waitForScreen(5, "the shell prompt appears") { $0.contains("$") }
        session.send("\(binary) view --demo --demo-rate 20 --workers 1 --theme light", "Enter")
        waitForScreen(20, "the viewer draws") { $0.contains("received") && $0.contains("▀") }
        // The status line (the last row) in the terminal's escapes: light gives it colours of its
        // own, default draws it reversed in the terminal's colours.
        func statusEscapes() -> String {
            session.screenWithEscapes.split(separator: "\n").last.map(String.init) ?? ""
        }
        XCTAssertTrue(statusEscapes().contains("48;5;"), "light: \(statusEscapes().debugDescription)")
        for (step, name) in [(4, "mono"), (5, "solarized"), (1, "default"), (2, "high-contrast"), (3, "light")] {
            session.send("T")
            waitForScreen(5, "T shows theme \(name)") { $0.contains("theme \(name) (\(step) of 5)") }
            if name == "default" {
                let escapes = statusEscapes()
                XCTAssertTrue(escapes.contains("7m") && !escapes.contains("48;5;"), "default: \(escapes.debugDescription)")
            }
        }
        session.send("q")
        waitForScreen(15, "q gives the terminal back") { !$0.contains("▀") && $0.contains("$") }
    }

    /// The processing keys on the simulated MOENCH: digits and m switch the mode (title and
    /// panel follow), a charge-integrating mode waits for its pedestal and then counts
    /// photons, c clears, the help lists every mode, and --save writes the image at q.
    func testModeKeysSwitchWhatIsComputedAndTheSavedImageIsWrittenAtQuit() throws {
        let binary = try DetviewProcess.executable.path
        let saved = FileManager.default.temporaryDirectory.appendingPathComponent("detview-tmux-\(UUID().uuidString).npy").path
        defer { unlink(saved) }
        session.startShell(width: 120, height: 45)
        waitForScreen(5, "the shell prompt appears") { $0.contains("$") }
        session.send("\(binary) view --demo --demo-rate 150 --workers 1 --mode sum --pedestal-frames 40 --save \(saved)", "Enter")
        waitForScreen(15, "sum mode is shown from the start") { $0.contains("┌─  sum") && $0.contains("Mode sum") }
        session.send("5")
        waitForScreen(10, "5 selects counting") { $0.contains("Mode counting") && $0.contains("┌─  counting") }
        waitForScreen(30, "photons are counted once the pedestal is ready") { screen in
            screen.contains("last frame") && screen.contains("frames  binned 400×400")
        }
        waitForScreen(10, "the last frame's photons are marked") { $0.contains("◆") }
        session.send("x")
        waitForScreen(5, "x hides the marks") { $0.contains("marks off") && !$0.contains("◆") }
        session.send("m")
        waitForScreen(5, "m moves on to sum") { $0.contains("Mode sum") }
        session.send("c")
        waitForScreen(5, "c clears") { $0.contains("accumulations cleared") }
        session.send("?")
        waitForScreen(5, "the help lists the modes") { $0.contains("5 counting:") && $0.contains("0 radial:") }
        session.send("Escape")
        session.send("q")
        // The workers write their shares and the viewer the image before the prompt returns.
        waitForScreen(15, "q gives the terminal back") { !$0.contains("▀") && $0.contains("$") }
        session.send("echo back-$((40+2))", "Enter")
        waitForScreen(15, "the shell works again") { $0.contains("back-42") }
        let header = try XCTUnwrap(FileManager.default.contents(atPath: saved), "--save wrote \(saved)")
        XCTAssertEqual(Array(header.prefix(6)), [0x93] + Array("NUMPY".utf8))
        XCTAssertTrue(String(decoding: header.prefix(128), as: UTF8.self).contains("(400, 400)"))
    }

    /// The heatmap's rows with their colours: each screen line's cells between the heatmap
    /// block's left and right borders (its first two "│"), each cell as its glyph and colours.
    /// Glyphs alone say nothing (every heatmap cell is "▀"): the picture is in the colours.
    /// capture-pane -e writes only the changes of colour from cell to cell, carried across
    /// lines, so the colours are followed through the whole capture, not compared as text.
    private func heatmapRows() -> [[String]] {
        var rows: [[String]] = []
        var foreground = "", background = ""
        for line in session.screenWithEscapes.split(separator: "\n") {
            var cells: [String] = []
            var borders = 0
            var scalars = line.unicodeScalars[...]
            while let scalar = scalars.popFirst() {
                if scalar == "\u{1B}", scalars.first == "[" {
                    scalars.removeFirst()
                    var parameters = ""
                    while let p = scalars.popFirst(), p != "m" { parameters.unicodeScalars.append(p) }
                    var codes = parameters.split(separator: ";", omittingEmptySubsequences: false).map(String.init)[...]
                    while let code = codes.popFirst() {
                        switch code {
                        case "", "0": (foreground, background) = ("", "")
                        case "38", "48":
                            let count = codes.first == "2" ? 4 : 2
                            let colour = codes.prefix(count).joined(separator: ";")
                            codes = codes.dropFirst(count)
                            if code == "38" { foreground = colour } else { background = colour }
                        case "39": foreground = ""
                        case "49": background = ""
                        default:
                            if let n = Int(code), (30...37).contains(n) || (90...97).contains(n) { foreground = code }
                            if let n = Int(code), (40...47).contains(n) || (100...107).contains(n) { background = code }
                        }
                    }
                    continue
                }
                if scalar == "│" { borders += 1; continue }
                if borders == 1 { cells.append("\(scalar) \(foreground) \(background)") }
            }
            if borders >= 2, cells.contains(where: { $0.hasPrefix("▀") }) { rows.append(cells) }
        }
        return rows
    }

    /// The panel's "received" counter.
    private func receivedCount(_ screen: String) -> UInt64? {
        guard let range = screen.range(of: #"received\s+\d+"#, options: .regularExpression) else { return nil }
        return UInt64(screen[range].split(separator: " ").last ?? "")
    }

    /// Space holds the picture while the counters go on, Left steps to an older image, space
    /// goes live again; H shows the history strips at 200×60 and says they do not fit at 80×24.
    func testPauseStepLiveAndTheHistoryStrips() throws {
        let binary = try DetviewProcess.executable.path
        session.startShell(width: 200, height: 60)
        waitForScreen(5, "the shell prompt appears") { $0.contains("$") }
        session.send("\(binary) view --demo --demo-rate 100 --workers 1", "Enter")
        waitForScreen(20, "heatmap and counters appear") { $0.contains("▀") && (receivedCount($0) ?? 0) > 0 }
        // Live, the picture changes (the simulator's noise), so an unchanged one means something.
        let liveRows = heatmapRows()
        XCTAssertTrue(eventually(timeout: 5) { heatmapRows() != liveRows }, "the live picture changes")

        session.send("Space")
        waitForScreen(5, "space pauses") { $0.contains("PAUSED") && $0.contains("behind, image") }
        let held = heatmapRows()
        let receivedWhenPaused = try XCTUnwrap(receivedCount(screen()))
        waitForScreen(10, "the frame counter keeps rising") { (receivedCount($0) ?? 0) > receivedWhenPaused + 50 }
        XCTAssertFalse(held.isEmpty)
        XCTAssertEqual(heatmapRows(), held, "paused, the picture stays the same")

        session.send("Left")
        waitForScreen(5, "Left shows an older image") { s in
            guard let range = s.range(of: #"image \d+/\d+"#, options: .regularExpression) else { return false }
            let numbers = s[range].dropFirst(6).split(separator: "/").compactMap { Int($0) }
            return numbers.count == 2 && numbers[0] == numbers[1] - 1
        }
        XCTAssertTrue(eventually(timeout: 5) { heatmapRows() != held }, "the older image is another picture")

        session.send("Space")
        waitForScreen(5, "space goes live") { !$0.contains("PAUSED") && $0.contains("live") }
        let relive = heatmapRows()
        XCTAssertTrue(eventually(timeout: 5) { heatmapRows() != relive }, "live, the picture moves again")

        session.send("H")
        waitForScreen(5, "H shows the strips at 200×60") { s in
            s.contains("History, last 60 s") && ["frames/s", "MB/s", "drops/s", "ring fill", "load"].allSatisfy {
                s.contains(" \($0) ")
            }
        }
        session.send("H")
        waitForScreen(5, "H again hides them") { !$0.contains("History, last 60 s") && $0.contains("strips off") }
        session.resize(width: 80, height: 24)
        waitForScreen(5, "the screen is re-laid at 80×24") { s in
            s.split(separator: "\n").allSatisfy { $0.count <= 80 } && s.contains("▀")
        }
        session.send("H")
        waitForScreen(5, "at 80×24 H says the strips do not fit, and the heatmap stays") { s in
            s.contains("do not fit") && !s.contains("History, last") && s.contains("▀")
        }
        session.send("q")
        waitForScreen(10, "q gives the terminal back") { !$0.contains("▀") && $0.contains("$") }
    }

    /// A crash (here SIGSEGV sent from outside) must still give the terminal back: the crash
    /// handler restores the saved terminal modes and leaves the alternate screen.
    func testCrashRestoresTheTerminal() throws {
        let binary = try DetviewProcess.executable.path
        session.startShell(width: 100, height: 30)
        waitForScreen(5, "the shell prompt appears") { $0.contains("$") }
        let shell = try XCTUnwrap(session.panePID)
        session.send("\(binary) view tcp://127.0.0.1:\(freePort()) --workers 1", "Enter")
        waitForScreen(20, "the viewer draws") { $0.contains("waiting for frames") }
        let viewer = try XCTUnwrap(children(of: shell).first)
        let workers = children(of: viewer)
        kill(viewer, SIGSEGV)
        XCTAssertTrue(eventually(timeout: 5) { !isAlive(viewer) }, "the viewer died")
        XCTAssertTrue(eventually(timeout: 3) { workers.allSatisfy { !isAlive($0) } }, "its workers died with it")
        session.send("echo back-$((40+2))", "Enter")
        waitForScreen(5, "the shell works again after the crash") { $0.contains("back-42") && !$0.contains("waiting for frames") }
    }

    /// A DECTRIS stream live on screen: the simulator pushes EIGER frames in `format` with
    /// bitshuffle-LZ4, the viewer in tmux decodes them in its workers and shows them.
    private func checkLiveDectrisStream(format: String) throws {
        let binary = try DetviewProcess.executable.path
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let simulator = try DetviewProcess(["simulate", "--detector", "eiger", "--format", format, "--encoding", "bslz4",
                                            "--size", "512x512", "--rate", "20", "--bind", endpoint])
        defer { simulator.signal(SIGKILL) }
        session.startShell(width: 120, height: 40)
        waitForScreen(5, "the shell prompt appears") { $0.contains("$") }
        session.send("\(binary) view \(endpoint) --format \(format) --socket pull --workers 1", "Enter")
        waitForScreen(20, "\(format) frames decoded and shown") { s in
            s.contains("▀") && s.contains("│  \(format) ") && s.contains(" 512×512 ") && s.contains("processed")
        }
        let first = screen()
        waitForScreen(5, "the frame number moves") { $0 != first }
        session.send("q")
        waitForScreen(5, "q ends the viewer") { !$0.contains("▀") }
        session.send("echo back-$((40+2))", "Enter")
        waitForScreen(5, "the shell works again") { $0.contains("back-42") }
    }

    func testSimplonBitshuffleStreamShowsLive() throws {
        try checkLiveDectrisStream(format: "simplon")
    }

    func testStream2BitshuffleStreamShowsLive() throws {
        try checkLiveDectrisStream(format: "stream2")
    }

    /// Issue 13 part 4: a worker's stderr is the `--log` file, never the terminal the UI draws
    /// on. The worker is made to misbehave with the test-only DETVIEW_TEST_WORKER_FAULT.
    private func checkWorkerFaultStaysOffScreen(fault: String, message: String) throws {
        let binary = try DetviewProcess.executable.path
        let log = NSTemporaryDirectory() + "detview-fault-\(getpid())-\(fault).log"
        unlink(log)
        defer { unlink(log) }
        session.startShell(width: 120, height: 40)
        waitForScreen(5, "the shell prompt appears") { $0.contains("$") }
        session.send("DETVIEW_TEST_WORKER_FAULT=\(fault) \(binary) view --demo --workers 1 --log \(log)", "Enter")
        waitForScreen(20, "the demo runs") { $0.contains("received") && $0.contains("w0") }
        XCTAssertTrue(eventually(timeout: 10) {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(message)
        }, "the worker's \(fault) message is in the --log file")
        let shown = screen()
        XCTAssertFalse(shown.contains(message), "the screen shows no worker text:\n\(shown)")
        XCTAssertFalse(shown.contains("DETVIEW_TEST_WORKER_FAULT"), "the screen shows no worker text:\n\(shown)")
        session.send("q")
        waitForScreen(5, "q ends the viewer") { !$0.contains("▀") && !$0.contains("received") }
    }

    func testWorkerStderrLineGoesToTheLogNotTheScreen() throws {
        try checkWorkerFaultStaysOffScreen(fault: "stderr", message: "DETVIEW_TEST_WORKER_FAULT stderr line")
    }

    func testWorkerTrapMessageGoesToTheLogNotTheScreen() throws {
        try checkWorkerFaultStaysOffScreen(fault: "trap", message: "Fatal error: DETVIEW_TEST_WORKER_FAULT trap")
    }

    /// Ctrl-Z and fg: whatever reached the terminal while the viewer was stopped (here, text
    /// written straight to the pane's tty over the title) is painted over on SIGCONT, not left
    /// until those cells happen to change.
    func testContinueAfterStopRepaintsTheWholeScreen() throws {
        let binary = try DetviewProcess.executable.path
        // "; true" keeps the pane's shell as the viewer's parent: tmux continues a pane process
        // that stops (it has no job control), which made the viewer's stop last no time at all.
        session.start(width: 120, height: 40,
                      command: "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=tmux-256color \(binary) view --demo --workers 1; true")
        waitForScreen(20, "the demo is on screen") { $0.contains("▀") && $0.contains("received") }
        let tty = session.paneTTY
        let shell = try XCTUnwrap(session.panePID)
        let viewer = try XCTUnwrap(children(of: shell).first, "the viewer under the pane's shell")
        kill(viewer, SIGSTOP)
        // Bytes written before the stop may still be in the pty for tmux to draw: wait until the
        // screen holds still, so what the test writes next is not painted over by them.
        var last = screen()
        XCTAssertTrue(eventually(timeout: 15) {
            usleep(300_000)
            let now = screen()
            defer { last = now }
            return now == last
        }, "the screen holds still while the viewer is stopped")
        let terminal = open(tty, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(terminal, 0, "open \(tty)")
        let junk = "\u{1b}[1;2HSTRAY-BYTES-FROM-ELSEWHERE"
        _ = junk.withCString { write(terminal, $0, strlen($0)) }
        close(terminal)
        waitForScreen(15, "the stray text is on the screen while the viewer is stopped") { $0.contains("STRAY-BYTES") }
        kill(viewer, SIGCONT)
        waitForScreen(15, "the viewer repaints everything after SIGCONT") { s in
            !s.contains("STRAY-BYTES") && s.split(separator: "\n").first?.contains("detview") == true
        }
        session.send("q")
        XCTAssertTrue(eventually(timeout: 5) { !isAlive(viewer) }, "q ends the viewer")
    }
}
