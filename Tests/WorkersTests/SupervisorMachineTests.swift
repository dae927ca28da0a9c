import Workers
import XCTest

/// The supervisor's decisions on plain values: times are given, nothing runs.
final class SupervisorMachineTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    private func running(_ count: Int) -> SupervisorMachine {
        var machine = SupervisorMachine(count: count)
        for (index, effect) in machine.startAll().enumerated() {
            XCTAssertEqual(effect, .spawn(worker: index))
            XCTAssertEqual(machine.handle(.started(worker: index, pid: Int32(100 + index), at: 0)), [])
        }
        return machine
    }

    func testStartAllSpawnsEveryWorkerOnce() {
        var machine = SupervisorMachine(count: 3)
        XCTAssertEqual(machine.startAll(), [.spawn(worker: 0), .spawn(worker: 1), .spawn(worker: 2)])
        _ = machine.handle(.started(worker: 1, pid: 9, at: 0))
        XCTAssertEqual(machine.startAll(), [.spawn(worker: 0), .spawn(worker: 2)], "a running worker is not spawned again")
    }

    func testADeadWorkerHasItsSlotsReclaimedIsReportedAndReplaced() {
        var machine = running(2)
        let effects = machine.handle(.exited(worker: 1, cause: "killed by Killed", at: 5 * second))
        XCTAssertEqual(effects, [.reclaimSlots(worker: 1), .markExited(worker: 1),
                                 .report(worker: 1, pid: 101, cause: "killed by Killed"), .spawn(worker: 1)])
        XCTAssertEqual(machine.workers[1], .restarting)
        XCTAssertEqual(machine.restarts, 0, "a restart counts once the replacement runs")
        XCTAssertEqual(machine.handle(.started(worker: 1, pid: 200, at: 5 * second)), [.countRestart(worker: 1)])
        XCTAssertEqual(machine.restarts, 1)
        XCTAssertEqual(machine.workers[1], .running(pid: 200))
    }

    func testAFailedReplacementIsNotCountedAsARestart() {
        var machine = running(1)
        _ = machine.handle(.exited(worker: 0, cause: "exited with status 1", at: second))
        XCTAssertEqual(machine.handle(.spawnFailed(worker: 0, at: second)), [])
        XCTAssertEqual(machine.restarts, 0)
        XCTAssertEqual(machine.workers[0], .stopped)
    }

    func testAWorkerThatKeepsDyingIsGivenUpAfterElevenDeathsInTenSeconds() {
        var machine = running(1)
        var pid: Int32 = 100
        for death in 0..<10 {
            let effects = machine.handle(.exited(worker: 0, cause: "killed", at: UInt64(death) * second / 2))
            XCTAssertEqual(effects.last, .spawn(worker: 0), "death \(death + 1) is restarted")
            pid += 1
            _ = machine.handle(.started(worker: 0, pid: pid, at: UInt64(death) * second / 2))
        }
        let effects = machine.handle(.exited(worker: 0, cause: "killed", at: 5 * second + 1))
        XCTAssertEqual(effects.last, .giveUp(worker: 0))
        XCTAssertFalse(effects.contains(.spawn(worker: 0)))
        XCTAssertEqual(machine.workers[0], .gaveUp)
        XCTAssertEqual(machine.startAll(), [], "a given-up worker is not started again")
    }

    func testDeathsSpreadBeyondTheWindowAreAlwaysRestarted() {
        var machine = running(1)
        for death in 0..<30 {
            let time = UInt64(death) * 2 * second   // one every 2 s: at most 5 in any 10 s
            XCTAssertEqual(machine.handle(.exited(worker: 0, cause: "killed", at: time)).last, .spawn(worker: 0))
            _ = machine.handle(.started(worker: 0, pid: Int32(death), at: time))
        }
        XCTAssertEqual(machine.restarts, 30)
    }

    func testNoReplacementAfterShutdownButSlotsAreStillReclaimed() {
        var machine = running(2)
        XCTAssertEqual(machine.handle(.shutdownRequested(at: second)), [])
        XCTAssertEqual(machine.handle(.exited(worker: 0, cause: "exited with status 0", at: second)),
                       [.reclaimSlots(worker: 0), .markExited(worker: 0),
                        .report(worker: 0, pid: 100, cause: "exited with status 0")])
    }

    func testAnExitOfAWorkerNotRunningIsIgnored() {
        var machine = SupervisorMachine(count: 2)
        XCTAssertEqual(machine.handle(.exited(worker: 0, cause: "killed", at: 0)), [], "never started")
        XCTAssertEqual(machine.handle(.exited(worker: 7, cause: "killed", at: 0)), [], "no such worker")
    }
}

/// The stall watch inside the supervisor: which worker and pid a verdict names, and how the
/// exit of a worker killed for stalling reads.
final class SupervisorMachineStallTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000
    private let stuck = WorkerWatch.Observation(frames: 3, claimedSlots: 1, framesWaiting: 0)

    private func running(_ count: Int) -> SupervisorMachine {
        var machine = SupervisorMachine(count: count, stallLimits: .init(warnAfterSeconds: 2, replaceAfterSeconds: 5))
        for case .spawn(let index) in machine.startAll() {
            _ = machine.handle(.started(worker: index, pid: Int32(100 + index), at: 0))
        }
        return machine
    }

    /// Feeds the same look of `worker` once a second over `range`; every effect, in order.
    private func observe(_ machine: inout SupervisorMachine, worker: Int, seconds range: ClosedRange<UInt64>) -> [SupervisorMachine.Effect] {
        range.flatMap { machine.handle(.observed(worker: worker, stuck, at: $0 * second)) }
    }

    func testAStalledWorkerIsReportedWithItsPidThenKilled() {
        var machine = running(2)
        XCTAssertEqual(observe(&machine, worker: 1, seconds: 0...5),
                       [.reportStalled(worker: 1, pid: 101, quietNanoseconds: 2 * second),
                        .kill(worker: 1, pid: 101, quietNanoseconds: 5 * second)])
        XCTAssertTrue(machine.watch.isStalled(worker: 1))
        XCTAssertFalse(machine.watch.isStalled(worker: 0))
    }

    func testTheExitOfAKilledWorkerSaysWhyAndItsReplacementStartsClean() {
        var machine = running(1)
        _ = observe(&machine, worker: 0, seconds: 0...5)
        let effects = machine.handle(.exited(worker: 0, cause: "killed by Killed", at: 6 * second))
        XCTAssertEqual(effects, [.reclaimSlots(worker: 0), .markExited(worker: 0),
                                 .report(worker: 0, pid: 100, cause: "replaced after 5 s without progress (killed by Killed)"),
                                 .spawn(worker: 0)])
        XCTAssertFalse(machine.watch.isStalled(worker: 0))
        XCTAssertEqual(machine.handle(.started(worker: 0, pid: 200, at: 6 * second)), [.countRestart(worker: 0)])
        XCTAssertEqual(observe(&machine, worker: 0, seconds: 7...9), [.reportStalled(worker: 0, pid: 200, quietNanoseconds: 2 * second)],
                       "the replacement is watched afresh, under its own pid")
    }

    func testAnExitForAnotherCauseKeepsItsCause() {
        var machine = running(1)
        _ = observe(&machine, worker: 0, seconds: 0...2)   // named, not yet killed
        let effects = machine.handle(.exited(worker: 0, cause: "killed by Segmentation fault", at: 3 * second))
        XCTAssertTrue(effects.contains(.report(worker: 0, pid: 100, cause: "killed by Segmentation fault")))
    }

    func testNothingIsWatchedDuringShutdownOrForAWorkerNotRunning() {
        var machine = running(2)
        _ = machine.handle(.exited(worker: 1, cause: "exited with status 1", at: 0))
        _ = machine.handle(.spawnFailed(worker: 1, at: 0))
        XCTAssertEqual(observe(&machine, worker: 1, seconds: 0...10), [], "worker 1 is not running")
        _ = machine.handle(.shutdownRequested(at: 0))
        XCTAssertEqual(observe(&machine, worker: 0, seconds: 0...10), [],
                       "a worker writing its share on the way out is not stalled")
    }

    func testQuietTimesReadAsWholeOrTenthsOfSeconds() {
        XCTAssertEqual(SupervisorMachine.seconds(15 * second), "15 s")
        XCTAssertEqual(SupervisorMachine.seconds(2_500_000_000), "2.5 s")
        XCTAssertEqual(SupervisorMachine.seconds(3_330_000_000), "3.3 s")
    }
}
