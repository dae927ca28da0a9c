import Foundation
import XCTest

/// The real binary in tmux in a real sixel terminal: Debian's xterm as a VT340 on an Xvfb display
/// runs tmux (a private server, no configuration), and the viewer runs in a tmux pane that is not
/// at the terminal's left edge. With `allow-passthrough on` the heatmap is a sixel picture at pixel
/// resolution inside the viewer's pane; without it the viewer stays on half blocks, and a forced
/// `--graphics sixel` says why. Needs xterm, Xvfb, ImageMagick and tmux (scripts/install-deps.sh):
/// without them this fails with what to install, it does not skip.
final class TmuxPassthroughTerminalTests: XCTestCase {
    private let server = "detview-pt-\(getpid())-\(Int.random(in: 0..<1_000_000))"
    private var x: XDisplay?

    override func tearDown() {
        _ = tmux(["kill-server"])
        x?.stop()
        x = nil
    }

    /// The width of the pane tmux puts left of the viewer's (plus the border): the viewer's pane
    /// starts at column 31, pixel 186 with the 6×13 font.
    private let leftPaneColumns = 30
    private var viewerPaneLeftPixel: Int { (leftPaneColumns + 1) * 6 }

    func testWithPassthroughTheHeatmapIsAPictureInTheViewersPaneAndSurvivesAWindowSwitch() throws {
        let exitFile = try startXtermRunningTmux(allowPassthrough: true, viewerOptions: ["--graphics auto"]).first!
        defer { unlink(exitFile) }
        var tiles = (left: 0, right: 0)
        XCTAssertTrue(eventually(timeout: 40) {
            tiles = (try? richTiles()) ?? (0, 0)
            return tiles.right > 300
        }, "the heatmap is a picture at pixel resolution (\(tiles.right) tiles of 4×6 pixels with more than 8 colours)")
        let shot = try screenshot()
        try? shot.png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-tmux-passthrough.png").path)
        XCTAssertEqual(tiles.left, 0, "the picture lies in the viewer's pane, placed in the outer terminal's coordinates")
        XCTAssertTrue(tmux(["capture-pane", "-p", "-t", "pt:0"]).contains("max-binned"), "the panels are text")

        // Another window and back: tmux redraws the pane from its cells and wipes the picture,
        // which the viewer sends again (at most 2 s later, or with the next frame).
        _ = tmux(["new-window", "-d", "-t", "pt:", "sleep 600"])
        _ = tmux(["select-window", "-t", "pt:1"])
        XCTAssertTrue(eventually(timeout: 10) { ((try? richTiles())?.right ?? 1) == 0 }, "the other window shows no picture")
        _ = tmux(["select-window", "-t", "pt:0"])
        XCTAssertTrue(eventually(timeout: 10) { ((try? richTiles())?.right ?? 0) > 300 }, "the picture is back in the viewer's window")
        // Paused, the picture no longer changes: after a switch it comes back only because the
        // viewer sends an unchanged picture again through passthrough (every 2 s).
        _ = tmux(["send-keys", "-t", "pt:0", " "])
        XCTAssertTrue(eventually(timeout: 10) { tmux(["capture-pane", "-p", "-t", "pt:0"]).contains("PAUSED") }, "space pauses")
        _ = tmux(["select-window", "-t", "pt:1"])
        XCTAssertTrue(eventually(timeout: 10) { ((try? richTiles())?.right ?? 1) == 0 }, "the other window shows no picture")
        _ = tmux(["select-window", "-t", "pt:0"])
        XCTAssertTrue(eventually(timeout: 10) { ((try? richTiles())?.right ?? 0) > 300 }, "paused, the picture is back too")

        _ = tmux(["send-keys", "-t", "pt:0", "q"])
        XCTAssertTrue(eventually(timeout: 10) { (try? String(contentsOfFile: exitFile, encoding: .utf8)) != nil }, "q ends the viewer")
        XCTAssertEqual(try? String(contentsOfFile: exitFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), "0")
        XCTAssertTrue(eventually(timeout: 10) { (try? richTiles()).map { $0.left + $0.right } == 0 }, "the screen is clean: no picture left")
        try? screenshot().png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-tmux-passthrough-after-q.png").path)
    }

    func testWithoutPassthroughAutoAndAForcedSixelStayOnHalfBlocksAndTheForcedOneSaysWhy() throws {
        let exitFiles = try startXtermRunningTmux(allowPassthrough: false, viewerOptions: ["--graphics auto", "--graphics sixel"])
        defer { exitFiles.forEach { unlink($0) } }
        for (index, option) in ["auto", "sixel"].enumerated() {
            var pane = ""
            XCTAssertTrue(eventually(timeout: 40) {
                pane = tmux(["capture-pane", "-p", "-t", "pt:0"])
                return pane.contains("max-binned") && pane.filter { $0 == "▀" }.count > 300
            }, "--graphics \(option): the heatmap is half blocks\n\(pane)")
            XCTAssertEqual((try? richTiles())?.right, 0, "--graphics \(option): no picture")
            if option == "sixel" {
                try? screenshot().png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-tmux-no-passthrough.png").path)
            }
            _ = tmux(["send-keys", "-t", "pt:0", "q"])
            XCTAssertTrue(eventually(timeout: 10) { (try? String(contentsOfFile: exitFiles[index], encoding: .utf8)) != nil },
                          "q ends the viewer (\(option))")
            // The line is shown as a start-up warning and said again on the screen given back.
            pane = tmux(["capture-pane", "-p", "-J", "-t", "pt:0"])   // -J: a wrapped line as one
            let notice = "detview: --graphics sixel gives half blocks: tmux has allow-passthrough off, so it drops pictures; "
                + "let pictures through with `tmux set -g allow-passthrough on` (tmux 3.3 or later)"
            XCTAssertEqual(pane.components(separatedBy: "\n").filter { $0.contains("allow-passthrough") }.count, option == "sixel" ? 1 : 0,
                           "only the forced protocol says why it gives half blocks\n\(pane)")
            if option == "sixel" {
                XCTAssertTrue(pane.contains(notice), "why, and how to allow pictures\n\(pane)")
            }
        }
    }

    // MARK: - Plumbing

    /// xterm on a fresh display runs tmux; tmux's first pane sets the option, splits a 30-column
    /// pane off to its left, and runs the viewer once per entry of `viewerOptions`, each writing
    /// its exit status to the returned file. The viewer's pane stays the active one of window 0 ("pt:0").
    private func startXtermRunningTmux(allowPassthrough: Bool, viewerOptions: [String]) throws -> [String] {
        try XDisplay.requireTools(["/usr/bin/Xvfb", "/usr/bin/xterm", "/usr/bin/import", "/usr/bin/convert", "/usr/bin/tmux"],
                                  install: "scripts/install-deps.sh (apt-get install xterm xvfb imagemagick tmux)")
        let binary = try DetviewProcess.executable.path
        let x = try XDisplay()
        self.x = x
        let exitFiles = viewerOptions.map { _ in
            FileManager.default.temporaryDirectory.appendingPathComponent("detview-pt-\(UUID().uuidString)").path
        }
        var script = allowPassthrough ? "tmux set -g allow-passthrough on; " : ""
        script += "tmux split-window -h -b -d -l \(leftPaneColumns) 'sleep 600'; "
        for (options, exitFile) in zip(viewerOptions, exitFiles) {
            // A clean environment (the test runner's may say NO_COLOR), but tmux's own variables.
            script += "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=tmux-256color TMUX=\"$TMUX\" TMUX_PANE=\"$TMUX_PANE\" "
            script += "\(binary) view --demo --workers 1 \(options); echo $? > \(exitFile); "
        }
        script += "sleep 600"
        // The 6x13 font pins the cell size the pixel checks rely on.
        try x.start("/usr/bin/xterm", ["-display", x.name, "-ti", "vt340", "-xrm", "XTerm*numColorRegisters: 256",
                                         "-fn", "6x13", "-geometry", "120x40+0+0", "-e",
                                         "/usr/bin/tmux", "-L", server, "-f", "/dev/null", "new-session", "-s", "pt", script])
        XCTAssertTrue(eventually(timeout: 15) { tmux(["list-panes", "-t", "pt:0"]).split(separator: "\n").count == 2 },
                      "tmux runs in xterm with two panes")
        return exitFiles
    }

    /// Tiles of 4×6 pixels with more than 8 colours, left of the viewer's pane and in it (within
    /// the terminal's 720×520 pixels). A text cell has two colours (foreground, background), and a
    /// tile lies in at most 2×2 cells: only a picture gives more.
    private func richTiles() throws -> (left: Int, right: Int) {
        let shot = try screenshot()
        return (shot.tiles(width: 4, height: 6, withMoreColoursThan: 8, inX: 0..<viewerPaneLeftPixel, y: 0..<520),
                shot.tiles(width: 4, height: 6, withMoreColoursThan: 8, inX: viewerPaneLeftPixel..<720, y: 0..<520))
    }

    /// A tmux client command on the private server; its output. Through the shell with the output
    /// in a file: Foundation's Process never sees a client end that started a server.
    private func tmux(_ arguments: [String]) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(path) }
        let quoted = (["/usr/bin/tmux", "-L", server, "-f", "/dev/null"] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        _ = system(quoted + " </dev/null >" + path + " 2>/dev/null")
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    private func screenshot() throws -> Screenshot {
        guard let x else { throw MissingTestInput("no display started") }
        return try x.screenshot()
    }
}
