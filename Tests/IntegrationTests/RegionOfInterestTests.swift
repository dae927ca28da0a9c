import Foundation
import XCTest
import ZeroMQ

/// Regions of interest through the real binary: the test streams array-1.0 uint16 frames whose
/// every pixel it knows (masked all-ones pixels among them) and checks each region's numbers,
/// headless (two `--roi`, `--per-frame`) and on the screen in tmux (drawn with `R`, arrows,
/// Enter; removed with Delete), against sums it computes itself from the same pixels.
final class RegionOfInterestTests: XCTestCase {
    private static let (width, height) = (96, 64)

    /// Frame k's pixel (x, y); every 13th pixel is the uint16 all-ones value (masked).
    private static func value(_ x: Int, _ y: Int, frame k: Int) -> UInt16 {
        (x + y * width) % 13 == 5 ? 0xFFFF : UInt16((x * 3 + y * 5 + k * 7) % 101)
    }

    private static func frame(_ k: Int, width: Int = width, height: Int = height) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(width * height * 2)
        for y in 0..<height {
            for x in 0..<width {
                let v = value(x, y, frame: k)
                bytes += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
            }
        }
        return bytes
    }

    private static func header(_ k: Int, width: Int = width, height: Int = height) -> [UInt8] {
        arrayFrameHeader(k, width: width, height: height)
    }

    /// The test's own numbers of a region (clipped to the frame by hand), masked pixels left out.
    private static func truth(x0: Int, y0: Int, x1: Int, y1: Int, frame k: Int, width: Int = width, height: Int = height)
        -> (sum: Double, max: Double, pixels: Int, cx: Double, cy: Double) {
        var sum = 0.0, top = 0.0, pixels = 0, wx = 0.0, wy = 0.0
        for y in max(0, y0)..<min(height, y1) {
            for x in max(0, x0)..<min(width, x1) {
                let v = value(x, y, frame: k)
                if v == 0xFFFF { continue }
                sum += Double(v)
                top = max(top, Double(v))
                pixels += 1
                wx += Double(v) * (Double(x) + 0.5)
                wy += Double(v) * (Double(y) + 0.5)
            }
        }
        return (sum, top, pixels, wx / sum, wy / sum)
    }

    func testTwoRegionsGivenWithRoiAreMeasuredOnEveryFrameHeadless() throws {
        let context = try ZMQContext(ioThreads: 1, defaultLingerMilliseconds: 2000)
        let push = try ZMQSocket(context, .push)
        try push.bind("tcp://127.0.0.1:*")
        let frames = 4
        // The second region runs over the frame's right and bottom edges: it is clipped.
        let viewer = try DetviewProcess(["view", try push.lastEndpoint, "--headless", "--per-frame", "--format", "array",
                                         "--socket", "pull", "--workers", "2", "--stats-interval", "0",
                                         "--roi", "10,5,30,20", "--roi", "80,50,200,100",
                                         "--exit-after-frames", String(frames)])
        for k in 0..<frames { XCTAssertTrue(try push.sendMultipart([Self.header(k), Self.frame(k)])) }
        XCTAssertEqual(viewer.waitForExit(timeout: 30), 0, viewer.standardError)
        push.close()
        let lines = viewer.events("frame")
        XCTAssertEqual(lines.count, frames)
        for line in lines {
            let k = try XCTUnwrap(line["frame"] as? Int)
            let rois = try XCTUnwrap(line["rois"] as? [[String: Any]], "\(line)")
            XCTAssertEqual(rois.count, 2)
            for (roi, bounds) in zip(rois, [(10, 5, 30, 20), (80, 50, 96, 64)]) {
                XCTAssertEqual([roi["x0"], roi["y0"], roi["x1"], roi["y1"]].map { $0 as? Int },
                               [bounds.0, bounds.1, bounds.2, bounds.3], "clipped to the 96 × 64 frame")
                let t = Self.truth(x0: bounds.0, y0: bounds.1, x1: bounds.2, y1: bounds.3, frame: k)
                XCTAssertEqual(number(roi["sum"]), t.sum, "frame \(k) \(bounds)")
                XCTAssertEqual(number(roi["max"]), t.max)
                XCTAssertEqual(roi["pixels"] as? Int, t.pixels, "masked pixels left out")
                XCTAssertEqual(try XCTUnwrap(number(roi["mean"])), t.sum / Double(t.pixels), accuracy: 1e-9)
                XCTAssertEqual(try XCTUnwrap(number(roi["cx"])), t.cx, accuracy: 1e-9)
                XCTAssertEqual(try XCTUnwrap(number(roi["cy"])), t.cy, accuracy: 1e-9)
            }
        }
    }

    func testMoreThanFourRegionsAreRefusedAtStart() throws {
        let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless"]
                                        + (0..<5).flatMap { ["--roi", "0,0,\($0 + 1),1"] })
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 64)
        XCTAssertTrue(viewer.standardError.contains("--roi given 5 times: at most 4 regions"), viewer.standardError)
    }

    /// The panel's region heading "1 x 256-276, y 256-269" as (x0, y0, x1, y1), half-open.
    private func panelRegion(_ screen: String) -> (Int, Int, Int, Int)? {
        guard let m = screen.firstMatch(of: /1 x (\d+)-(\d+), y (\d+)-(\d+)\n/) else { return nil }
        guard let x0 = Int(m.1), let x1 = Int(m.2), let y0 = Int(m.3), let y1 = Int(m.4) else { return nil }
        return (x0, y0, x1 + 1, y1 + 1)
    }

    func testARegionDrawnWithKeysIsBoxedAndItsSumIsTheTestsOwn() throws {
        guard TmuxSession.isAvailable else { throw MissingTestInput("tmux is not installed (scripts/install-deps.sh installs it)") }
        // One constant frame, sent again and again: every frame's region sum is the same.
        let (w, h) = (512, 512)
        let pixels = Self.frame(0, width: w, height: h)
        let tmux = try TmuxSession.streamed(width: 120, height: 50, environment: "HOME=/tmp LANG=C.UTF-8",
                                            options: "--workers 1") { [Self.header($0, width: w, height: h), pixels] }
        func corners(_ screen: String) -> Int { screen.filter { $0 == "┘" }.count }

        tmux.waitForScreen("the frame is shown") { $0.contains("max-binned 512") }
        let bordersAlone = corners(tmux.last)
        // About 6 detector pixels a shown pixel: five steps right and three down make a box
        // of several cells each way (so it has corners).
        tmux.send("R")
        for _ in 0..<5 { tmux.send("Right") }
        for _ in 0..<3 { tmux.send("Down") }
        tmux.waitForScreen("the region being drawn grows") { $0.contains("drawing: Enter fixes it") && $0.contains("Enter fixes, Esc drops") }
        tmux.send("Enter")
        // The heatmap may be painted a little after the panel (the byte budget): wait for both.
        tmux.waitForScreen("the fixed region's sum in the panel and its box on the heatmap") {
            $0.contains("Regions") && $0.contains("  sum ") && corners($0) == bordersAlone + 1
        }
        let region = try XCTUnwrap(panelRegion(tmux.last), tmux.last)
        let t = Self.truth(x0: region.0, y0: region.1, x1: region.2, y1: region.3, frame: 0, width: w, height: h)
        XCTAssertGreaterThan(t.pixels, 0)
        XCTAssertGreaterThan(region.2 - region.0, region.3 - region.1, "→ five times, ↓ three times: wider than tall")
        let sumText = try XCTUnwrap(tmux.last.firstMatch(of: /\ \ sum (\d+)\ \ mean/), tmux.last)
        XCTAssertEqual(Double(String(sumText.1)), t.sum, "the panel's sum is the test's own sum over \(region):\n\(tmux.last)")

        tmux.send("DC")
        tmux.waitForScreen("Delete removes it from the panel and the heatmap") {
            !$0.contains("Regions") && $0.contains("removed") && corners($0) == bordersAlone
        }

        tmux.send("q")
        XCTAssertTrue(eventually(timeout: 10) { !tmux.screen.contains("max-binned") }, "q ends the viewer:\n\(tmux.screen)")
    }
}
