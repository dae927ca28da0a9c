import XCTest

/// `view --demo --demo-seed N`: the demo's simulator renders the beamline scene (its twelve dead
/// pixels are masked in every frame) and the same seed gives the same frames.
final class DemoSeedTests: XCTestCase {
    /// Frame number → sum, for the frames the headless demo viewer processed.
    private func frameSums(seed: Int) throws -> [Int: Double] {
        let viewer = try DetviewProcess(["view", "--demo", "--demo-seed", String(seed), "--demo-rate", "50",
                                         "--headless", "--per-frame", "--workers", "1", "--exit-after-frames", "25"])
        XCTAssertEqual(viewer.waitForExit(timeout: 30), 0, viewer.standardError)
        var sums: [Int: Double] = [:]
        for frame in viewer.events("frame") {
            let index = try XCTUnwrap(frame["frame"] as? Int)
            XCTAssertEqual(number(frame["masked"]), 12, "the demo's dead pixels, frame \(index)")
            sums[index] = try XCTUnwrap(number(frame["sum"]))
        }
        return sums
    }

    func testTheSameDemoSeedGivesTheSameFrames() throws {
        let first = try frameSums(seed: 5), second = try frameSums(seed: 5), other = try frameSums(seed: 6)
        // A subscriber may miss the first frames while it connects: compare the frames both saw.
        let common = Set(first.keys).intersection(second.keys)
        XCTAssertGreaterThanOrEqual(common.count, 10, "\(first.keys.sorted()) vs \(second.keys.sorted())")
        for frame in common { XCTAssertEqual(first[frame], second[frame], "frame \(frame)") }
        let differing = Set(first.keys).intersection(other.keys).filter { first[$0] != other[$0] }
        XCTAssertFalse(differing.isEmpty, "another seed, other frames")
    }

    /// `--demo-detector` picks the simulated detector: its shape, its name in the title, and for
    /// EIGER the module gaps (masked in every frame).
    func testTheDemoDetectorChoosesTheSimulatedDetector() throws {
        for (detector, width, height, source) in [("eiger", 1030, 1065, "demo (simulated EIGER 1M)"),
                                                  ("jungfrau", 1024, 512, "demo (simulated JUNGFRAU)")] {
            let viewer = try DetviewProcess(["view", "--demo", "--demo-detector", detector, "--demo-rate", "10",
                                             "--headless", "--per-frame", "--workers", "1", "--exit-after-frames", "3"])
            XCTAssertEqual(viewer.waitForExit(timeout: 60), 0, viewer.standardError)
            let start = try XCTUnwrap(viewer.events("series_start").first, detector)
            XCTAssertEqual(number(start["width"]), Double(width), detector)
            XCTAssertEqual(number(start["height"]), Double(height), detector)
            XCTAssertEqual(start["source"] as? String, source)
            let frames = viewer.events("frame")
            XCTAssertGreaterThanOrEqual(frames.count, 3, detector)
            if detector == "eiger" {
                for frame in frames { XCTAssertGreaterThan(number(frame["masked"]) ?? 0, 10_000, "EIGER's module gaps are masked") }
            }
        }
        let refused = try DetviewProcess(["view", "--demo", "--demo-detector", "pilatus", "--headless"])
        XCTAssertNotEqual(refused.waitForExit(timeout: 10), 0)
        XCTAssertTrue(refused.standardError.contains("demo-detector"), refused.standardError)
    }
}
