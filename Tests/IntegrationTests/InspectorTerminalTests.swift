import Foundation
import XCTest
import ZeroMQ

/// The pixel inspector in the real binary in tmux: the test streams 64 × 64 array-1.0 frames
/// whose pixel (x, y) holds 100·x + y, presses `i`, the arrows and Shift+→, and reads the
/// panel's readout of the pixel under the cursor; Escape hides it; `q` quits. The frame fits
/// the 88 × 72 heatmap at one display pixel per detector pixel, so an arrow moves by one pixel.
final class InspectorTerminalTests: XCTestCase {
    private static let size = 64

    private static let frame: [UInt8] = {
        var pixels = [UInt16](repeating: 0, count: size * size)
        for y in 0..<size { for x in 0..<size { pixels[y * size + x] = UInt16(100 * x + y) } }
        return pixels.withUnsafeBytes { Array($0) }
    }()

    private func header(_ number: Int) -> [UInt8] {
        Array("{\"htype\":\"array-1.0\",\"shape\":[\(Self.size),\(Self.size)],\"type\":\"uint16\",\"frame\":\(number),\"endianness\":\"little\"}".utf8)
    }

    func testTheInspectorReadsTheKnownValueOfThePixelUnderTheCursor() throws {
        guard TmuxSession.isAvailable else { throw MissingTestInput("tmux is not installed (scripts/install-deps.sh installs it)") }
        let binary = try DetviewProcess.executable.path
        let context = try ZMQContext(ioThreads: 1, defaultLingerMilliseconds: 0)
        let push = try ZMQSocket(context, .push)
        try push.bind("tcp://127.0.0.1:*")
        let endpoint = try push.lastEndpoint
        let tmux = TmuxSession(width: 120, height: 40, command:
            "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C TERM=tmux-256color \(binary) view \(endpoint) --format array --socket pull --workers 1")
        var sent = 0
        var last = ""
        func waitForScreen(_ what: String, timeout: TimeInterval = 20, _ condition: (String) -> Bool, line: UInt = #line) {
            let deadline = Date().addingTimeInterval(timeout)
            repeat {
                if (try? push.sendMultipart([header(sent), Self.frame], dontWait: true)) == true { sent += 1 }
                last = tmux.screen
                if condition(last) { return }
                usleep(30_000)
            } while Date() < deadline
            XCTFail("\(what); the screen was:\n\(last)", line: line)
        }
        /// The panel names the pixel, its raw value, and the 3×3's bracketed centre (all values have four digits).
        func reads(_ screen: String, _ x: Int, _ y: Int) -> Bool {
            screen.contains("Pixel \(x),\(y)") && screen.components(separatedBy: "\n").contains { $0.contains("| raw ") && $0.hasSuffix(" \(100 * x + y)") }
                && screen.contains("[  \(100 * x + y)]")
        }

        waitForScreen("the frame is shown") { $0.contains("64x64") }
        tmux.send("i")
        waitForScreen("i shows the cursor at the centre and its pixel's readout") { reads($0, 32, 32) }
        XCTAssertTrue(last.components(separatedBy: "\n").contains { $0.contains("| masked ") && $0.hasSuffix(" no") }, last)
        tmux.send("Right")
        tmux.send("Right")
        tmux.send("Down")
        waitForScreen("two rights and a down move the cursor by one pixel each") { reads($0, 34, 33) }
        // The neighbourhood's rows: (33…35, 32), (33…35, 33) with the centre bracketed, (33…35, 34).
        XCTAssertTrue(last.contains("   3332    3432    3532"), last)
        XCTAssertTrue(last.contains("   3333 [  3433]   3533"), last)
        tmux.send("S-Right")
        waitForScreen("Shift+right moves it by ten") { reads($0, 44, 33) }
        tmux.send("Escape")
        waitForScreen("Escape hides the inspector") { !$0.contains("Pixel 44,33") && $0.contains("inspector off") }

        tmux.send("q")
        XCTAssertTrue(eventually(timeout: 10) { !tmux.screen.contains("64x64") }, "q ends the viewer:\n\(tmux.screen)")
        push.close()
    }
}
