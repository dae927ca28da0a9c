import CLinux
import Platform

// Result queue protocol — invariants.
//
// A bounded ring of `capacity` records; record i lives in slot i % capacity. Each record
// has a state word, (i + 1) << 1 when record i is complete and (i + 1) << 1 | 1 while it is
// being written, and a checksum of its fields.
//
// 1. A producer (a worker, any process) takes index i with fetch_add on `head`, stores the
//    writing marker, copies the record, stores the checksum, then the complete marker.
//    It never waits for anyone: a slow consumer is lapped, not obeyed.
// 2. The consumer (the UI, one thread) reads the state at `tail`:
//    complete(tail)          → copy, fence, re-load the state; same state and a matching
//                              checksum → consume; otherwise the record was overwritten
//                              during the copy → count it lost.
//    marker of a later lap   → the record was overwritten: skip ahead to
//                              max(tail + 1, head - capacity), counting the skipped as lost.
//    older lap or writing(tail) → not written yet: stop. If later records exist and this
//                              one has not completed for `stallNanoseconds` (its writer
//                              died or is stopped), count it lost and move on.
// 3. Two producers can share a slot only when one lapped the other mid-write; their mixed
//    bytes then fail the checksum (which the producer computes from its own value, not
//    from shared memory), so a torn record is counted lost, never delivered.

/// Per-frame results from the workers (any process, many producers) to the UI (one
/// consumer thread in the viewer): a bounded multi-producer ring that never blocks a
/// producer and tells the consumer how many records it lost to overwriting.
public final class ResultQueue: @unchecked Sendable {
    public let capacity: Int
    private let region: SharedRegion
    private let base: UnsafeMutableRawPointer
    private let stride: Int

    /// How long an unfinished record may hold back later ones before it is given up.
    public static let stallNanoseconds: UInt64 = 200_000_000

    private static let headOffset = 0
    private static let doorbellOffset = 64
    private static let tailOffset = 128
    private static let lostOffset = 136
    private static let stallTailOffset = 144
    private static let stallSinceOffset = 152

    init(region: SharedRegion, layout: RegionLayout) {
        self.region = region
        base = region.base + layout.resultsOffset
        capacity = layout.resultCapacity
        stride = RegionLayout.resultRecordStride
    }

    private func record(_ index: UInt64) -> UnsafeMutableRawPointer {
        base + RegionLayout.resultsHeaderSize + Int(index % UInt64(capacity)) * stride
    }

    /// Appends a result. Never blocks.
    public func push(_ result: FrameResult) {
        let index = word64(base, Self.headOffset).atomicAdd(1)
        let slot = record(index)
        let state = word64(slot, 0)
        state.atomicStore((index &+ 1) << 1 | 1)
        dv_atomic_fence()  // the plain copy must not move before the writing marker
        (slot + RegionLayout.resultRecordHeaderSize).assumingMemoryBound(to: FrameResult.self).pointee = result
        word64(slot, 8).atomicStore(result.checksum())
        state.atomicStore((index &+ 1) << 1)
    }

    /// Producer side of the doorbell: true for the first push since the consumer re-armed it,
    /// which should then signal the consumer's eventfd. Keeps wake-ups (and eventfd system
    /// calls) to one per drain, however many frames arrive in between.
    public func ringDoorbell() -> Bool {
        word32(base, Self.doorbellOffset).atomicCompareExchange(expected: 0, desired: 1)
    }

    /// Consumer side: re-arm before draining, so that a push after this rings again and no
    /// result is left waiting without a wake-up.
    public func rearmDoorbell() {
        word32(base, Self.doorbellOffset).atomicStore(0)
    }

    /// Hands every available result to `body` in order. Returns how many were consumed and
    /// how many were lost (overwritten before they were read, or torn) during this call.
    /// One consumer only.
    @discardableResult
    /// `now` (monotonic nanoseconds) dates a record that holds the queue up; tests pass their own.
    public func drain(now: UInt64 = MonotonicClock.nanoseconds, _ body: (FrameResult) -> Void) -> (consumed: Int, lost: Int) {
        let tailWord = word64(base, Self.tailOffset)
        let head = word64(base, Self.headOffset)
        var tail = tailWord.atomicLoad()
        var consumed = 0
        var lost: UInt64 = 0
        let capacity = UInt64(self.capacity)
        while true {
            let slot = record(tail)
            let stateWord = word64(slot, 0)
            let state = stateWord.atomicLoad()
            let complete = (tail &+ 1) << 1
            if state == complete {
                let result = (slot + RegionLayout.resultRecordHeaderSize)
                    .assumingMemoryBound(to: FrameResult.self).pointee
                let checksum = word64(slot, 8).atomicLoad()
                dv_atomic_fence()  // the plain copy must not move after the re-check
                tail &+= 1
                if stateWord.atomicLoad() == state && checksum == result.checksum() {
                    body(result)
                    consumed += 1
                } else {
                    lost += 1
                }
                continue
            }
            if state >> 1 > tail &+ 1 {
                let headNow = head.atomicLoad()
                let next = Swift.max(tail &+ 1, headNow > capacity ? headNow - capacity : 0)
                lost += next - tail
                tail = next
                continue
            }
            // Not written yet.
            let headNow = head.atomicLoad()
            if headNow > tail &+ capacity {
                lost += headNow - capacity - tail
                tail = headNow - capacity
                continue
            }
            if headNow > tail &+ 1 && stalled(at: tail, now: now) {
                lost += 1
                tail &+= 1
                continue
            }
            break
        }
        tailWord.atomicStore(tail)
        if lost > 0 { word64(base, Self.lostOffset).atomicAdd(lost) }
        return (consumed, Int(lost))
    }

    /// True when the record at `tail` has held the queue up for `stallNanoseconds`.
    private func stalled(at tail: UInt64, now: UInt64) -> Bool {
        let stallTail = word64(base, Self.stallTailOffset)
        let since = word64(base, Self.stallSinceOffset)
        if stallTail.atomicLoad() != tail &+ 1 {
            stallTail.atomicStore(tail &+ 1)
            since.atomicStore(now)
            return false
        }
        return now &- since.atomicLoad() >= Self.stallNanoseconds
    }

    /// Results pushed but not yet drained (can exceed capacity when the consumer lags).
    public var depth: Int {
        let head = word64(base, Self.headOffset).atomicLoad()
        let tail = word64(base, Self.tailOffset).atomicLoad()
        return head > tail ? Int(head - tail) : 0
    }

    /// Results lost since the region was created.
    public var totalLost: UInt64 { word64(base, Self.lostOffset).atomicLoad() }
}
