import XCTest
@testable import SharedMemory

/// `--max-lag`: which frames are too old to show, at a time the test gives.
final class StaleFrameRuleTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    func testAFrameIsStaleOnlyAfterWaitingLongerThanTheLimit() {
        let rule = StaleFrameRule(maxLagNanoseconds: second)
        let received = 50 * second
        XCTAssertFalse(rule.isStale(receivedNanoseconds: received, now: received))
        XCTAssertFalse(rule.isStale(receivedNanoseconds: received, now: received + second), "exactly the limit is not late")
        XCTAssertTrue(rule.isStale(receivedNanoseconds: received, now: received + second + 1))
        XCTAssertFalse(rule.isStale(receivedNanoseconds: received, now: received - 5),
                       "a receipt stamped after the worker's clock read is no wait")
    }

    func testNoLimitOrNoReceiptTimeIsNeverStale() {
        XCTAssertFalse(StaleFrameRule(maxLagNanoseconds: 0).isStale(receivedNanoseconds: 1, now: 1000 * second))
        XCTAssertFalse(StaleFrameRule(maxLagNanoseconds: second).isStale(receivedNanoseconds: 0, now: 1000 * second))
    }
}
