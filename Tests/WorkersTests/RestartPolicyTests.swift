import Workers
import XCTest

final class RestartPolicyTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    func testWorkerIsRestartedWhileItsExitsStayWithinTheLimit() {
        var policy = RestartPolicy(maxExits: 3, windowNanoseconds: 10 * second)
        for i in 0..<3 {
            XCTAssertEqual(policy.workerExited(0, at: UInt64(i) * second), .restart, "exit \(i + 1) of 3")
        }
    }

    func testPolicyGivesUpOnTheExitBeyondMaxExitsWithinTheWindow() {
        var policy = RestartPolicy(maxExits: 3, windowNanoseconds: 10 * second)
        for i in 0..<3 { _ = policy.workerExited(0, at: UInt64(i) * second) }
        XCTAssertEqual(policy.workerExited(0, at: 3 * second), .giveUp)
        XCTAssertEqual(policy.workerExited(0, at: 4 * second), .giveUp, "it keeps dying: still given up")
    }

    func testExitsOlderThanTheWindowNoLongerCount() {
        var policy = RestartPolicy(maxExits: 2, windowNanoseconds: 10 * second)
        XCTAssertEqual(policy.workerExited(0, at: 0), .restart)
        XCTAssertEqual(policy.workerExited(0, at: 1 * second), .restart)
        // At 10 s the exit at 0 s is exactly one window old and has aged out; the one at 1 s has not.
        XCTAssertEqual(policy.workerExited(0, at: 10 * second), .restart)
        // At 10.5 s the exits at 1 s and 10 s are still inside: a third one is too many.
        XCTAssertEqual(policy.workerExited(0, at: 10 * second + second / 2), .giveUp)
        // Long after, all have aged out.
        XCTAssertEqual(policy.workerExited(0, at: 100 * second), .restart)
    }

    func testEachWorkerHasItsOwnExitHistory() {
        var policy = RestartPolicy(maxExits: 2, windowNanoseconds: 10 * second)
        for i in 0..<3 { _ = policy.workerExited(0, at: UInt64(i) * second) }
        XCTAssertEqual(policy.workerExited(0, at: 3 * second), .giveUp)
        XCTAssertEqual(policy.workerExited(1, at: 3 * second), .restart, "worker 1 never died before")
        XCTAssertEqual(policy.workerExited(1, at: 4 * second), .restart)
        XCTAssertEqual(policy.workerExited(1, at: 5 * second), .giveUp)
    }

    func testDefaultsAllowTenExitsInTenSeconds() {
        var policy = RestartPolicy()
        for i in 0..<10 { XCTAssertEqual(policy.workerExited(2, at: UInt64(i) * 100_000_000), .restart) }
        XCTAssertEqual(policy.workerExited(2, at: second + 1), .giveUp)
    }
}
