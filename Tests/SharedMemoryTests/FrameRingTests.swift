import XCTest
@testable import SharedMemory

final class FrameRingTests: XCTestCase {
    private func publish(_ ring: FrameRing, index: UInt64) throws {
        let slot = try XCTUnwrap(ring.acquireForWriting())
        fill(slot, index: index, words: 4)
        ring.publish(slot)
    }

    func testWorkersClaimInSequenceOrder() throws {
        let ring = try makeRegion(slotCount: 4).ring
        for i in 0..<4 { try publish(ring, index: UInt64(100 + i)) }
        var indices: [UInt64] = []
        var sequences: [UInt64] = []
        while let slot = ring.claimNext(worker: 0) {
            indices.append(slot.header.frameIndex)
            sequences.append(slot.header.sequence)
            XCTAssertTrue(payloadIsWhole(slot))
            XCTAssertTrue(ring.release(slot))
        }
        XCTAssertEqual(indices, [100, 101, 102, 103])
        XCTAssertEqual(sequences, [1, 2, 3, 4])
        XCTAssertEqual(ring.lastSequence, 4)
    }

    func testReusedSlotsStillClaimOldestFirst() throws {
        let ring = try makeRegion(slotCount: 3).ring
        try publish(ring, index: 1)
        try publish(ring, index: 2)
        let first = try XCTUnwrap(ring.claimNext(worker: 0))
        ring.release(first)
        try publish(ring, index: 3)  // lands in the slot index 1 used
        XCTAssertEqual(ring.claimNext(worker: 0)?.header.frameIndex, 2)
        XCTAssertEqual(ring.claimNext(worker: 0)?.header.frameIndex, 3)
        XCTAssertNil(ring.claimNext(worker: 0))
    }

    func testFullRingOverwritesTheOldestUnclaimedFrameAndCountsIt() throws {
        let ring = try makeRegion(slotCount: 3).ring
        for i in 1...3 { try publish(ring, index: UInt64(i)) }
        try publish(ring, index: 4)
        XCTAssertEqual(ring.accounting.snapshot().dropped, 1)
        try publish(ring, index: 5)
        XCTAssertEqual(ring.accounting.snapshot().dropped, 2)
        var seen: [UInt64] = []
        while let slot = ring.claimNext(worker: 0) {
            seen.append(slot.header.frameIndex)
            XCTAssertTrue(payloadIsWhole(slot))
            ring.release(slot)
        }
        XCTAssertEqual(seen, [3, 4, 5])
    }

    func testClaimedSlotsAreNeverStolen() throws {
        let ring = try makeRegion(slotCount: 2).ring
        try publish(ring, index: 1)
        try publish(ring, index: 2)
        let a = try XCTUnwrap(ring.claimNext(worker: 0))
        let b = try XCTUnwrap(ring.claimNext(worker: 1))
        XCTAssertNil(ring.acquireForWriting())
        XCTAssertEqual(ring.accounting.snapshot().dropped, 0)
        XCTAssertTrue(payloadIsWhole(a))
        XCTAssertTrue(payloadIsWhole(b))
        ring.release(a)
        XCTAssertNotNil(ring.acquireForWriting())
    }

    func testSlotBeingFilledIsNotStolenOrClaimed() throws {
        let ring = try makeRegion(slotCount: 1).ring
        let filling = try XCTUnwrap(ring.acquireForWriting())
        XCTAssertNil(ring.acquireForWriting())
        XCTAssertNil(ring.claimNext(worker: 0))
        ring.abandon(filling)
    }

    func testAbandonedSlotIsFreeAndNeverDelivered() throws {
        let ring = try makeRegion(slotCount: 1).ring
        let slot = try XCTUnwrap(ring.acquireForWriting())
        fill(slot, index: 9, words: 2)
        ring.abandon(slot)
        XCTAssertNil(ring.claimNext(worker: 0))
        XCTAssertEqual(ring.occupancy(), SlotOccupancy(free: 1, filling: 0, filled: 0, claimed: 0, slotBytes: ring.slotBytes, ringBytes: ring.ringBytes))
        XCTAssertNotNil(ring.acquireForWriting())
        XCTAssertEqual(ring.accounting.snapshot().dropped, 0)
    }

    func testReclaimFreesExactlyThatWorkersSlots() throws {
        let ring = try makeRegion(slotCount: 5).ring
        for i in 1...5 { try publish(ring, index: UInt64(i)) }
        let w1a = try XCTUnwrap(ring.claimNext(worker: 1))
        let w2 = try XCTUnwrap(ring.claimNext(worker: 2))
        _ = try XCTUnwrap(ring.claimNext(worker: 1))
        XCTAssertEqual(ring.reclaim(worker: 1), 2)
        XCTAssertEqual(ring.reclaim(worker: 1), 0)
        XCTAssertEqual(ring.occupancy(), SlotOccupancy(free: 2, filling: 0, filled: 2, claimed: 1, slotBytes: ring.slotBytes, ringBytes: ring.ringBytes))
        XCTAssertFalse(ring.release(w1a), "a reclaimed claim must not be released twice")
        XCTAssertTrue(ring.release(w2))
    }

    func testClaimedSlotsAreCountedPerWorker() throws {
        let ring = try makeRegion(slotCount: 5).ring
        for i in 1...5 { try publish(ring, index: UInt64(i)) }
        let w0 = try XCTUnwrap(ring.claimNext(worker: 0))
        _ = try XCTUnwrap(ring.claimNext(worker: 2))
        _ = try XCTUnwrap(ring.claimNext(worker: 2))
        XCTAssertEqual(ring.claimedSlots(workers: 3), [1, 0, 2])
        XCTAssertTrue(ring.release(w0))
        XCTAssertEqual(ring.claimedSlots(workers: 3), [0, 0, 2], "a released slot is no longer held")
        XCTAssertEqual(ring.claimedSlots(workers: 2), [0, 0], "claims of workers beyond the count are left out")
    }

    func testStaleReleaseDoesNotFreeTheSlotsNextUse() throws {
        let ring = try makeRegion(slotCount: 1).ring
        try publish(ring, index: 1)
        let old = try XCTUnwrap(ring.claimNext(worker: 0))
        XCTAssertTrue(ring.release(old))
        try publish(ring, index: 2)
        let current = try XCTUnwrap(ring.claimNext(worker: 1))
        XCTAssertFalse(ring.release(old))
        XCTAssertEqual(ring.occupancy().claimed, 1)
        XCTAssertTrue(ring.release(current))
    }

    func testPublishClampsByteCountToTheSlot() throws {
        let ring = try makeRegion(slotCount: 1, slotCapacity: 4096).ring
        let slot = try XCTUnwrap(ring.acquireForWriting())
        slot.header.pointee = SlotHeader(byteCount: 1 << 40)
        ring.publish(slot)
        XCTAssertEqual(ring.claimNext(worker: 0)?.payload.count, 4096)
    }

    func testWaitReturnsFalseAfterTheTimeoutWhenNothingArrives() throws {
        let ring = try makeRegion().ring
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertFalse(ring.waitForWork(since: ring.workToken, timeoutNanoseconds: 20_000_000))
        XCTAssertGreaterThanOrEqual(DispatchTime.now().uptimeNanoseconds - start, 19_000_000)
    }

    func testWaitReturnsAtOnceWhenAFrameWasPublishedAfterTheToken() throws {
        let ring = try makeRegion().ring
        let token = ring.workToken
        try publish(ring, index: 1)
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertTrue(ring.waitForWork(since: token, timeoutNanoseconds: 5_000_000_000))
        XCTAssertLessThan(DispatchTime.now().uptimeNanoseconds - start, 1_000_000_000)
    }

    func testWakeAllReleasesEveryWaiter() throws {
        let ring = try makeRegion().ring
        let timedOut = Collected<Bool>()
        let waiter: @Sendable () -> Void = {
            timedOut.append(contentsOf: [!ring.waitForWork(since: ring.workToken, timeoutNanoseconds: 5_000_000_000)])
        }
        runConcurrently([waiter, waiter, {
            usleep(50_000)
            ring.wakeAll()
        }])
        XCTAssertEqual(timedOut.items, [false, false])
    }
}
