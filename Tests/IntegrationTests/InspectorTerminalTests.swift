import Foundation
import XCTest

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

    func testTheInspectorReadsTheKnownValueOfThePixelUnderTheCursor() throws {
        guard TmuxSession.isAvailable else { throw MissingTestInput("tmux is not installed (scripts/install-deps.sh installs it)") }
        let tmux = try TmuxSession.streamed(width: 120, height: 40, environment: "HOME=/tmp LANG=C",
                                            options: "--workers 1") {
            [arrayFrameHeader($0, width: Self.size, height: Self.size), Self.frame]
        }
        /// The panel names the pixel, its raw value, and the 3×3's bracketed centre (all values have four digits).
        func reads(_ screen: String, _ x: Int, _ y: Int) -> Bool {
            screen.contains("Pixel \(x),\(y)") && screen.components(separatedBy: "\n").contains { $0.contains("| raw ") && $0.hasSuffix(" \(100 * x + y)") }
                && screen.contains("[  \(100 * x + y)]")
        }

        tmux.waitForScreen("the frame is shown") { $0.contains("64x64") }
        tmux.send("i")
        tmux.waitForScreen("i shows the cursor at the centre and its pixel's readout") { reads($0, 32, 32) }
        XCTAssertTrue(tmux.last.components(separatedBy: "\n").contains { $0.contains("| masked ") && $0.hasSuffix(" no") }, tmux.last)
        tmux.send("Right")
        tmux.send("Right")
        tmux.send("Down")
        tmux.waitForScreen("two rights and a down move the cursor by one pixel each") { reads($0, 34, 33) }
        // The neighbourhood's rows: (33…35, 32), (33…35, 33) with the centre bracketed, (33…35, 34).
        XCTAssertTrue(tmux.last.contains("   3332    3432    3532"), tmux.last)
        XCTAssertTrue(tmux.last.contains("   3333 [  3433]   3533"), tmux.last)
        tmux.send("S-Right")
        tmux.waitForScreen("Shift+right moves it by ten") { reads($0, 44, 33) }
        tmux.send("Escape")
        tmux.waitForScreen("Escape hides the inspector") { !$0.contains("Pixel 44,33") && $0.contains("inspector off") }

        tmux.send("q")
        XCTAssertTrue(eventually(timeout: 10) { !tmux.screen.contains("64x64") }, "q ends the viewer:\n\(tmux.screen)")
    }
}
