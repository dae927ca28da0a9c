import Foundation
import XCTest
import ZeroMQ

/// The real binary in a real sixel terminal: Debian's xterm as a VT340 (sixel enabled, 256 colour
/// registers) on an Xvfb display. CI installs xterm, Xvfb, ImageMagick and xdotool
/// (scripts/install-deps.sh); a machine without them fails here with what to install, it does not skip.
final class SixelTerminalTests: XCTestCase {
    private var x: XDisplay?

    override func tearDown() {
        x?.stop()
        x = nil
    }

    func testXtermDrawsTheHeatmapAsASixelPictureAndQRestoresTheScreen() throws {
        try XDisplay.requireTools(["/usr/bin/Xvfb", "/usr/bin/xterm", "/usr/bin/import", "/usr/bin/xdotool"],
                                  install: "scripts/install-deps.sh (apt-get install xterm xvfb imagemagick xdotool)")
        // A left-to-right ramp with noise on it: at true pixels (one terminal pixel per detector
        // pixel) nearly every small tile of it holds many colours, which half blocks cannot show.
        // (The demo shows many too, see TmuxPassthroughTerminalTests; a scene the test made
        // itself keeps what is on screen the same from run to run.)
        let noise = noisePixels(count: 400 * 300, below: 100)
        let pixels = (0..<(400 * 300)).map { UInt16(2 * ($0 % 400)) + noise[$0] }
        let stream = try ArrayFrameStream(width: 400, height: 300, pixels: pixels)
        let binary = try DetviewProcess.executable.path
        let x = try XDisplay()
        self.x = x
        let display = x.name
        let exitFile = FileManager.default.temporaryDirectory.appendingPathComponent("detview-sixel-\(UUID().uuidString)").path
        defer { unlink(exitFile) }
        // The shell stays after the viewer ends, so the screen it gives back can be looked at.
        // The 6x13 font pins the cell size the pixel checks below rely on.
        let xterm = try x.start("/usr/bin/xterm", ["-display", display, "-ti", "vt340", "-xrm", "XTerm*numColorRegisters: 256",
                                                "-fn", "6x13", "-geometry", "120x40+0+0", "-e", "/bin/sh", "-c",
                                                "\(binary) view \(stream.endpoint) --format array --socket pull --workers 1 --graphics auto; echo $? > \(exitFile); sleep 120"])
        /// Frames keep coming while the test waits, as from a detector.
        func richTiles() -> Int {
            stream.send()
            return (try? x.screenshot().tiles(width: 4, height: 6, withMoreColoursThan: 8)) ?? 0
        }

        // Pixel detail no text cell can show: a 4×6 pixel tile lies in at most 2×2 cells of 6×13
        // pixels, and each of them has two colours (half block or glyph: foreground, background).
        var rich = 0
        XCTAssertTrue(eventually(timeout: 40) {
            rich = richTiles()
            return rich > 500
        }, "the heatmap is a picture at pixel resolution (\(rich) tiles of 4×6 pixels with more than 8 colours)")
        let shot = try x.screenshot()
        try? shot.png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-sixel-xterm.png").path)

        try x.run("/usr/bin/xdotool", ["mousemove", "300", "200"])   // focus follows the pointer without a window manager
        // The help overlay: the heatmap is text again (the text replaces the picture), and the
        // picture comes back when the overlay goes.
        try x.run("/usr/bin/xdotool", ["key", "question"])
        XCTAssertTrue(eventually(timeout: 10) { richTiles() == 0 }, "under the help overlay the heatmap is half blocks, no picture left behind")
        // `?` pages the help; any other key closes it.
        try x.run("/usr/bin/xdotool", ["key", "Escape"])
        XCTAssertTrue(eventually(timeout: 10) { richTiles() > 500 }, "the picture is back when the help overlay closes")
        // Ctrl-Z: the viewer leaves the alternate screen, and the picture with it; SIGCONT to the
        // stopped process group (what a shell's `fg` sends) brings both back.
        let shell = try XCTUnwrap(children(of: xterm.processIdentifier).first, "xterm's shell")
        let viewer = try XCTUnwrap(children(of: shell).first, "the viewer under xterm's shell")
        try x.run("/usr/bin/xdotool", ["key", "ctrl+z"])
        XCTAssertTrue(eventually(timeout: 10) { richTiles() == 0 }, "Ctrl-Z shows the main screen, no picture")
        kill(-getpgid(viewer), SIGCONT)
        XCTAssertTrue(eventually(timeout: 15) { richTiles() > 500 }, "after continuing the picture is drawn again")
        try x.run("/usr/bin/xdotool", ["key", "q"])
        XCTAssertTrue(eventually(timeout: 10) { (try? String(contentsOfFile: exitFile, encoding: .utf8)) != nil }, "q ends the viewer")
        XCTAssertEqual(try? String(contentsOfFile: exitFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), "0")
        XCTAssertTrue(xterm.isRunning, "xterm still runs the shell")
        XCTAssertTrue(eventually(timeout: 10) { richTiles() == 0 }, "the main screen is back: no picture left")
    }

    /// True pixels: the test streams 400 × 300 frames, dark but for two one-pixel-wide columns
    /// (100 and 250) and two one-pixel-tall rows (100 and 200) at full value. The heatmap (about
    /// 82 × 35 cells of 6 × 13 pixels) holds the frame at one terminal pixel per detector pixel,
    /// so the screenshot must show each line exactly one pixel wide, 400 (rows) or 300 (columns)
    /// pixels long, and the lines exactly 150 and 100 pixels apart, at their detector positions
    /// from the image's corner. The half-block display (80 × 60 display pixels) interpolated up,
    /// as pictures were drawn before, makes each line several pixels wide and 480 long.
    func testXtermShowsEveryDetectorPixelAsATerminalPixel() throws {
        try XDisplay.requireTools(["/usr/bin/Xvfb", "/usr/bin/xterm", "/usr/bin/import", "/usr/bin/convert"],
                                  install: "scripts/install-deps.sh (apt-get install xterm xvfb imagemagick xdotool)")
        let (width, height) = (400, 300)
        var pixels = [UInt16](repeating: 0, count: width * height)
        for y in 0..<height { pixels[y * width + 100] = 1000; pixels[y * width + 250] = 1000 }
        for x in 0..<width { pixels[100 * width + x] = 1000; pixels[200 * width + x] = 1000 }
        let stream = try ArrayFrameStream(width: width, height: height, pixels: pixels)

        let binary = try DetviewProcess.executable.path
        let x = try XDisplay()
        self.x = x
        let display = x.name
        try x.start("/usr/bin/xterm", ["-display", display, "-ti", "vt340", "-xrm", "XTerm*numColorRegisters: 256",
                                         "-fn", "6x13", "-geometry", "120x40+0+0", "-e", "/bin/sh", "-c",
                                         "\(binary) view \(stream.endpoint) --format array --socket pull --workers 1 --graphics auto; sleep 120"])
        var lines: BrightLines?
        var shot: Screenshot?
        let found = eventually(timeout: 60) {
            stream.send()
            shot = try? x.screenshot()
            lines = shot.map { BrightLines(in: $0, minimumRun: 280) }
            return lines.map { $0.rows.count == 2 && $0.columns.count == 2 } ?? false
        }
        if let shot { try? shot.png(to: FileManager.default.temporaryDirectory.appendingPathComponent("detview-sixel-truepixels.png").path) }
        XCTAssertTrue(found, "two bright rows and two bright columns on screen (found \(String(describing: lines)), \(stream.sent) frames sent)")
        guard found, let lines else { return }
        let (rowA, rowB) = (lines.rows[0], lines.rows[1])
        let (columnA, columnB) = (lines.columns[0], lines.columns[1])
        XCTAssertEqual(rowA.length, width, "a detector row is \(width) terminal pixels long")
        XCTAssertEqual(rowB.length, width)
        XCTAssertEqual(columnA.length, height, "a detector column is \(height) terminal pixels tall")
        XCTAssertEqual(columnB.length, height)
        // The image's corner from the rows' start and the columns' start; each line at its detector pixel.
        let (left, top) = (rowA.start, columnA.start)
        XCTAssertEqual(rowA.at - top, 100, "detector row 100")
        XCTAssertEqual(rowB.at - top, 200, "detector row 200")
        XCTAssertEqual(columnA.at - left, 100, "detector column 100")
        XCTAssertEqual(columnB.at - left, 250, "detector column 250")
        // One pixel wide: the pixels beside each line are the dark background (the ramp's bottom).
        if let shot {
            for column in [columnA, columnB] {
                for dx in [-1, 1] {
                    let p = shot.pixel(x: column.at + dx, y: top + 50)
                    XCTAssertTrue(p.r < 120 && p.g < 60, "beside column \(column.at - left): \(p)")
                }
            }
            for row in [rowA, rowB] {
                for dy in [-1, 1] {
                    let p = shot.pixel(x: left + 50, y: row.at + dy)
                    XCTAssertTrue(p.r < 120 && p.g < 60, "beside row \(row.at - top): \(p)")
                }
            }
        }
    }
}

/// The screen's bright straight lines: every row (and column) holding a run of at least
/// `minimumRun` bright pixels, with the run's start and length. Text cells never make one:
/// the longest bright thing outside the heatmap is a few cells of the colour bar.
struct BrightLines: CustomStringConvertible {
    struct Line: CustomStringConvertible {
        var at: Int
        var start: Int
        var length: Int
        var description: String { "\(at): \(start)+\(length)" }
    }

    var rows: [Line] = []
    var columns: [Line] = []

    init(in shot: Screenshot, minimumRun: Int) {
        func longestRun(count: Int, _ bright: (Int) -> Bool) -> (start: Int, length: Int) {
            var best = (start: 0, length: 0), start = 0, length = 0
            for i in 0..<count {
                if bright(i) {
                    if length == 0 { start = i }
                    length += 1
                    if length > best.length { best = (start, length) }
                } else {
                    length = 0
                }
            }
            return best
        }
        for y in 0..<shot.height {
            let run = longestRun(count: shot.width) { shot.isBright(x: $0, y: y) }
            if run.length >= minimumRun { rows.append(Line(at: y, start: run.start, length: run.length)) }
        }
        for x in 0..<shot.width {
            let run = longestRun(count: shot.height) { shot.isBright(x: x, y: $0) }
            if run.length >= minimumRun { columns.append(Line(at: x, start: run.start, length: run.length)) }
        }
    }

    var description: String { "rows \(rows), columns \(columns)" }
}

/// Streams one uint16 frame again and again as array-1.0 messages over a PUSH socket the
/// viewer connects to (`--format array --socket pull`): a scene the test knows pixel by pixel.
final class ArrayFrameStream {
    private let context: ZMQContext
    private let push: ZMQSocket
    private let frame: [UInt8]
    private let width: Int, height: Int
    let endpoint: String
    private(set) var sent = 0

    init(width: Int, height: Int, pixels: [UInt16]) throws {
        precondition(pixels.count == width * height)
        self.width = width
        self.height = height
        frame = pixels.withUnsafeBytes { Array($0) }
        context = try ZMQContext(ioThreads: 1, defaultLingerMilliseconds: 0)
        push = try ZMQSocket(context, .push)
        try push.bind("tcp://127.0.0.1:*")
        endpoint = try push.lastEndpoint
    }

    deinit { push.close() }

    /// One more frame, unless the viewer is not reading (never blocks). Its first pixel counts
    /// the frames, so the picture changes and is sent again with each paint, as with a real
    /// detector: a picture the terminal moved with lines ncurses scrolled beside it is then
    /// put back at once (the backend resends a picture only when it or its cells change).
    func send() {
        var frame = frame
        let counter = UInt16(sent % 500)
        frame[0] = UInt8(counter & 0xFF)
        frame[1] = UInt8(counter >> 8)
        let header = "{\"htype\":\"array-1.0\",\"shape\":[\(height),\(width)],\"type\":\"uint16\",\"frame\":\(sent),\"endianness\":\"little\"}"
        if (try? push.sendMultipart([Array(header.utf8), frame], dontWait: true)) == true { sent += 1 }
    }
}

/// Deterministic noise below `limit` (xorshift).
func noisePixels(count: Int, below limit: UInt16) -> [UInt16] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return UInt16(state % UInt64(limit))
    }
}
