import Foundation
import XCTest

/// Issue 12, "a ring sized in bytes, not slots": 32 slots of `--max-frame-bytes` overflowed on a
/// burst of small frames the worker would have taken milliseconds later (a real slsReceiver at
/// 2 kHz lost 3-13 of 2,000 frames). The ring is now a byte budget whose slots follow the
/// series' frame size, and `--max-lag` drops frames that waited too long instead of showing them.
final class RingBudgetTests: XCTestCase {
    /// Runs a headless viewer with one worker on a burst of `frames` small (64×64 u16, 8 KB) sls
    /// frames sent as fast as the simulator can (XPUB: ZeroMQ itself drops nothing), and returns
    /// its last stats line. `stopWorkerDuringBurst`: the worker is stopped until the whole burst is
    /// in, as a busy host would hold it: whatever the ring cannot hold is lost.
    private func burst(frames: Int, viewerOptions: [String], stopWorkerDuringBurst: Bool) throws -> [String: Any] {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--workers", "1", "--stats-interval", "0",
                                         "--exit-on-series-end", "--stall-kill", "0"] + viewerOptions)
        defer { viewer.signal(SIGKILL) }
        XCTAssertTrue(eventually(timeout: 10) { children(of: viewer.pid).count == 1 }, "the worker starts")
        let worker = try XCTUnwrap(children(of: viewer.pid).first)
        if stopWorkerDuringBurst { kill(worker, SIGSTOP) }
        let simulator = try DetviewProcess(["simulate", "--detector", "eiger", "--format", "sls", "--size", "64x64",
                                            "--pixel-type", "uint16", "--bind", endpoint, "--rate", "100000",
                                            "--frames", "\(frames)", "--wait-subscriber", "10"])
        defer { simulator.signal(SIGKILL) }
        XCTAssertEqual(simulator.waitForExit(timeout: 60), 0, "the burst is sent: \(simulator.standardError)")
        if stopWorkerDuringBurst { kill(worker, SIGCONT) }
        XCTAssertEqual(viewer.waitForExit(timeout: 60), 0, "the series ends and is done: \(viewer.standardError)")
        let stats = try XCTUnwrap(viewer.events("stats").last)
        let received = try XCTUnwrap(stats["received"] as? Int)
        XCTAssertEqual(received, frames, "every frame reached the viewer (ZeroMQ dropped none)")
        let parts = ["processed", "dropped", "bad", "in_flight"].map { stats[$0] as? Int ?? -1 }
        XCTAssertEqual(parts.reduce(0, +), received, "received = processed + dropped + bad + in_flight: \(stats)")
        return stats
    }

    func testABurstOfTwoThousandSmallFramesLosesNoneWithTheDefaultRing() throws {
        // --max-lag 10: this test is about room in the ring; on a shared 2-core machine the one
        // worker may fall a second behind, which is --max-lag's business (tested below).
        let stats = try burst(frames: 2000, viewerOptions: ["--max-lag", "10"], stopWorkerDuringBurst: false)
        XCTAssertEqual(stats["dropped"] as? Int, 0, "\(stats)")
        XCTAssertEqual(stats["processed"] as? Int, 2000)
        let ring = try XCTUnwrap(stats["ring"] as? [String: Any])
        XCTAssertEqual(ring["slot_bytes"] as? Int, 16_384, "slots sized to the 8 KB frames, not to --max-frame-bytes")
        XCTAssertEqual(ring["slots"] as? Int, 1024, "as many as the table allows")
    }

    /// The old sizing against the new, made deterministic: the worker is held while 800 frames
    /// arrive. 32 slots (the old default, still what `--slots 32` gives) keep 32 of them; the
    /// byte-sized ring keeps all.
    func testABurstTheOldThirtyTwoSlotsCouldNotHoldFitsTheByteSizedRing() throws {
        let old = try burst(frames: 800, viewerOptions: ["--max-lag", "0", "--slots", "32"], stopWorkerDuringBurst: true)
        XCTAssertGreaterThanOrEqual(old["dropped"] as? Int ?? 0, 800 - 32 - 1, "32 slots lose the rest: \(old)")
        let new = try burst(frames: 800, viewerOptions: ["--max-lag", "0"], stopWorkerDuringBurst: true)
        XCTAssertEqual(new["dropped"] as? Int, 0, "\(new)")
        XCTAssertEqual(new["processed"] as? Int, 800)
    }

    func testRingOptionsThatCannotWorkAreRefusedAtStart() throws {
        for (arguments, said) in [(["--ring-bytes", "1M"], "give at least 160M"),
                                  (["--ring-bytes", "lots"], "--ring-bytes"),
                                  (["--max-lag", "-1"], "--max-lag")] {
            let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless"] + arguments)
            XCTAssertEqual(viewer.waitForExit(timeout: 10), 64, "a usage error: \(arguments)")
            XCTAssertTrue(viewer.standardError.contains(said), viewer.standardError)
        }
        let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless", "--ring-bytes", "512M",
                                         "--stats-interval", "0.2"])
        defer { viewer.signal(SIGKILL) }
        XCTAssertTrue(eventually(timeout: 10) { !viewer.events("stats").isEmpty }, viewer.standardError)
        let ring = try XCTUnwrap(viewer.events("stats").last?["ring"] as? [String: Any])
        XCTAssertEqual(ring["bytes"] as? Int, 512 << 20, "512M is the ring's budget")
        XCTAssertEqual(ring["slots"] as? Int, 6, "before a series: slots for the largest frame (80 MiB)")
    }

    func testFramesThatWaitedLongerThanMaxLagAreDroppedAsStale() throws {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--workers", "1", "--stats-interval", "0.25",
                                         "--max-lag", "0.5", "--stall-kill", "0"])
        defer { viewer.signal(SIGKILL) }
        let simulator = try DetviewProcess(["simulate", "--detector", "moench", "--bind", endpoint, "--rate", "100"])
        defer { simulator.signal(SIGKILL) }
        XCTAssertTrue(eventually(timeout: 10) { (viewer.events("stats").last?["processed"] as? Int ?? 0) > 10 },
                      "frames flow; stderr: \(viewer.standardError)")
        let worker = try XCTUnwrap(children(of: viewer.pid).first)
        // What came before the hold (a loaded machine can make a frame late now and then).
        let before = viewer.events("stats").last ?? [:]
        let staleBefore = before["stale"] as? Int ?? 0, receivedBefore = before["received"] as? Int ?? 0

        // Held for 2 s: the frames that arrive wait, all but the last half second's older than
        // 0.5 s when it goes on; it drops those and shows the stream as it is now.
        kill(worker, SIGSTOP)
        Thread.sleep(forTimeInterval: 2)
        let receivedDuringHold = (viewer.events("stats").last?["received"] as? Int ?? 0) - receivedBefore
        kill(worker, SIGCONT)
        XCTAssertTrue(eventually(timeout: 5) { (viewer.events("stats").last?["stale"] as? Int ?? 0) > staleBefore },
                      "stale frames are counted: \(viewer.events("stats").last ?? [:])")
        simulator.signal(SIGTERM)
        _ = simulator.waitForExit(timeout: 10)
        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM)
        let last = try XCTUnwrap(viewer.events("stats").last)
        let stale = try XCTUnwrap(last["stale"] as? Int)
        // Of the frames that arrived while it was held, those of its first 1.5 s were too old
        // (counted by what really arrived, not by the sender's nominal rate).
        XCTAssertGreaterThan(receivedDuringHold, 20, "frames arrived while the worker was held")
        XCTAssertGreaterThanOrEqual(stale - staleBefore, receivedDuringHold / 2,
                                    "\(receivedDuringHold) frames arrived during the 2 s hold: \(last)")
        XCTAssertGreaterThanOrEqual(last["dropped"] as? Int ?? 0, stale, "stale frames are dropped frames")
        let parts = ["processed", "dropped", "bad", "in_flight"].map { last[$0] as? Int ?? -1 }
        XCTAssertEqual(parts.reduce(0, +), last["received"] as? Int, "the accounting stays exact: \(last)")
    }
}
