import Foundation
import XCTest

/// The mouse in a real xterm (TERM=xterm-256color) on an Xvfb display, driven by xdotool: a
/// click on a heatmap cell, the wheel at the same place, and the text xterm prints of its screen
/// (`print-immediate`, bound to F12 here) read back. The demo's 400 × 400 frame in 120 × 40
/// cells of 6 × 13 pixels is a 72 × 72 image from cell (9, 2), each cell a 5–6 pixel bin: cell
/// (46, 12) shows detector pixel (207, 113) (bin 205…210, rows 111…116 of the upper half).
final class MouseXtermTests: XCTestCase {
    private var x: XDisplay?

    override func tearDown() {
        x?.stop()
        x = nil
    }

    func testAClickAndTheWheelInXterm() throws {
        try XDisplay.requireTools(["/usr/bin/Xvfb", "/usr/bin/xterm", "/usr/bin/xdotool"],
                                  install: "scripts/install-deps.sh (apt-get install xterm xvfb xdotool)")
        let binary = try DetviewProcess.executable.path
        let x = try XDisplay()
        self.x = x
        let dumps = FileManager.default.temporaryDirectory.appendingPathComponent("detview-mouse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dumps, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dumps) }
        let exitFile = dumps.appendingPathComponent("exit").path
        // No border, no internal padding: cell (c, r) is pixels 6c…6c+5, 13r…13r+12.
        try x.start("/usr/bin/xterm", ["-display", x.name, "-fn", "6x13", "-geometry", "120x40+0+0", "-b", "0", "-bw", "0",
                                         "-xrm", "XTerm*printFileImmediate: \(dumps.path)/screen",
                                         "-xrm", "XTerm*VT100.translations: #override <Key>F12: print-immediate()",
                                         "-e", "/bin/sh", "-c",
                                         "TERM=xterm-256color \(binary) view --demo --demo-seed 1 --workers 1; echo $? > \(exitFile); sleep 120"])
        let cell = (x: 46 * 6 + 3, y: 12 * 13 + 6)
        var screen = ""
        func waitForScreen(_ what: String, line: UInt = #line, _ condition: (String) -> Bool) {
            let deadline = Date().addingTimeInterval(30)
            repeat {
                screen = (try? printScreen(x, dumps, pointer: cell)) ?? ""
                if condition(screen) { return }
                usleep(300_000)
            } while Date() < deadline
            XCTFail("\(what); the screen was:\n\(screen)", line: line)
        }

        waitForScreen("the demo is shown") { $0.contains("max-binned 400×400 → 72×72") }
        try xdotool(["click", "1"], x)
        waitForScreen("a click shows the inspector at the clicked pixel") {
            $0.contains("Pixel 207,113") && $0.contains("cursor 207,113")
        }
        try xdotool(["click", "4"], x)
        // Around the pixel, not the frame's centre (that would be x 24-375, y 56-343).
        waitForScreen("the wheel up zooms in around the pointed pixel") { $0.contains("zoom 1.4×  x 26-377, y 32-319") }
        try xdotool(["key", "i"], x)   // the inspector off, so the next click is seen to turn it on
        waitForScreen("i hides the inspector") { !$0.contains("Pixel 207,113") }
        try xdotool(["click", "1"], x)
        waitForScreen("after the zoom the pointer is still over the same pixel") { $0.contains("Pixel 207,113") }
        try xdotool(["click", "5"], x)
        waitForScreen("the wheel down zooms out to the whole frame") { $0.contains("max-binned 400×400 → 72×72") }
        try xdotool(["key", "q"], x)
        XCTAssertTrue(eventually(timeout: 10) { (try? String(contentsOfFile: exitFile, encoding: .utf8)) != nil }, "q ends the viewer")
        XCTAssertEqual(try? String(contentsOfFile: exitFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), "0")
    }

    // MARK: - Plumbing

    /// xterm's text of its screen: F12 prints it to a new file in `directory`, read and removed.
    /// The pointer is put at `pointer` first: without a window manager the focus follows it, and
    /// xterm's window may not have been there when it last moved.
    private func printScreen(_ x: XDisplay, _ directory: URL, pointer: (x: Int, y: Int)) throws -> String {
        for old in try FileManager.default.contentsOfDirectory(atPath: directory.path) where old.hasPrefix("screen") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(old))
        }
        try xdotool(["mousemove", "\(pointer.x)", "\(pointer.y)", "key", "F12"], x)
        var text = ""
        _ = eventually(timeout: 5) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasPrefix("screen") } ?? []
            guard let name = names.first, let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                  !data.isEmpty else { return false }
            text = String(decoding: data, as: UTF8.self)
            return text.contains("detview")
        }
        return text
    }

    private func xdotool(_ arguments: [String], _ x: XDisplay) throws {
        try x.run("/usr/bin/xdotool", arguments)
    }
}
