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
}
