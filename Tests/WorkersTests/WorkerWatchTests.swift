import Workers
import XCTest

/// The stall decision on plain values: looks with their times, no processes, no clocks.
final class WorkerWatchTests: XCTestCase {
    private let ms: UInt64 = 1_000_000
    private let second: UInt64 = 1_000_000_000
    /// Named after 3 s, replaced after 15 s; looked at every second.
    private let limits = WorkerWatch.Limits(warnAfterSeconds: 3, replaceAfterSeconds: 15)

    private func look(_ frames: UInt64, claimed: Int = 0, waiting: Int = 0) -> WorkerWatch.Observation {
        WorkerWatch.Observation(frames: frames, claimedSlots: claimed, framesWaiting: waiting)
    }

    /// Looks at `worker` every second from `from` to `to` (seconds) with the same look; the verdicts.
    private func watch(_ w: inout WorkerWatch, worker: Int = 0, _ look: WorkerWatch.Observation,
                       seconds range: ClosedRange<UInt64>) -> [UInt64: WorkerWatch.Verdict] {
        var verdicts: [UInt64: WorkerWatch.Verdict] = [:]
        for t in range {
            if let verdict = w.observe(worker: worker, look, at: t * second) { verdicts[t] = verdict }
        }
        return verdicts
    }

    func testTheLookIntervalIsAThirdOfTheWarningLimitBetween100MillisecondsAndOneSecond() {
        XCTAssertEqual(WorkerWatch.Limits(warnAfterSeconds: 3).observationInterval, second)
        XCTAssertEqual(WorkerWatch.Limits(warnAfterSeconds: 30).observationInterval, second)
        XCTAssertEqual(WorkerWatch.Limits(warnAfterSeconds: 0.6).observationInterval, 200 * ms)
        XCTAssertEqual(WorkerWatch.Limits(warnAfterSeconds: 0.1).observationInterval, 100 * ms)
    }

    func testAWorkerHoldingASlotWithoutProgressIsNamedAtTheWarningLimitThenReplacedAtTheKillLimit() {
        var w = WorkerWatch(count: 1, limits: limits)
        let verdicts = watch(&w, look(7, claimed: 1), seconds: 0...20)
        XCTAssertEqual(verdicts, [3: .stalled(quietNanoseconds: 3 * second), 15: .replace(quietNanoseconds: 15 * second)],
                       "one line when it stalls, one decision to replace, nothing in between or after")
        XCTAssertTrue(w.isStalled(worker: 0))
        XCTAssertEqual(w.replacedAfter(worker: 0), 15 * second)
    }

    func testFramesWaitingCountAsWorkForAWorkerStoppedWhileIdle() {
        var w = WorkerWatch(count: 1, limits: limits)
        XCTAssertEqual(watch(&w, look(7, waiting: 30), seconds: 0...3), [3: .stalled(quietNanoseconds: 3 * second)])
    }

    func testAnIdleWorkerWithNothingToDoIsNeverStalled() {
        var w = WorkerWatch(count: 1, limits: limits)
        XCTAssertEqual(watch(&w, look(7), seconds: 0...100), [:])
        XCTAssertFalse(w.isStalled(worker: 0))
    }

    func testABusyWorkerThatFinishesFramesIsNeverStalledWhateverTheFrameRate() {
        var w = WorkerWatch(count: 1, limits: limits)
        // One frame every 2.9 s, always holding the next: slow, but progressing.
        for step in UInt64(0)..<20 {
            for tick in UInt64(0)..<29 {
                let time = (step * 29 + tick) * 100 * ms
                XCTAssertNil(w.observe(worker: 0, look(step, claimed: 1, waiting: 5), at: time), "at \(time)")
            }
        }
    }

    func testIdleTimeBetweenBusySpellsDoesNotAddUp() {
        var w = WorkerWatch(count: 1, limits: limits)
        XCTAssertEqual(watch(&w, look(7, claimed: 1), seconds: 0...2), [:], "2 s quiet with work")
        XCTAssertEqual(watch(&w, look(7), seconds: 3...10), [:], "then nothing to do: the clock starts over")
        XCTAssertEqual(watch(&w, look(7, waiting: 1), seconds: 11...12), [:], "2 s quiet with work again")
        XCTAssertEqual(watch(&w, look(7, waiting: 1), seconds: 13...13), [13: .stalled(quietNanoseconds: 3 * second)],
                       "the second since the last idle look counts: the work came some time in it")
    }

    func testAStalledWorkerThatFinishesAFrameIsNamedAgainAsResumedAndOnlyOnce() {
        var w = WorkerWatch(count: 1, limits: limits)
        _ = watch(&w, look(7, claimed: 1), seconds: 0...5)
        XCTAssertTrue(w.isStalled(worker: 0))
        XCTAssertEqual(w.observe(worker: 0, look(8, claimed: 1), at: 6 * second), .resumed(quietNanoseconds: 5 * second))
        XCTAssertFalse(w.isStalled(worker: 0))
        XCTAssertNil(w.observe(worker: 0, look(9), at: 7 * second))
    }

    func testOnceNamedAStallEndsOnlyWithProgressNotWhenTheQueueEmpties() {
        var w = WorkerWatch(count: 1, limits: limits)
        _ = watch(&w, look(7, waiting: 4), seconds: 0...3)
        // Other workers drained the queue; this one still finished nothing.
        XCTAssertEqual(watch(&w, look(7), seconds: 4...15), [15: .replace(quietNanoseconds: 15 * second)])
    }

    func testAGapLongerThanTwoLooksCountsAsTwoLooks() {
        var w = WorkerWatch(count: 1, limits: limits)
        XCTAssertNil(w.observe(worker: 0, look(7, claimed: 1), at: 0))
        // The viewer itself was stopped for a minute (Ctrl-Z): it does not blame the worker for it.
        XCTAssertNil(w.observe(worker: 0, look(7, claimed: 1), at: 60 * second))
        XCTAssertEqual(w.observe(worker: 0, look(7, claimed: 1), at: 61 * second), .stalled(quietNanoseconds: 3 * second))
    }

    func testWithoutAKillLimitAStalledWorkerIsOnlyNamed() {
        var w = WorkerWatch(count: 1, limits: WorkerWatch.Limits(warnAfterSeconds: 3, replaceAfterSeconds: nil))
        XCTAssertEqual(watch(&w, look(7, claimed: 1), seconds: 0...100), [3: .stalled(quietNanoseconds: 3 * second)])
        XCTAssertNil(w.replacedAfter(worker: 0))
    }

    func testAfterTheReplaceDecisionNothingMoreIsSaidUntilItIsForgotten() {
        var w = WorkerWatch(count: 1, limits: limits)
        _ = watch(&w, look(7, claimed: 1), seconds: 0...15)
        XCTAssertNil(w.observe(worker: 0, look(8, claimed: 1), at: 16 * second), "a late frame does not undo the kill")
        XCTAssertEqual(w.replacedAfter(worker: 0), 15 * second)
        w.forget(worker: 0)
        XCTAssertFalse(w.isStalled(worker: 0))
        XCTAssertNil(w.replacedAfter(worker: 0))
        XCTAssertEqual(watch(&w, look(8, claimed: 1), seconds: 20...23), [23: .stalled(quietNanoseconds: 3 * second)],
                       "the replacement is watched from its first look")
    }

    func testWorkersAreWatchedApart() {
        var w = WorkerWatch(count: 2, limits: limits)
        for t in UInt64(0)...3 {
            XCTAssertNil(w.observe(worker: 0, look(t, claimed: 1), at: t * second))
            let verdict = w.observe(worker: 1, look(0, claimed: 1), at: t * second)
            XCTAssertEqual(verdict, t == 3 ? .stalled(quietNanoseconds: 3 * second) : nil)
        }
        XCTAssertEqual([w.isStalled(worker: 0), w.isStalled(worker: 1)], [false, true])
        XCTAssertNil(w.observe(worker: 5, look(0, claimed: 1), at: 0), "an index outside the pool is ignored")
    }
}
