import XCTest
@testable import SharedMemory

/// Every path a frame can take through the ring, driven one step at a time as the receiver,
/// the workers and the supervisor take it; after each step the counts are what happened and
/// `received = processed + dropped + bad + inFlight` with `received` the frames sent so far.
final class FrameAccountingTests: XCTestCase {
    private var ring: FrameRing!
    private var sent: UInt64 = 0

    override func tearDown() {
        ring = nil
        sent = 0
    }

    /// What the receiver does with a frame of `bytes`: count it, then store it or count it
    /// dropped when the ring has no slot. Returns whether it was stored.
    @discardableResult
    private func receive(bytes: Int = 8) -> Bool {
        sent += 1
        ring.accounting.received(bytes: bytes)
        guard let slot = ring.acquireForWriting() else {
            ring.accounting.droppedByRing()
            return false
        }
        fill(slot, index: sent, words: 1)
        ring.publish(slot)
        return true
    }

    private func check(_ expected: FrameAccounting.Snapshot, _ step: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        let counts = ring.accounting.snapshot()
        XCTAssertEqual(counts, expected, step, file: file, line: line)
        XCTAssertEqual(counts.received, sent, "\(step): received is every frame sent", file: file, line: line)
        XCTAssertEqual(counts.received, counts.processed + counts.dropped + counts.bad + counts.inFlight,
                       step, file: file, line: line)
        let occupied = ring.occupancy()
        XCTAssertEqual(counts.inFlight, UInt64(occupied.filled + occupied.claimed),
                       "\(step): in flight is what the ring holds", file: file, line: line)
    }

    func testEveryPathKeepsReceivedEqualToProcessedPlusDroppedPlusBadPlusInFlight() throws {
        ring = try makeRegion(slotCount: 2).ring
        check(.init(), "empty")

        receive(bytes: 10)
        receive(bytes: 20)
        check(.init(bytesReceived: 30, inFlight: 2), "two frames stored")

        // The ring is full of unclaimed frames: the third steals the oldest one's slot.
        XCTAssertTrue(receive(bytes: 30))
        check(.init(droppedByRing: 1, bytesReceived: 60, inFlight: 2), "the ring stole a slot")

        let processedByWorker0 = try XCTUnwrap(ring.claimNext(worker: 0))
        XCTAssertTrue(ring.release(processedByWorker0))
        ring.accounting.processed()
        check(.init(processed: 1, droppedByRing: 1, bytesReceived: 60, inFlight: 1), "a worker processed one")

        // Worker 1 claims the last frame and dies; the supervisor returns its slot.
        _ = try XCTUnwrap(ring.claimNext(worker: 1))
        check(.init(processed: 1, droppedByRing: 1, bytesReceived: 60, inFlight: 1), "claimed, not yet done")
        XCTAssertEqual(ring.reclaim(worker: 1), 1)
        check(.init(processed: 1, droppedByRing: 1, droppedOnReclaim: 1, bytesReceived: 60), "reclaimed")

        sent += 1
        ring.accounting.receivedMalformed()
        check(.init(processed: 1, droppedByRing: 1, droppedOnReclaim: 1, badInReceiver: 1, bytesReceived: 60),
              "a malformed message")

        sent += 1
        ring.accounting.received(bytes: 1 << 20)
        ring.accounting.rejectedByReceiver()
        check(.init(processed: 1, droppedByRing: 1, droppedOnReclaim: 1, badInReceiver: 2,
                    bytesReceived: 60 + 1 << 20), "a frame larger than a slot")

        receive(bytes: 4)
        let undecodable = try XCTUnwrap(ring.claimNext(worker: 0))
        XCTAssertTrue(ring.release(undecodable))
        ring.accounting.rejectedByWorker()
        check(.init(processed: 1, droppedByRing: 1, droppedOnReclaim: 1, badInReceiver: 2, badInWorker: 1,
                    bytesReceived: 64 + 1 << 20), "a worker rejected one")

        // Both slots claimed: the next frame finds no slot at all.
        receive()
        receive()
        let first = try XCTUnwrap(ring.claimNext(worker: 0))
        let second = try XCTUnwrap(ring.claimNext(worker: 0))
        XCTAssertFalse(receive())
        check(.init(processed: 1, droppedByRing: 2, droppedOnReclaim: 1, badInReceiver: 2, badInWorker: 1,
                    bytesReceived: 88 + 1 << 20, inFlight: 2), "no slot for a frame")
        for slot in [first, second] {
            XCTAssertTrue(ring.release(slot))
            ring.accounting.processed()
        }
        let rest = FrameAccounting.Snapshot(processed: 3, droppedByRing: 2, droppedOnReclaim: 1, badInReceiver: 2,
                                            badInWorker: 1, bytesReceived: 88 + 1 << 20)
        check(rest, "at rest")
        XCTAssertEqual([rest.received, rest.dropped, rest.bad], [9, 3, 3])
    }

    func testStaleFramesAreCountedDroppedAndKeepTheIdentity() throws {
        ring = try makeRegion(slotCount: 4).ring
        ring.setMaxLag(nanoseconds: 1_000_000_000)
        // Three frames arrive at 10 s, 10.5 s and 11.9 s (their receipt times as the receiver stamps them).
        for receivedAt: UInt64 in [10_000_000_000, 10_500_000_000, 11_900_000_000] {
            sent += 1
            ring.accounting.received(bytes: 8)
            let slot = try XCTUnwrap(ring.acquireForWriting())
            fill(slot, index: sent, words: 1)
            slot.header.pointee.receivedNs = receivedAt
            ring.publish(slot)
        }
        check(.init(bytesReceived: 24, inFlight: 3), "three frames wait")
        // At 12 s the first two waited more than 1 s: the claim drops them and takes the third.
        let taken = try XCTUnwrap(ring.claimNext(worker: 0, now: 12_000_000_000))
        XCTAssertEqual(taken.header.frameIndex, 3)
        check(.init(droppedStale: 2, bytesReceived: 24, inFlight: 1), "two stale, one in work")
        XCTAssertTrue(ring.release(taken))
        ring.accounting.processed()
        check(.init(processed: 1, droppedStale: 2, bytesReceived: 24), "at rest")
        XCTAssertEqual(ring.accounting.snapshot().dropped, 2, "stale frames are dropped frames")
    }

    func testReclaimOfAWorkerWithoutClaimsCountsNothing() throws {
        ring = try makeRegion(slotCount: 2).ring
        receive()
        XCTAssertEqual(ring.reclaim(worker: 3), 0)
        check(.init(bytesReceived: 8, inFlight: 1), "nothing reclaimed")
    }
}
