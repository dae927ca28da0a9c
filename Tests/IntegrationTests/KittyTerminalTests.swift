import Foundation
import XCTest

/// The real binary in the real kitty (Debian's kitty 0.26) on an Xvfb display, drawn by Mesa's
/// software OpenGL (llvmpipe: kitty needs OpenGL 3.3, which Xvfb's GLX gives with it). kitty
/// answers the start-up probe's graphics query itself, so `--graphics auto` must find the kitty
/// protocol, and the picture must be at kitty's pixel resolution, in the colormap's colours, and
/// gone when `q` gives the screen back. CI installs kitty with the other terminal-test tools
/// (scripts/install-deps.sh --test); a machine without them fails here with what to install.
final class KittyTerminalTests: XCTestCase {
    private var x: XDisplay?
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("detview-kitty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        x?.stop()
        x = nil
        try? FileManager.default.removeItem(at: scratch)
    }

    func testAutoFindsKittysProtocolAndQRestoresTheScreen() throws {
        try checkPicture(graphics: "auto")
    }

    func testForcedKittyDrawsThePictureAndQRestoresTheScreen() throws {
        try checkPicture(graphics: "kitty")
    }

    private func checkPicture(graphics: String) throws {
        try XDisplay.requireTools(["/usr/bin/Xvfb", "/usr/bin/kitty", "/usr/bin/import", "/usr/bin/xdotool"],
                                  install: "scripts/install-deps.sh --test (apt-get install kitty xvfb imagemagick xdotool)")
        let binary = try DetviewProcess.executable.path
        let x = try XDisplay(glx: true)
        self.x = x
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
        let kitty = try x.start("/usr/bin/kitty", ["--config", "NONE", "-o", "linux_display_server=x11",
                                                 "-o", "initial_window_width=1000", "-o", "initial_window_height=740",
                                                 "-o", "remember_window_size=no", "-o", "font_size=11",
                                                 "-o", "cursor_blink_interval=0", "-o", "enable_audio_bell=no",
                                                 "-o", "window_padding_width=0",
                                                 "/bin/sh", "-c", script], environment: Self.kittyEnvironment)

        // kitty starts slowly on a software renderer: wait for the shell's line (not only the
        // cursor, which kitty shows at the top left before the shell has written anything).
        var before: Screenshot?
        XCTAssertTrue(eventually(timeout: 60) {
            guard let shot = try? x.screenshot(), shot.litPixels(rows: 0..<20, columns: 20..<150) > 50 else { return false }
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
            pictureTiles = (try? x.screenshot().colormapTiles(width: 4, height: 6, withMoreColoursThan: 8,
                                                                        colormap: Self.viridis)) ?? 0
            return pictureTiles > 500
        }, "the heatmap is a picture at kitty's pixel resolution (\(pictureTiles) tiles of 4×6 pixels with more than 8 viridis colours)")
        let shot = try x.screenshot()
        try? shot.png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-kitty-\(graphics).png").path)
        XCTAssertGreaterThan(shot.distinctColours(near: Self.viridis), 100,
                             "24-bit colour: the picture shows many of the colormap's 256 colours")

        try x.run("/usr/bin/xdotool", ["mousemove", "300", "200"])   // focus follows the pointer without a window manager
        try x.run("/usr/bin/xdotool", ["key", "q"])
        XCTAssertTrue(eventually(timeout: 15) { (try? String(contentsOfFile: exitFile, encoding: .utf8)) != nil }, "q ends the viewer")
        XCTAssertEqual(try? String(contentsOfFile: exitFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), "0")
        XCTAssertTrue(kitty.isRunning, "kitty still runs the shell")
        // Wait for the main screen itself: the viewer deletes the picture before it leaves the
        // alternate screen, so a shot in between has no picture and is not the shell's screen yet.
        var after: Screenshot?
        var pictureTilesLeft = 0, changed = 0
        XCTAssertTrue(eventually(timeout: 10) {
            guard let shot = try? x.screenshot() else { return false }
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

    /// swift test runs with NO_COLOR=1 (the viewer would be mono): the user's kitty has colour.
    /// Xvfb has no GPU: Mesa's software renderer gives kitty its OpenGL 3.3.
    private static let kittyEnvironment: [String: String?] = ["NO_COLOR": nil, "LIBGL_ALWAYS_SOFTWARE": "1"]
}
