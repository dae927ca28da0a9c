import Platform
import Glibc
import Processing
import XCTest
@testable import SharedMemory

final class ResultQueueTests: XCTestCase {
    private func result(_ sequence: UInt64, worker: Int = 0) -> FrameResult {
        FrameResult(sequence: sequence, frameNumber: sequence * 2, worker: worker, status: .ok,
                    stats: FrameStats(sum: Double(sequence), min: 0, max: 1, mean: 1, masked: 0, count: Int(sequence)))
    }

    private func drainAll(_ queue: ResultQueue, now: UInt64 = MonotonicClock.nanoseconds)
        -> (items: [FrameResult], consumed: Int, lost: Int) {
        var items: [FrameResult] = []
        let (consumed, lost) = queue.drain(now: now) { items.append($0) }
        return (items, consumed, lost)
    }

    func testResultsComeOutInPushOrder() throws {
        let queue = try makeRegion(resultCapacity: 16).results
        for s in 1...10 { queue.push(result(UInt64(s))) }
        XCTAssertEqual(queue.depth, 10)
        let drained = drainAll(queue)
        XCTAssertEqual(drained.items.map(\.sequence), Array(1...10))
        XCTAssertEqual(drained.items.map(\.frameNumber), (1...10).map { UInt64($0 * 2) })
        XCTAssertEqual(drained.consumed, 10)
        XCTAssertEqual(drained.lost, 0)
        XCTAssertEqual(queue.depth, 0)
        XCTAssertEqual(drainAll(queue).consumed, 0)
    }

    func testDoorbellRingsOncePerDrainAndAgainAfterRearm() throws {
        let queue = try makeRegion(resultCapacity: 16).results
        queue.push(result(1))
        XCTAssertTrue(queue.ringDoorbell(), "the first push since arming rings")
        queue.push(result(2))
        XCTAssertFalse(queue.ringDoorbell(), "later pushes do not ring again before the consumer re-arms")
        queue.rearmDoorbell()
        XCTAssertEqual(drainAll(queue).consumed, 2)
        queue.push(result(3))
        XCTAssertTrue(queue.ringDoorbell(), "a push after re-arming rings")
    }

    func testQueueWrapsAroundManyTimes() throws {
        let queue = try makeRegion(resultCapacity: 4).results
        var out: [UInt64] = []
        for round in 0..<10 {
            for k in 0..<3 { queue.push(result(UInt64(round * 3 + k))) }
            queue.drain { out.append($0.sequence) }
        }
        XCTAssertEqual(out, (0..<30).map(UInt64.init))
    }

    func testOverwrittenResultsAreCountedLost() throws {
        let queue = try makeRegion(resultCapacity: 8).results
        for s in 0..<20 { queue.push(result(UInt64(s))) }
        let drained = drainAll(queue)
        XCTAssertEqual(drained.items.map(\.sequence), Array(12..<20))
        XCTAssertEqual(drained.lost, 12)
        XCTAssertEqual(queue.totalLost, 12)
    }

    /// A writer that laps a reader mid-copy can tear any field, the statistics included.
    func testChecksumCoversEveryStatistic() {
        let whole = result(7)
        let changes: [(String, (inout FrameStats) -> Void)] = [
            ("sum", { $0.sum += 1 }), ("min", { $0.min = -1 }), ("max", { $0.max = 2 }),
            ("mean", { $0.mean = .nan }), ("masked", { $0.masked = 3 }), ("count", { $0.count = 8 }),
        ]
        for (name, change) in changes {
            var torn = whole
            change(&torn.stats)
            XCTAssertNotEqual(torn.checksum(), whole.checksum(), name)
        }
    }

    func testTornRecordIsCountedLostNotDelivered() throws {
        let region = try makeRegion(resultCapacity: 8)
        let queue = region.results
        queue.push(result(1))
        queue.push(result(2))
        let record = region.region.base + region.layout.resultsOffset + RegionLayout.resultsHeaderSize
        (record + RegionLayout.resultRecordHeaderSize).assumingMemoryBound(to: FrameResult.self).pointee.stats.sum = 99
        let drained = drainAll(queue)
        XCTAssertEqual(drained.items.map(\.sequence), [2])
        XCTAssertEqual(drained.lost, 1)
    }

    func testRecordWhoseWriterDiedIsGivenUpAfterTheStallTime() throws {
        let region = try makeRegion(resultCapacity: 8)
        let queue = region.results
        // A writer took index 0 and died before writing it.
        word64(region.region.base + region.layout.resultsOffset, 0).pointee = 1
        queue.push(result(1))
        queue.push(result(2))
        let start = MonotonicClock.nanoseconds
        XCTAssertEqual(drainAll(queue, now: start).consumed, 0, "later records wait for a record being written")
        XCTAssertEqual(drainAll(queue, now: start + ResultQueue.stallNanoseconds - 1).consumed, 0, "not yet given up")
        let drained = drainAll(queue, now: start + ResultQueue.stallNanoseconds)
        XCTAssertEqual(drained.items.map(\.sequence), [1, 2])
        XCTAssertEqual(drained.lost, 1)
    }

    func testManyProducersLoseNothingBelowCapacity() throws {
        let queue = try makeRegion(resultCapacity: 4096).results
        let perProducer = 500
        let drained = Collected<FrameResult>()
        let lostTotal = Collected<Int>()
        let finished = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        finished.initialize(to: 0)
        defer { finished.deallocate() }
        let box = PointerBox(finished)
        let producer: @Sendable (Int) -> Void = { worker in
            for k in 0..<perProducer {
                queue.push(FrameResult(sequence: UInt64(k), worker: worker, badReason: "w\(worker) k\(k)"))
            }
            box.pointer.atomicAdd(1)
        }
        runConcurrently([
            { producer(0) }, { producer(1) }, { producer(2) }, { producer(3) },
            {
                var items: [FrameResult] = []
                var lost = 0
                while true {
                    let finishedBefore = box.pointer.atomicLoad()
                    lost += queue.drain { items.append($0) }.lost
                    if finishedBefore == 4 { break }
                }
                drained.append(contentsOf: items)
                lostTotal.append(contentsOf: [lost])
            },
        ])
        let items = drained.items
        XCTAssertEqual(lostTotal.items, [0])
        XCTAssertEqual(items.count, 4 * perProducer)
        for worker in 0..<4 {
            let mine = items.filter { $0.worker == UInt32(worker) }
            XCTAssertEqual(mine.map(\.sequence), (0..<perProducer).map(UInt64.init), "worker \(worker) order")
            XCTAssertEqual(mine.last?.badReason, "w\(worker) k\(perProducer - 1)")
        }
    }

    func testBadReasonRoundTripsAndTruncatesAtACharacterBoundary() {
        var r = FrameResult(status: .bad, badReason: "lz4: corrupt block at 1234")
        XCTAssertEqual(r.badReason, "lz4: corrupt block at 1234")
        XCTAssertEqual(r.status, .bad)
        r.badReason = String(repeating: "é", count: 60)  // 120 bytes
        XCTAssertEqual(r.badReason, String(repeating: "é", count: 48))
        r.badReason = String(repeating: "x", count: 95) + "é"
        XCTAssertEqual(r.badReason, String(repeating: "x", count: 95))
        r.statusCode = 200
        XCTAssertEqual(r.status, .bad)
    }
}
