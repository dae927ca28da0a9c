import Foundation
import XCTest

/// Every frame the receiver rejects is in a headless `bad_frame` line: coalesced with counts
/// (at most one line per 100 ms) when they come faster, the counts adding up to `bad`.
final class HeadlessBadFrameTests: XCTestCase {
    func testAFloodOfRejectedFramesGivesCoalescedBadFrameLinesWhoseCountsAddUpToBad() throws {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        // array-1.0 frames to a viewer told to expect slsDetector: every one is rejected on arrival.
        let viewer = try DetviewProcess(["view", endpoint, "--format", "sls", "--headless", "--workers", "1",
                                         "--stats-interval", "0.5"])
        let started = Date()
        let sender = try DetviewProcess(["simulate", "--format", "array", "--bind", endpoint, "--frames", "400",
                                         "--rate", "200", "--wait-subscriber", "20"])
        XCTAssertEqual(sender.waitForExit(timeout: 60), 0, sender.standardError)
        XCTAssertTrue(eventually(timeout: 10) { (viewer.events("stats").last?["bad"] as? Int ?? 0) >= 390 },
                      "\(viewer.events("stats").last ?? [:])")
        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM)
        let seconds = Date().timeIntervalSince(started)

        let lines = viewer.events("bad_frame")
        let bad = try XCTUnwrap(viewer.events("stats").last?["bad"] as? Int)
        XCTAssertEqual(lines.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }, bad, "every rejected frame is counted in a line")
        XCTAssertTrue(lines.allSatisfy { ($0["reason"] as? String ?? "").hasPrefix("sls: ") }, "\(lines.prefix(3))")
        // About 2 s of rejections at 200 a second (longer on a loaded machine: the bound is taken
        // from the time the run really lasted): one line at once, then at most 10 a second.
        XCTAssertGreaterThanOrEqual(lines.count, 2)
        XCTAssertLessThanOrEqual(lines.count, Int(seconds * 10) + 2, "coalesced: \(lines.count) lines for \(bad) frames in \(seconds) s")
        XCTAssertLessThan(lines.count * 5, bad, "coalesced: \(lines.count) lines for \(bad) frames")
        XCTAssertTrue(lines.contains { ($0["count"] as? Int ?? 0) > 1 }, "lines carry counts")
    }
}
