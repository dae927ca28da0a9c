@testable import Viewer
import XCTest

/// The byte budget: the heatmap is painted as often as `--max-rate` allows, counters at 10 Hz.
final class RenderBudgetTests: XCTestCase {
    let second: UInt64 = 1_000_000_000

    func testTokenBucketRefillsAtItsRateUpToItsCapacity() {
        var bucket = TokenBucket(rate: 1000, capacity: 200)
        XCTAssertEqual(bucket.level(at: 0), 200, "starts full")
        bucket.spend(500, at: 0)
        XCTAssertEqual(bucket.level(at: 0), -300, "a paint larger than the level leaves a debt")
        XCTAssertEqual(bucket.level(at: second / 10), -200, accuracy: 1e-9)
        XCTAssertEqual(bucket.level(at: 10 * second), 200, "never above the capacity")
    }

    func testTokenBucketWaitIsTheTimeToRefillTheAmount() {
        var bucket = TokenBucket(rate: 1000, capacity: 200)
        bucket.spend(300, at: 0)   // level -100
        XCTAssertEqual(bucket.wait(for: 100, at: 0), 200_000_000, "200 bytes missing at 1000 B/s")
        XCTAssertEqual(bucket.wait(for: 5000, at: 0), 300_000_000, "never more than a full bucket is waited for")
        XCTAssertEqual(bucket.wait(for: 100, at: second), 0)
        XCTAssertEqual(TokenBucket(rate: 0, capacity: 0).wait(for: 1e9, at: 0), 0, "0 is unlimited")
    }

    func testTokenBucketHoldsItsRateOverAnyWindow() {
        // Paints as soon as the bucket allows, each 40 KB, for 10 s at 100 KB/s.
        var bucket = TokenBucket(bytesPerSecond: 100_000)
        var now: UInt64 = 0, spent = 0
        while now < 10 * second {
            now += bucket.wait(for: 40_000, at: now)
            bucket.spend(40_000, at: now)
            spent += 40_000
            now += 1_000_000
        }
        XCTAssertLessThanOrEqual(Double(spent), 100_000 * 10 + bucket.capacity + 40_000)
        XCTAssertGreaterThan(Double(spent), 100_000 * 9)
    }

    /// A harness at 100 KB/s whose heatmap paints cost `heatmapBytes` and panel paints 1 KB.
    private func run(budget: Double, heatmapBytes: Int, seconds: Int) -> (heatmap: Int, panels: Int, bytes: Int, limited: Bool) {
        var h = CoreHarness(interactive: true) { $0.maxBytesPerSecond = budget }
        let painted = h.paintLoop(seconds: Double(seconds), first: .started) { withHeatmap, _ in withHeatmap ? heatmapBytes : 1000 }
        return (painted.heatmap, painted.panels, painted.bytes, h.core.screen.terminalOutput?.limited ?? false)
    }

    func testTheHeatmapRateFollowsTheBudget() {
        let short = run(budget: 100_000, heatmapBytes: 40_000, seconds: 10)
        XCTAssertLessThanOrEqual(Double(short.bytes), 100_000 * 10 + 20_000 + 40_000, "the budget holds")
        XCTAssertEqual(Double(short.heatmap), 25, accuracy: 4, "about 100 KB/s ÷ 40 KB heatmap paints")
        XCTAssertGreaterThanOrEqual(short.heatmap + short.panels, 10 * 10, "counters at 10 Hz or more")
        XCTAssertTrue(short.limited, "the status line is told the budget limits the heatmap")

        let ample = run(budget: 10_000_000, heatmapBytes: 40_000, seconds: 10)
        XCTAssertGreaterThan(ample.heatmap, 250, "with room the heatmap goes back up to the render rate (30/s)")
        XCTAssertFalse(ample.limited)
    }

    func testUnlimitedBudgetNeverHoldsTheHeatmap() {
        let unlimited = run(budget: 0, heatmapBytes: 1_000_000, seconds: 3)
        XCTAssertEqual(unlimited.panels, 0)
        XCTAssertGreaterThan(unlimited.heatmap, 80)
    }

    func testOutputMeterReadsOutEachWholeSecond() {
        var meter = OutputMeter()
        meter.painted(bytes: 100, heatmap: true, at: 0)
        meter.painted(bytes: 300, heatmap: false, at: second / 2)
        meter.heatmapHeld(at: second / 2)
        XCTAssertNil(meter.readout, "no whole second yet")
        meter.painted(bytes: 50, heatmap: true, at: second)
        XCTAssertEqual(meter.readout, OutputRate(bytesPerSecond: 400, paintsPerSecond: 2, heatmapPaintsPerSecond: 1, limited: true))
    }

    func testMaxRateArgument() {
        XCTAssertEqual(ViewerConfig.byteRate("500k"), 500_000)
        XCTAssertEqual(ViewerConfig.byteRate("2M"), 2_000_000)
        XCTAssertEqual(ViewerConfig.byteRate("0"), 0)
        XCTAssertEqual(ViewerConfig.byteRate("1.5M"), 1_500_000)
        XCTAssertNil(ViewerConfig.byteRate("-1k"))
        XCTAssertNil(ViewerConfig.byteRate("fast"))
        XCTAssertNil(ViewerConfig.byteRate("2G"))
    }
}

extension RenderBudgetTests {
    func testCountersAloneRepaintThePanelsNotTheHeatmap() {
        var h = CoreHarness(interactive: true) { $0.maxBytesPerSecond = 100_000 }
        h.feed(.started)
        h.feed(.rendered(bytes: 20_000))
        h.feed(.statsTick(h.counters(received: 1)), after: second)
        XCTAssertEqual(h.feed(.settled), [.render(heatmap: false)], "nothing new for the heatmap")
        h.feed(.rendered(bytes: 500))
        h.feed(.results([], lost: 0, h.counters(received: 2)), after: second)
        XCTAssertEqual(h.feed(.settled), [.render(heatmap: true)], "new frames, and the budget has room")
    }
}
