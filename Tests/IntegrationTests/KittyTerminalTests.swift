import Foundation
import XCTest

/// The real binary in the real kitty (Debian's kitty 0.26) on an Xvfb display, drawn by Mesa's
/// software OpenGL (llvmpipe: kitty needs OpenGL 3.3, which Xvfb's GLX gives with it). kitty
/// answers the start-up probe's graphics query itself, so `--graphics auto` must find the kitty
/// protocol, and the picture must be at kitty's pixel resolution, in the colormap's colours, and
/// gone when `q` gives the screen back. CI installs kitty with the other terminal-test tools
/// (scripts/install-deps.sh --test); a machine without them fails here with what to install.
final class KittyTerminalTests: XCTestCase {
    private var processes: [Process] = []
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("detview-kitty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for process in processes.reversed() where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        processes = []
        try? FileManager.default.removeItem(at: scratch)
    }

    func testAutoFindsKittysProtocolAndQRestoresTheScreen() throws {
        try checkPicture(graphics: "auto")
    }

    func testForcedKittyDrawsThePictureAndQRestoresTheScreen() throws {
        try checkPicture(graphics: "kitty")
    }

    private func checkPicture(graphics: String) throws {
        for tool in ["/usr/bin/Xvfb", "/usr/bin/kitty", "/usr/bin/import", "/usr/bin/xdotool"] {
            guard FileManager.default.isExecutableFile(atPath: tool) else {
                XCTFail("\(tool) is missing: run scripts/install-deps.sh --test (apt-get install kitty xvfb imagemagick xdotool)")
                return
            }
        }
        let binary = try DetviewProcess.executable.path
        let display = try startDisplay()
        let go = scratch.appendingPathComponent("go").path
        let exitFile = scratch.appendingPathComponent("exit").path
        // The shell writes a line, waits until the test has seen it, runs the viewer and stays
        // after it, so the screen the viewer gives back can be compared with the one it found.
        // Three newlines keep the cursor (hollow until the window has the focus, solid after)
        // away from the line compared.
        let script = "printf 'detview-kitty-test\\n\\n\\n'; while [ ! -e \(go) ]; do sleep 0.1; done; "
            + "\(binary) view --demo --workers 1 --graphics \(graphics); echo $? > \(exitFile); sleep 120"
        // No config file (the user's must not matter), the window at the display's top left (no
        // window manager here), a steady cursor and no bell: nothing on screen moves but the viewer.
        let kitty = try start("/usr/bin/kitty", ["--config", "NONE", "-o", "linux_display_server=x11",
                                                 "-o", "initial_window_width=1000", "-o", "initial_window_height=740",
                                                 "-o", "remember_window_size=no", "-o", "font_size=11",
                                                 "-o", "cursor_blink_interval=0", "-o", "enable_audio_bell=no",
                                                 "-o", "window_padding_width=0",
                                                 "/bin/sh", "-c", script], display: display)

        // kitty starts slowly on a software renderer: wait for the shell's line (not only the
        // cursor, which kitty shows at the top left before the shell has written anything).
        var before: Screenshot?
        XCTAssertTrue(eventually(timeout: 60) {
            guard let shot = try? Self.screenshot(display), shot.litPixels(rows: 0..<20, columns: 20..<150) > 50 else { return false }
            before = shot
            return true
        }, "kitty shows the shell's line")
        let screenBefore = try XCTUnwrap(before)
        FileManager.default.createFile(atPath: go, contents: nil)

        // Pixel detail in the colormap's colours: a 4×6 pixel tile of the half-block heatmap lies
        // in at most 2×2 cells of kitty's 9×20 pixels with two colours each (kitty draws block
        // elements itself, without anti-aliasing), and anti-aliased text is grey, not viridis.
        var pictureTiles = 0
        XCTAssertTrue(eventually(timeout: 60) {
            pictureTiles = (try? Self.screenshot(display).colormapTiles(width: 4, height: 6, withMoreColoursThan: 8,
                                                                        colormap: Self.viridis)) ?? 0
            return pictureTiles > 500
        }, "the heatmap is a picture at kitty's pixel resolution (\(pictureTiles) tiles of 4×6 pixels with more than 8 viridis colours)")
        let shot = try Self.screenshot(display)
        try? shot.png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-kitty-\(graphics).png").path)
        XCTAssertGreaterThan(shot.distinctColours(near: Self.viridis), 100,
                             "24-bit colour: the picture shows many of the colormap's 256 colours")

        try run("/usr/bin/xdotool", ["mousemove", "300", "200"], display: display)   // focus follows the pointer without a window manager
        try run("/usr/bin/xdotool", ["key", "q"], display: display)
        XCTAssertTrue(eventually(timeout: 15) { (try? String(contentsOfFile: exitFile, encoding: .utf8)) != nil }, "q ends the viewer")
        XCTAssertEqual(try? String(contentsOfFile: exitFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), "0")
        XCTAssertTrue(kitty.isRunning, "kitty still runs the shell")
        // Wait for the main screen itself: the viewer deletes the picture before it leaves the
        // alternate screen, so a shot in between has no picture and is not the shell's screen yet.
        var after: Screenshot?
        var pictureTilesLeft = 0, changed = 0
        XCTAssertTrue(eventually(timeout: 10) {
            guard let shot = try? Self.screenshot(display) else { return false }
            after = shot
            pictureTilesLeft = shot.colormapTiles(width: 4, height: 6, withMoreColoursThan: 8, colormap: Self.viridis)
            changed = zip(shot.rows(0..<20), screenBefore.rows(0..<20)).count { $0 != $1 }
            return pictureTilesLeft == 0 && changed == 0
        }, "no picture left (\(pictureTilesLeft) picture tiles) and the shell's line back as it was (the first 20 pixel rows: \(changed) bytes differ)")
        let screenAfter = try XCTUnwrap(after)
        try? screenBefore.png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-kitty-\(graphics)-before.png").path)
        try? screenAfter.png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-kitty-\(graphics)-after.png").path)
        XCTAssertEqual(screenAfter.distinctColours(near: Self.viridis), 0, "nothing in the colormap's colours is left")
    }

    /// viridis every 16th entry and the last (matplotlib's `_viridis_data`, as in
    /// Sources/Theming/ColormapTables.swift): the demo's default colormap, as a polyline in RGB.
    private static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 24, 106), (71, 45, 123), (66, 64, 134), (59, 82, 139), (51, 99, 141), (44, 114, 142),
        (38, 130, 142), (33, 145, 140), (31, 160, 136), (40, 174, 128), (63, 188, 115), (94, 201, 98),
        (132, 212, 75), (173, 220, 48), (216, 226, 25), (253, 231, 37),
    ]

    // MARK: - Plumbing (as in SixelTerminalTests, which keeps its own private)

    /// Starts Xvfb with GLX on a display nobody uses and waits for its socket.
    private func startDisplay() throws -> String {
        for _ in 0..<20 {
            let number = Int.random(in: 100..<600)
            let socket = "/tmp/.X11-unix/X\(number)"
            guard !FileManager.default.fileExists(atPath: socket), !FileManager.default.fileExists(atPath: "/tmp/.X\(number)-lock") else { continue }
            let server = try start("/usr/bin/Xvfb", [":\(number)", "-screen", "0", "1024x768x24", "-nolisten", "tcp", "+extension", "GLX"])
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
        // The test may run inside tmux; the viewer runs in kitty, not there.
        environment["TMUX"] = nil
        environment["TMUX_PANE"] = nil
        // swift test runs with NO_COLOR=1 (the viewer would be mono): the user's kitty has colour.
        environment["NO_COLOR"] = nil
        environment["LANG"] = "C.UTF-8"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        // Xvfb has no GPU: Mesa's software renderer gives kitty its OpenGL 3.3.
        environment["LIBGL_ALWAYS_SOFTWARE"] = "1"
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

extension Screenshot {
    /// The RGB bytes of pixel rows `range`.
    func rows(_ range: Range<Int>) -> ArraySlice<UInt8> {
        rgb[(range.lowerBound * width * 3)..<(min(height, range.upperBound) * width * 3)]
    }

    /// Pixels brighter than a dark background in a rectangle.
    func litPixels(rows: Range<Int>, columns: Range<Int>) -> Int {
        rows.reduce(0) { count, y in
            count + columns.count { x in
                let p = (y * width + x) * 3
                return Int(rgb[p]) + Int(rgb[p + 1]) + Int(rgb[p + 2]) > 200
            }
        }
    }

    /// How many `width × height` tiles (on a grid from the top left) hold more than `limit`
    /// colours, nine in ten of their pixels within a few levels of `colormap`'s polyline.
    func colormapTiles(width tileWidth: Int, height tileHeight: Int, withMoreColoursThan limit: Int,
                       colormap: [(Double, Double, Double)]) -> Int {
        var count = 0
        var nearCache: [UInt32: Bool] = [:]
        for top in stride(from: 0, through: height - tileHeight, by: tileHeight) {
            for left in stride(from: 0, through: width - tileWidth, by: tileWidth) {
                var colours = Set<UInt32>()
                var near = 0
                for y in top..<(top + tileHeight) {
                    for x in left..<(left + tileWidth) {
                        let colour = pixel(x, y)
                        colours.insert(colour)
                        if Self.isNear(colour, colormap, cache: &nearCache) { near += 1 }
                    }
                }
                if colours.count > limit, near * 10 >= tileWidth * tileHeight * 9 { count += 1 }
            }
        }
        return count
    }

    /// Distinct colours on screen within a few levels of `colormap`'s polyline, the darkest
    /// entries left out (they are close to a dark background's blacks and greys).
    func distinctColours(near colormap: [(Double, Double, Double)]) -> Int {
        var cache: [UInt32: Bool] = [:]
        var seen = Set<UInt32>()
        for y in 0..<height {
            for x in 0..<width {
                let colour = pixel(x, y)
                if !seen.contains(colour), Self.isNear(colour, Array(colormap.dropFirst()), cache: &cache) { seen.insert(colour) }
            }
        }
        return seen.count
    }

    private func pixel(_ x: Int, _ y: Int) -> UInt32 {
        let p = (y * width + x) * 3
        return UInt32(rgb[p]) << 16 | UInt32(rgb[p + 1]) << 8 | UInt32(rgb[p + 2])
    }

    /// Within 6 levels (RGB distance) of a segment between two neighbouring anchors.
    private static func isNear(_ colour: UInt32, _ colormap: [(Double, Double, Double)], cache: inout [UInt32: Bool]) -> Bool {
        if let known = cache[colour] { return known }
        let c = (Double(colour >> 16 & 0xFF), Double(colour >> 8 & 0xFF), Double(colour & 0xFF))
        var best = Double.infinity
        for (a, b) in zip(colormap, colormap.dropFirst()) {
            let d = (b.0 - a.0, b.1 - a.1, b.2 - a.2)
            let lengthSquared = d.0 * d.0 + d.1 * d.1 + d.2 * d.2
            let t = max(0, min(1, ((c.0 - a.0) * d.0 + (c.1 - a.1) * d.1 + (c.2 - a.2) * d.2) / lengthSquared))
            let e = (a.0 + t * d.0 - c.0, a.1 + t * d.1 - c.1, a.2 + t * d.2 - c.2)
            best = min(best, e.0 * e.0 + e.1 * e.1 + e.2 * e.2)
        }
        let near = best <= 36
        cache[colour] = near
        return near
    }
}
