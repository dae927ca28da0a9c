import Foundation
import XCTest

/// The real binary in a real sixel terminal: Debian's xterm as a VT340 (sixel enabled, 256 colour
/// registers) on an Xvfb display. CI installs xterm, Xvfb, ImageMagick and xdotool
/// (scripts/install-deps.sh); a machine without them fails here with what to install, it does not skip.
final class SixelTerminalTests: XCTestCase {
    private var processes: [Process] = []

    override func tearDown() {
        for process in processes.reversed() where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        processes = []
    }

    func testXtermDrawsTheHeatmapAsASixelPictureAndQRestoresTheScreen() throws {
        for tool in ["/usr/bin/Xvfb", "/usr/bin/xterm", "/usr/bin/import", "/usr/bin/xdotool"] {
            guard FileManager.default.isExecutableFile(atPath: tool) else {
                XCTFail("\(tool) is missing: run scripts/install-deps.sh (apt-get install xterm xvfb imagemagick xdotool)")
                return
            }
        }
        let binary = try DetviewProcess.executable.path
        let display = try startDisplay()
        let exitFile = FileManager.default.temporaryDirectory.appendingPathComponent("detview-sixel-\(UUID().uuidString)").path
        defer { unlink(exitFile) }
        // The shell stays after the viewer ends, so the screen it gives back can be looked at.
        // The 6x13 font pins the cell size the pixel checks below rely on.
        let xterm = try start("/usr/bin/xterm", ["-display", display, "-ti", "vt340", "-xrm", "XTerm*numColorRegisters: 256",
                                                "-fn", "6x13", "-geometry", "120x40+0+0", "-e", "/bin/sh", "-c",
                                                "\(binary) view --demo --workers 1 --graphics auto; echo $? > \(exitFile); sleep 120"])

        // Pixel detail no text cell can show: a 4×6 pixel tile lies in at most 2×2 cells of 6×13
        // pixels, and each of them has two colours (half block or glyph: foreground, background).
        var richTiles = 0
        XCTAssertTrue(eventually(timeout: 40) {
            richTiles = (try? Self.screenshot(display).tiles(width: 4, height: 6, withMoreColoursThan: 8)) ?? 0
            return richTiles > 500
        }, "the heatmap is a picture at pixel resolution (\(richTiles) tiles of 4×6 pixels with more than 8 colours)")
        let shot = try Self.screenshot(display)
        try? shot.png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-sixel-xterm.png").path)

        try run("/usr/bin/xdotool", ["mousemove", "300", "200"], display: display)   // focus follows the pointer without a window manager
        // The help overlay: the heatmap is text again (the text replaces the picture), and the
        // picture comes back when the overlay goes.
        try run("/usr/bin/xdotool", ["key", "question"], display: display)
        XCTAssertTrue(eventually(timeout: 10) {
            (try? Self.screenshot(display).tiles(width: 4, height: 6, withMoreColoursThan: 8)) == 0
        }, "under the help overlay the heatmap is half blocks, no picture left behind")
        try run("/usr/bin/xdotool", ["key", "question"], display: display)
        XCTAssertTrue(eventually(timeout: 10) {
            ((try? Self.screenshot(display).tiles(width: 4, height: 6, withMoreColoursThan: 8)) ?? 0) > 500
        }, "the picture is back when the help overlay closes")
        // Ctrl-Z: the viewer leaves the alternate screen, and the picture with it; SIGCONT to the
        // stopped process group (what a shell's `fg` sends) brings both back.
        let shell = try XCTUnwrap(children(of: xterm.processIdentifier).first, "xterm's shell")
        let viewer = try XCTUnwrap(children(of: shell).first, "the viewer under xterm's shell")
        try run("/usr/bin/xdotool", ["key", "ctrl+z"], display: display)
        XCTAssertTrue(eventually(timeout: 10) {
            (try? Self.screenshot(display).tiles(width: 4, height: 6, withMoreColoursThan: 8)) == 0
        }, "Ctrl-Z shows the main screen, no picture")
        kill(-getpgid(viewer), SIGCONT)
        XCTAssertTrue(eventually(timeout: 15) {
            ((try? Self.screenshot(display).tiles(width: 4, height: 6, withMoreColoursThan: 8)) ?? 0) > 500
        }, "after continuing the picture is drawn again")
        try run("/usr/bin/xdotool", ["key", "q"], display: display)
        XCTAssertTrue(eventually(timeout: 10) { (try? String(contentsOfFile: exitFile, encoding: .utf8)) != nil }, "q ends the viewer")
        XCTAssertEqual(try? String(contentsOfFile: exitFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), "0")
        XCTAssertTrue(xterm.isRunning, "xterm still runs the shell")
        XCTAssertTrue(eventually(timeout: 10) {
            (try? Self.screenshot(display).tiles(width: 4, height: 6, withMoreColoursThan: 8)) == 0
        }, "the main screen is back: no picture left")
    }

    // MARK: - Plumbing

    /// Starts Xvfb on a display nobody uses and waits for its socket.
    private func startDisplay() throws -> String {
        for _ in 0..<20 {
            let number = Int.random(in: 100..<600)
            let socket = "/tmp/.X11-unix/X\(number)"
            guard !FileManager.default.fileExists(atPath: socket), !FileManager.default.fileExists(atPath: "/tmp/.X\(number)-lock") else { continue }
            let server = try start("/usr/bin/Xvfb", [":\(number)", "-screen", "0", "1024x768x24", "-nolisten", "tcp"])
            if eventually(timeout: 10, { FileManager.default.fileExists(atPath: socket) }) { return ":\(number)" }
            server.terminate()
        }
        throw MissingTestInput("no Xvfb display could be started")
    }

    private func start(_ path: String, _ arguments: [String], display: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // The test may run inside tmux; the viewer runs in xterm, not there.
        environment["TMUX"] = nil
        environment["TMUX_PANE"] = nil
        environment["LANG"] = "C.UTF-8"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        if let display { environment["DISPLAY"] = display }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes.append(process)
        return process
    }

    private func run(_ path: String, _ arguments: [String], display: String) throws {
        let process = try start(path, arguments, display: display)
        process.waitUntilExit()
    }

    /// The whole display as RGB pixels (ImageMagick's `import`, as a binary PPM).
    private static func screenshot(_ display: String) throws -> Screenshot {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shot-\(UUID().uuidString).ppm").path
        defer { unlink(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/import")
        process.arguments = ["-display", display, "-window", "root", "-depth", "8", "ppm:" + path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try Screenshot(ppm: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// An RGB screenshot read from a binary PPM (P6, 8 bits).
struct Screenshot {
    let width: Int
    let height: Int
    let rgb: [UInt8]

    init(ppm data: Data) throws {
        let bytes = [UInt8](data)
        var fields: [Int] = []
        var i = 2
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "6") else { throw MissingTestInput("not a P6 PPM") }
        while fields.count < 3, i < bytes.count {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
            var value = 0
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) {
                value = value * 10 + Int(bytes[i] - 0x30)
                i += 1
            }
            fields.append(value)
        }
        i += 1
        guard fields.count == 3, fields[2] == 255, bytes.count >= i + fields[0] * fields[1] * 3 else { throw MissingTestInput("truncated PPM") }
        width = fields[0]
        height = fields[1]
        rgb = Array(bytes[i..<(i + width * height * 3)])
    }

    /// How many `width × height` tiles (on a grid from the top left) hold more than `limit` colours.
    func tiles(width tileWidth: Int, height tileHeight: Int, withMoreColoursThan limit: Int) -> Int {
        var count = 0
        for top in stride(from: 0, through: height - tileHeight, by: tileHeight) {
            for left in stride(from: 0, through: width - tileWidth, by: tileWidth) {
                var colours = Set<UInt32>()
                for y in top..<(top + tileHeight) {
                    for x in left..<(left + tileWidth) {
                        let p = (y * width + x) * 3
                        colours.insert(UInt32(rgb[p]) << 16 | UInt32(rgb[p + 1]) << 8 | UInt32(rgb[p + 2]))
                    }
                }
                if colours.count > limit { count += 1 }
            }
        }
        return count
    }

    /// Saves it as PNG (through ImageMagick), for a person to look at.
    func png(to path: String) throws {
        let ppm = FileManager.default.temporaryDirectory.appendingPathComponent("shot-\(UUID().uuidString).ppm")
        defer { unlink(ppm.path) }
        try (Data("P6\n\(width) \(height)\n255\n".utf8) + Data(rgb)).write(to: ppm)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/convert")
        process.arguments = [ppm.path, "png:" + path]
        try process.run()
        process.waitUntilExit()
    }
}
