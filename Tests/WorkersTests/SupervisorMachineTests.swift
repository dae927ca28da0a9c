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
