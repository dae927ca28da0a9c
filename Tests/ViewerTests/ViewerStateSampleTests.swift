import Viewer
import XCTest

final class ViewerStateSampleTests: XCTestCase {
    private let ms: UInt64 = 1_000_000

    private func sample(at t: UInt64, received: UInt64, bytes: UInt64, busy: [UInt64], frames: UInt64 = 0) -> CounterSample {
        var s = CounterSample(timeNanoseconds: t)
        s.received = received
        s.processed = received / 2
        s.dropped = 3
        s.bad = 1
        s.bytes = bytes
        s.workers = busy.enumerated().map {
            WorkerSample(index: $0.offset, busyNanoseconds: $0.element, frames: frames + UInt64($0.offset), restarts: 0, alive: true)
        }
        return s
    }

    func testCountersFollowEverySampleButRatesOnlyWindowsOfAtLeastOneSecond() {
        var state = ViewerState(source: "x")
        let s0 = sample(at: 0, received: 0, bytes: 0, busy: [0, 0])
        let s05 = sample(at: 500 * ms, received: 30, bytes: 3_000_000, busy: [200 * ms, 100 * ms], frames: 5)
        let s1 = sample(at: 1000 * ms, received: 100, bytes: 8_000_000, busy: [500 * ms, 250 * ms], frames: 9)
        let s2 = sample(at: 2000 * ms, received: 250, bytes: 20_000_000, busy: [1250 * ms, 250 * ms], frames: 20)

        state.reduce(.sample(s0))
        XCTAssertEqual(state.counters, s0)
        XCTAssertEqual(state.rates.framesPerSecond, 0)
        XCTAssertEqual(state.rates.bytesPerSecond, 0)
        XCTAssertEqual(state.workers.map(\.load), [0, 0])

        state.reduce(.sample(s05))
        XCTAssertEqual(state.counters, s05, "counters follow every sample")
        XCTAssertEqual(state.rates.framesPerSecond, 0, "half a second is too short for a rate")
        XCTAssertEqual(state.workers.map(\.load), [0, 0])
        XCTAssertEqual(state.workers.map(\.frames), [5, 6], "frame counts follow every sample")

        state.reduce(.sample(s1))
        XCTAssertEqual(state.counters, s1)
        XCTAssertEqual(state.rates.framesPerSecond, 100)      // (100 - 0) / 1 s
        XCTAssertEqual(state.rates.bytesPerSecond, 8_000_000)
        XCTAssertEqual(state.workers.map(\.load), [0.5, 0.25])
        XCTAssertEqual(state.workers.map(\.frames), [9, 10])

        state.reduce(.sample(s2))
        XCTAssertEqual(state.rates.framesPerSecond, 150)      // (250 - 100) / 1 s
        XCTAssertEqual(state.rates.bytesPerSecond, 12_000_000)
        XCTAssertEqual(state.workers.map(\.load), [0.75, 0], "an idle worker has load 0")
    }

    func testRatesAreMeasuredOverTheWholeWindowSinceTheLastRate() {
        var state = ViewerState(source: "x")
        state.reduce(.sample(sample(at: 0, received: 0, bytes: 0, busy: [])))
        state.reduce(.sample(sample(at: 800 * ms, received: 80, bytes: 0, busy: [])))
        state.reduce(.sample(sample(at: 1600 * ms, received: 400, bytes: 0, busy: [])))
        XCTAssertEqual(state.rates.framesPerSecond, 250)      // 400 frames over 1.6 s, not 320 over 0.8 s
    }

    func testWorkerWhoseBusyTimeWentBackwardsHasLoadZero() {
        var state = ViewerState(source: "x")
        state.reduce(.sample(sample(at: 0, received: 0, bytes: 0, busy: [900 * ms])))
        // Restarted: its counters start again from zero.
        state.reduce(.sample(sample(at: 1000 * ms, received: 0, bytes: 0, busy: [100 * ms])))
        XCTAssertEqual(state.workers.first?.load, 0)
    }

    func testWorkerFirstSeenBetweenWindowsShowsAtOnce() {
        var state = ViewerState(source: "x")
        state.reduce(.sample(sample(at: 0, received: 0, bytes: 0, busy: [0])))
        state.reduce(.sample(sample(at: 300 * ms, received: 0, bytes: 0, busy: [0, 0], frames: 4)))
        XCTAssertEqual(state.workers.map(\.index), [0, 1])
        XCTAssertEqual(state.workers.map(\.frames), [4, 5])
        XCTAssertEqual(state.workers.map(\.load), [0, 0])
    }

    func testLoadNeverExceedsOne() {
        var state = ViewerState(source: "x")
        state.reduce(.sample(sample(at: 0, received: 0, bytes: 0, busy: [0])))
        state.reduce(.sample(sample(at: 1000 * ms, received: 0, bytes: 0, busy: [1500 * ms])))
        XCTAssertEqual(state.workers.first?.load, 1)
    }

    func testSampleWithAnEarlierTimeLeavesTheRatesAlone() {
        var state = ViewerState(source: "x")
        state.reduce(.sample(sample(at: 5000 * ms, received: 100, bytes: 0, busy: [])))
        state.reduce(.sample(sample(at: 6000 * ms, received: 200, bytes: 0, busy: [])))
        XCTAssertEqual(state.rates.framesPerSecond, 100)
        state.reduce(.sample(sample(at: 1000 * ms, received: 300, bytes: 0, busy: [])))
        XCTAssertEqual(state.rates.framesPerSecond, 100)
        XCTAssertTrue(state.rates.framesPerSecond.isFinite)
    }

    func testWorkerAliveAndRestartsFollowEverySample() {
        var state = ViewerState(source: "x")
        state.reduce(.sample(sample(at: 0, received: 0, bytes: 0, busy: [0])))
        var s = sample(at: 300 * ms, received: 0, bytes: 0, busy: [0])
        s.workers[0].alive = false
        s.workers[0].restarts = 2
        state.reduce(.sample(s))
        XCTAssertEqual(state.workers.first?.alive, false)
        XCTAssertEqual(state.workers.first?.restarts, 2)
    }

    func testAStalledWorkerIsMarkedAtOnceAndUnmarkedAtOnce() {
        var state = ViewerState(source: "x")
        var s = sample(at: 0, received: 0, bytes: 0, busy: [0, 0])
        s.workers[1].stalled = true
        state.reduce(.sample(s))
        XCTAssertEqual(state.workers.map(\.stalled), [false, true], "the first sample")
        s = sample(at: 300 * ms, received: 0, bytes: 0, busy: [0, 0])
        state.reduce(.sample(s))
        XCTAssertEqual(state.workers.map(\.stalled), [false, false], "within a rate window")
        s = sample(at: 2_000 * ms, received: 0, bytes: 0, busy: [0, 0])
        s.workers[0].stalled = true
        state.reduce(.sample(s))
        XCTAssertEqual(state.workers.map(\.stalled), [true, false], "when the window closes")
    }

    func testInFlightIsReceivedMinusEverythingAccountedFor() {
        var s = CounterSample(timeNanoseconds: 0)
        s.received = 100
        s.processed = 80
        s.dropped = 5
        s.bad = 3
        XCTAssertEqual(s.inFlight, 12)
        s.processed = 92
        XCTAssertEqual(s.inFlight, 0)
    }

    func testInFlightIsNeverNegative() {
        // Counters are read one by one while workers run: processed can be ahead of received.
        var s = CounterSample(timeNanoseconds: 0)
        s.received = 10
        s.processed = 11
        XCTAssertEqual(s.inFlight, 0)
        s.received = 0
        s.processed = .max
        s.dropped = 2
        XCTAssertEqual(s.inFlight, 0, "wrapping sums must not read as a huge count")
    }
}
