import XCTest
@testable import SharedMemory

/// The ring laid out again for each series' frame size (`prepareSlots`), only while it is empty,
/// driven one step at a time as receiver, workers and supervisor would (no threads).
final class FrameRingLayoutTests: XCTestCase {
    private let mib = 1 << 20

    /// A table of 64 slots, frames up to 1 MiB, 8 MiB of payload bytes.
    private func makeRing() throws -> FrameRing {
        let layout = try RegionLayout(slotCount: 64, slotCapacity: mib, ringBytes: 8 * mib, maxWorkers: 2,
                                      boardMaxPixels: 16, resultCapacity: 4)
        return try DetviewRegion.create(layout: layout, name: "detview-test").ring
    }

    private func store(_ ring: FrameRing, index: UInt64, bytes: Int) -> Bool {
        guard let slot = ring.acquireForWriting(bytes: bytes) else { return false }
        fill(slot, index: index, words: bytes / 8)
        ring.publish(slot)
        return true
    }

    /// The memfd's resident bytes (its allocated blocks).
    private func residentBytes(_ fd: Int32) -> Int {
        var status = stat()
        XCTAssertEqual(fstat(fd, &status), 0)
        return Int(status.st_blocks) * 512
    }

    func testANewLayoutGivesTheOldLayoutsPagesBack() throws {
        let layout = try RegionLayout(slotCount: 64, slotCapacity: mib, ringBytes: 8 * mib, maxWorkers: 2,
                                      boardMaxPixels: 16, resultCapacity: 4)
        let region = try DetviewRegion.create(layout: layout, name: "detview-test", populate: false)
        let ring = region.ring
        let before = residentBytes(region.region.fd)
        for i in 1...8 { XCTAssertTrue(store(ring, index: UInt64(i), bytes: mib)) }
        while let slot = ring.claimNext(worker: 0) { ring.release(slot) }
        XCTAssertGreaterThanOrEqual(residentBytes(region.region.fd) - before, 8 * mib, "eight 1 MiB frames were written")
        ring.prepareSlots(forFrameBytes: 10_000)
        XCTAssertEqual(ring.slotBytes, 16_384, "the empty ring took the new layout")
        XCTAssertLessThan(residentBytes(region.region.fd) - before, mib, "and gave the old slots' pages back")
        XCTAssertTrue(store(ring, index: 9, bytes: 10_000))
        let slot = try XCTUnwrap(ring.claimNext(worker: 0))
        XCTAssertTrue(payloadIsWhole(slot), "a frame written after the release reads back whole")
        ring.release(slot)
    }

    func testANewRegionHasSlotsForTheLargestFrame() throws {
        let ring = try makeRing()
        XCTAssertEqual(ring.slotBytes, mib)
        XCTAssertEqual(ring.activeSlotCount, 8)
        XCTAssertEqual(ring.occupancy().slots, 8)
    }

    func testSmallFramesGetAsManySlotsAsTheTableHasAndNoneIsDropped() throws {
        let ring = try makeRing()
        ring.prepareSlots(forFrameBytes: 10_000)
        XCTAssertEqual(ring.slotBytes, 16_384)
        XCTAssertEqual(ring.activeSlotCount, 64, "8 MiB holds 512 such slots; the table has 64")
        for i in 1...64 { XCTAssertTrue(store(ring, index: UInt64(i), bytes: 10_000)) }
        XCTAssertEqual(ring.accounting.snapshot().dropped, 0, "64 frames waited where 8 large slots held 8")
        var seen: [UInt64] = []
        while let slot = ring.claimNext(worker: 0) {
            XCTAssertTrue(payloadIsWhole(slot), "frame \(slot.header.frameIndex)")
            seen.append(slot.header.frameIndex)
            ring.release(slot)
        }
        XCTAssertEqual(seen, Array(1...64))
        let occupancy = ring.occupancy()
        XCTAssertEqual(occupancy.slotBytes, 16_384)
        XCTAssertEqual(occupancy.ringBytes, 8 * mib)
    }

    func testLargerFramesWaitUntilNoSlotHoldsAFrame() throws {
        let ring = try makeRing()
        ring.prepareSlots(forFrameBytes: 10_000)
        XCTAssertTrue(store(ring, index: 1, bytes: 10_000))
        let held = try XCTUnwrap(ring.claimNext(worker: 0))
        XCTAssertTrue(store(ring, index: 2, bytes: 10_000))

        // A series of 1 MiB frames starts while a frame waits and another is in work.
        ring.prepareSlots(forFrameBytes: mib)
        XCTAssertEqual(ring.slotBytes, 16_384, "not while slots hold frames")
        XCTAssertEqual(ring.accounting.snapshot().droppedByRing, 0, "announcing a series drops nothing")
        XCTAssertFalse(store(ring, index: 3, bytes: mib), "no slot for it while a frame is in work")
        XCTAssertEqual(ring.activeSlotCount, 64)
        XCTAssertEqual(ring.accounting.snapshot().droppedByRing, 1,
                       "the waiting older frame made room for the new one, as a full ring drops its oldest")
        XCTAssertEqual(ring.occupancy().filled, 0)

        ring.release(held)
        XCTAssertTrue(store(ring, index: 4, bytes: mib), "the ring is empty: laid out again")
        XCTAssertEqual(ring.slotBytes, mib)
        XCTAssertEqual(ring.activeSlotCount, 8)
        let large = try XCTUnwrap(ring.claimNext(worker: 0))
        XCTAssertEqual(large.header.frameIndex, 4)
        XCTAssertTrue(payloadIsWhole(large))
    }

    func testSmallerFramesUseThePresentSlotsUntilTheRingEmpties() throws {
        let ring = try makeRing()
        XCTAssertTrue(store(ring, index: 1, bytes: mib))
        ring.prepareSlots(forFrameBytes: 10_000)
        XCTAssertEqual(ring.activeSlotCount, 8, "a large frame still waits")
        XCTAssertTrue(store(ring, index: 2, bytes: 10_000), "a small frame fits a large slot")
        for expected: UInt64 in [1, 2] {
            let slot = try XCTUnwrap(ring.claimNext(worker: 0))
            XCTAssertEqual(slot.header.frameIndex, expected)
            XCTAssertTrue(payloadIsWhole(slot))
            ring.release(slot)
        }
        XCTAssertTrue(store(ring, index: 3, bytes: 10_000))
        XCTAssertEqual(ring.activeSlotCount, 64)
    }

    func testADeadWorkersSlotIsReclaimedAndTheNewLayoutThenApplies() throws {
        let ring = try makeRing()
        ring.prepareSlots(forFrameBytes: 10_000)
        XCTAssertTrue(store(ring, index: 1, bytes: 10_000))
        _ = try XCTUnwrap(ring.claimNext(worker: 1))   // worker 1 is then killed holding it
        ring.prepareSlots(forFrameBytes: mib)
        XCTAssertFalse(store(ring, index: 2, bytes: mib))
        XCTAssertEqual(ring.reclaim(worker: 1), 1, "the supervisor returns the dead worker's slot")
        XCTAssertTrue(store(ring, index: 3, bytes: mib))
        XCTAssertEqual(ring.activeSlotCount, 8)
        let counts = ring.accounting.snapshot()
        XCTAssertEqual(counts.droppedOnReclaim, 1)
    }

    func testAFrameLargerThanTheAnnouncedOnesLaysTheRingOutForItWhenEmpty() throws {
        let ring = try makeRing()
        ring.prepareSlots(forFrameBytes: 10_000)
        XCTAssertTrue(store(ring, index: 1, bytes: 100_000), "an empty ring grows its slots at once")
        XCTAssertGreaterThanOrEqual(ring.slotBytes, 100_000)
        XCTAssertEqual(try XCTUnwrap(ring.claimNext(worker: 0)).header.frameIndex, 1)
    }

    func testStaleFramesAreSkippedInSequenceOrder() throws {
        let ring = try makeRing()
        ring.setMaxLag(nanoseconds: 500)
        for (index, receivedAt): (UInt64, UInt64) in [(1, 1000), (2, 1400), (3, 1600)] {
            let slot = try XCTUnwrap(ring.acquireForWriting(bytes: 8))
            fill(slot, index: index, words: 1)
            slot.header.pointee.receivedNs = receivedAt
            ring.publish(slot)
        }
        XCTAssertEqual(ring.claimNext(worker: 0, now: 2000)?.header.frameIndex, 3)
        XCTAssertEqual(ring.accounting.snapshot().droppedStale, 2)
        XCTAssertEqual(ring.occupancy().free, 7, "the stale frames' slots are free again")
    }
}
