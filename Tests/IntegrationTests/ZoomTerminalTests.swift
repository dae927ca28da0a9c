import Foundation
import XCTest

/// Zoom and pan in the real binary in tmux: the test streams 512 × 512 array-1.0 frames with
/// one bright 4 × 4 spot (a Bragg spot) at the centre to `detview view`, presses z, Z, the
/// arrows and f, and reads the heatmap's title and cells. ASCII glyphs (LANG=C): a zero
/// pixel is a blank and the spot a ramp character, so the spot's cells can be counted.
final class ZoomTerminalTests: XCTestCase {
    private static let (frameWidth, frameHeight) = (512, 512)
    /// The spot: columns and rows 254…257.
    private static let spot = 254..<258

    private static let frame: [UInt8] = {
        var pixels = [UInt16](repeating: 0, count: frameWidth * frameHeight)
        for y in spot { for x in spot { pixels[y * frameWidth + x] = 60_000 } }
        return pixels.withUnsafeBytes { Array($0) }
    }()

    /// The heatmap's interior in a 120 × 40 screen: columns 1…88, rows 2…37.
    private func spotCells(_ screen: String) -> Int {
        let rows = screen.components(separatedBy: "\n")
        return (2...37).reduce(0) { count, y in
            guard y < rows.count else { return count }
            let row = Array(rows[y])
            return count + (1...88).filter { $0 < row.count && row[$0] != " " }.count
        }
    }

    /// The region in the heatmap's title ("x 192-319, y 220-291") as [x0, x1, y0, y1], or nil
    /// when the title shows none (fitted).
    private func region(_ screen: String) -> [Int]? {
        guard let title = screen.components(separatedBy: "\n").dropFirst().first,
              let match = title.firstMatch(of: /x (\d+)-(\d+), y (\d+)-(\d+)/) else { return nil }
        return [match.1, match.2, match.3, match.4].compactMap { Int($0) }
    }

    func testZoomInOutPanAndFitShowTheSpotsFullResolutionPixels() throws {
        guard TmuxSession.isAvailable else { throw MissingTestInput("tmux is not installed (scripts/install-deps.sh installs it)") }
        let tmux = try TmuxSession.streamed(width: 120, height: 40, environment: "HOME=/tmp LANG=C",
                                            options: "--workers 1") {
            [arrayFrameHeader($0, width: Self.frameWidth, height: Self.frameHeight), Self.frame]
        }

        // The title can be new while the heatmap's cells are still the ones of the paint before
        // (the byte budget holds the heatmap, or the first image is not in yet): wait for the spot.
        tmux.waitForScreen("at fit the spot is one or two binned pixels") {
            $0.contains("max-binned 512x512 > 72x72") && (1...4).contains(self.spotCells($0))
        }
        let fittedCells = spotCells(tmux.last)

        for _ in 0..<4 { tmux.send("z") }
        tmux.waitForScreen("four zooms show the spot's pixels as 2 x 2 blocks") {
            $0.contains("1 px > 2x2") && !$0.contains("binning") && self.spotCells($0) >= 16
        }
        let zoomedRegion = try XCTUnwrap(region(tmux.last), tmux.last)
        XCTAssertEqual(zoomedRegion, [234, 277, 238, 273], "88 x 72 display pixels at 2 a pixel, around the centre")
        XCTAssertEqual(spotCells(tmux.last), 32, "4 x 4 pixels as 8 x 8 display pixels: 8 columns x 4 rows of cells:\n\(tmux.last)")
        XCTAssertGreaterThan(spotCells(tmux.last), fittedCells)

        tmux.send("Z")
        tmux.waitForScreen("Z zooms out: the region grows") {
            $0.contains("1 px > 1x1") && self.region($0) != nil && self.region($0) != zoomedRegion
        }
        let outRegion = try XCTUnwrap(region(tmux.last))
        XCTAssertEqual(outRegion, [212, 299, 220, 291])
        tmux.waitForScreen("the spot as 4 x 4 display pixels") { !$0.contains("binning") && self.spotCells($0) == 8 }

        tmux.send("Right")
        tmux.waitForScreen("the right arrow pans: the region moves right") {
            self.region($0) != nil && self.region($0) != outRegion && $0.contains("1 px > 1x1")
        }
        let panned = try XCTUnwrap(region(tmux.last))
        XCTAssertGreaterThan(panned[0], outRegion[0], "\(outRegion) → \(panned)")
        XCTAssertEqual(panned[2], outRegion[2], "a pan to the right keeps the rows")
        XCTAssertEqual(panned[1] - panned[0], outRegion[1] - outRegion[0], "and the width")

        tmux.send("f")
        tmux.waitForScreen("f fits the whole frame again") { $0.contains("max-binned 512x512 > 72x72") && !$0.contains("zoom") }

        tmux.send("q")
        XCTAssertTrue(eventually(timeout: 10) { !tmux.screen.contains("max-binned") }, "q ends the viewer:\n\(tmux.screen)")
    }
}
