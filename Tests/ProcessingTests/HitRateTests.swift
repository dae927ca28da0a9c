import XCTest
@testable import Processing

final class HitRateTests: XCTestCase {
    func testRateIsHitsOverFramesInTheWindow() throws {
        var rate = try HitRate(window: 10, buckets: 10)
        XCTAssertNil(rate.rate(at: 0), "no frames, no rate")
        for k in 0..<8 { rate.record(hit: k % 4 == 0, at: Double(k) * 0.5) }
        XCTAssertEqual(rate.rate(at: 4), 0.25)
        XCTAssertEqual(rate.totals(at: 4).frames, 8)
    }

    func testOldFramesLeaveTheWindow() throws {
        var rate = try HitRate(window: 10, buckets: 10)
        rate.record(hit: true, at: 0.5)  // bucket 0
        rate.record(hit: false, at: 5.5)  // bucket 5
        XCTAssertEqual(rate.rate(at: 9.9), 0.5)
        // At 10.0 the window is buckets 1…10: the hit at 0.5 is out.
        XCTAssertEqual(rate.rate(at: 10.0), 0)
        XCTAssertNil(rate.rate(at: 15.9))
        // A bucket reused by a later time starts from zero.
        rate.record(hit: false, at: 20.2)
        XCTAssertEqual(rate.totals(at: 20.2).frames, 1)
    }

    func testTotalsMatchACountOverTheDocumentedBuckets() throws {
        // Window 2 s in 20 buckets of 0.1 s: at time t the window is the buckets
        // ⌊t/0.1⌋ − 19 … ⌊t/0.1⌋.
        var rate = try HitRate(window: 2, buckets: 20)
        var random = TestRandom(seed: 12)
        var events: [(t: Double, hit: Bool)] = []
        var t = 0.0
        for k in 0..<2000 {
            t += Double(random.below(10)) / 1000
            let hit = random.below(3) == 0
            events.append((t, hit))
            rate.record(hit: hit, at: t)
            guard k % 97 == 0 else { continue }
            let newest = (t / 0.1).rounded(.down)
            let inWindow = events.filter { ($0.t / 0.1).rounded(.down) > newest - 20 }
            XCTAssertEqual(rate.totals(at: t).frames, UInt64(inWindow.count))
            XCTAssertEqual(rate.totals(at: t).hits, UInt64(inWindow.filter(\.hit).count))
        }
        XCTAssertGreaterThan(t, 5, "the run must outlast the window")
    }

    func testCombinedWorkerTrackersEqualOneTracker() throws {
        var whole = try HitRate(window: 5, buckets: 25)
        var parts = [try HitRate(window: 5, buckets: 25), try HitRate(window: 5, buckets: 25)]
        var random = TestRandom(seed: 4)
        for k in 0..<500 {
            let t = Double(k) * 0.02, hit = random.below(5) == 0
            whole.record(hit: hit, at: t)
            parts[random.below(2)].record(hit: hit, at: t)
        }
        var total = try HitRate(window: 5, buckets: 25)
        for part in parts { try total.combine(part) }
        for now in [9.98, 10.5, 12.0] {
            XCTAssertEqual(total.totals(at: now).frames, whole.totals(at: now).frames)
            XCTAssertEqual(total.totals(at: now).hits, whole.totals(at: now).hits)
        }
        XCTAssertGreaterThan(whole.totals(at: 9.98).frames, 200)
        XCTAssertThrowsError(try total.combine(try HitRate(window: 5, buckets: 10)))
    }

    func testFramesBeforeTheWindowAndNonFiniteTimesAreIgnored() throws {
        var rate = try HitRate(window: 1, buckets: 10)
        rate.record(hit: false, at: 100)
        rate.record(hit: true, at: 50)
        rate.record(hit: true, at: .nan)
        rate.record(hit: true, at: .infinity)
        rate.record(hit: true, at: 1e300)
        XCTAssertEqual(rate.rate(at: 100), 0)
        rate.clear()
        XCTAssertNil(rate.rate(at: 100))
    }

    func testBadWindowsAreRefused() {
        XCTAssertThrowsError(try HitRate(window: 0))
        XCTAssertThrowsError(try HitRate(window: .nan))
        XCTAssertThrowsError(try HitRate(window: 1, buckets: 0))
    }
}
