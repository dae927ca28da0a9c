import CLinux
import Platform
import Glibc

// Frame ring protocol — invariants.
//
// Memory: a ring header (next sequence, futex word, waiter count, the current layout, counters),
// a slot table (one 128-byte entry per slot: state word, sequence word, SlotHeader, payload
// offset and capacity) and the payload arena (`--ring-bytes`).
//
// 1. Each slot has one 64-bit state word: generation << 32 | worker << 8 | state, with
//    state free(0) → filling(1) → filled(2) → claimed(3) → free, plus filled → filling
//    (the receiver steals the oldest unclaimed frame when no slot is free) and
//    filling → free (abandon). Every transition is one seq-cst CAS (or, for the slot's sole
//    owner, a store) that also adds 1 to the generation, so a CAS prepared from a stale read
//    fails even if the slot went round and came back to the same state (no ABA).
// 2. Ownership follows the state: the receiver alone touches header and payload of a
//    filling slot; the claiming worker alone reads a claimed slot; nobody touches free or
//    filled payloads. The seq-cst CAS that hands a slot over orders the previous owner's
//    plain writes before the next owner's plain reads (release/acquire through the word).
// 3. Nobody but its owner moves a filling or claimed slot, except `reclaim(worker:)`, which
//    the supervisor calls only after that worker process is dead.
// 4. The sequence word is written only while the slot is filling, before the publishing
//    store. A scanner that loads state S (filled, generation g) and then the sequence word
//    sees the sequence published with g whenever its later CAS from S succeeds: any newer
//    sequence would have needed a transition, which would have changed the generation.
// 5. Wake-ups: publish makes the slot filled, then increments the futex word, then wakes one
//    waiter if the waiter count is non-zero. A waiter reads the word (its token) BEFORE
//    scanning, increments the waiter count, and futex-waits on the token. Either the
//    publisher sees the waiter count (and wakes), or the increment of the word precedes the
//    waiter's futex check (which then returns at once), or the word was incremented before
//    the token was read (and the scan saw the filled slot). No wake-up is lost.
// 6. Accounting goes through `FrameAccounting` (words in the ring header): the ring itself
//    counts the frames it overwrites (steals) and the claimed frames `reclaim` frees; the
//    receiver counts what arrives, what it rejects and what finds no slot; workers count
//    processed or bad. At rest: received = processed + dropped + bad.
// 7. Layout: the arena holds `activeSlotCount` slots of `slotBytes` each (slot i at i × slotBytes),
//    chosen by the receiver for the series' frames (`prepareSlots`). Only the receiver changes it,
//    and only while every active slot is free: nobody then holds a payload, and no slot can leave
//    `free` but by the receiver's own acquire. The receiver writes each slot's payload offset and
//    capacity into its entry while it fills it, so a worker reads where its claimed frame is from
//    the entry (ordered by the claim's CAS, as the header is), never from the layout words. A
//    worker that scans with a stale, smaller slot count misses a frame at most until its next
//    look: the count is stored before the publish that bumps the futex word (see 5), so the
//    wait returns and the next scan sees the new count. Slots beyond the count are always free.
//    The same holds for the scan limit (one past the highest slot filled under this layout),
//    which bounds the scans for filled slots; it is reset with the layout.
// 8. Stale frames: a claimed frame older than the ring's `--max-lag` is released at once and
//    counted `droppedStale` (`StaleFrameRule`), and the claim goes on to the next frame.

/// A slot the receiver is filling. Give it back exactly once, to `publish` or `abandon`.
public struct WriteSlot: @unchecked Sendable {
    public let index: Int
    /// The slot's header; `publish` sets `sequence`, the writer sets everything else.
    public let header: UnsafeMutablePointer<SlotHeader>
    /// The whole slot: its capacity under the ring's current layout.
    public let payload: UnsafeMutableRawBufferPointer
    let state: UInt64
}

extension WriteSlot {
    /// Payloads from this size on are copied with streaming stores: a worker in another process
    /// reads them next, so warming this core's cache with them only evicts the receive path's
    /// own data, and skipping the read-for-ownership of the destination saves a third of the
    /// memory traffic (docs/PERFORMANCE.md). Smaller ones stay a plain copy.
    public static let streamingCopyBytes = 64 << 10

    /// Copies `bytes` (at most the slot's capacity) to the start of the payload.
    public func copyPayload(from bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, let target = payload.baseAddress else { return }
        let count = min(bytes.count, payload.count)
        if count >= Self.streamingCopyBytes {
            dv_copy_streaming(target, source, count)
        } else {
            target.copyMemory(from: source, byteCount: count)
        }
    }
}

/// A slot a worker claimed. Give it back exactly once, with `release`.
public struct ClaimedSlot: @unchecked Sendable {
    public let index: Int
    /// A copy of the slot's header, taken after the claim.
    public let header: SlotHeader
    /// The frame's bytes: `header.byteCount`, clamped to the slot capacity.
    public let payload: UnsafeRawBufferPointer
    let state: UInt64
}

/// How many slots are in each state, for the queue-depth display.
public struct SlotOccupancy: Equatable, Sendable {
    public var free = 0
    public var filling = 0
    public var filled = 0
    public var claimed = 0

    public init(free: Int = 0, filling: Int = 0, filled: Int = 0, claimed: Int = 0, slotBytes: Int = 0,
                ringBytes: Int = 0) {
        self.free = free
        self.filling = filling
        self.filled = filled
        self.claimed = claimed
        self.slotBytes = slotBytes
        self.ringBytes = ringBytes
    }

    /// The bytes of each slot under the ring's current layout, and the ring's byte budget.
    public var slotBytes = 0
    public var ringBytes = 0

    public var slots: Int { free + filling + filled + claimed }
    /// Bytes held by frames (being filled, waiting or in work): what fills the budget.
    public var usedBytes: Int { (filling + filled + claimed) * slotBytes }
    /// `usedBytes` of `ringBytes`, 0...1.
    public var byteFill: Double { ringBytes > 0 ? min(1, Double(usedBytes) / Double(ringBytes)) : 0 }
}

/// The ring of frame slots in shared memory: a single producer (the receiver thread of the
/// viewer) fills slots, many consumers (worker processes) claim them lowest sequence first.
/// Each process holds its own `FrameRing` object over the same mapping; the object itself
/// holds no mutable state, so any thread may call it (within the roles above).
public final class FrameRing: @unchecked Sendable {
    enum State: UInt64 {
        case free = 0, filling = 1, filled = 2, claimed = 3
    }

    /// The slot table's size: the most slots the ring can have.
    public let slotCount: Int
    /// The largest payload any slot holds (`--max-frame-bytes`).
    public let slotCapacity: Int
    /// The payload arena's size (`--ring-bytes`).
    public let ringBytes: Int
    /// Every frame's fate, in words of this ring's header.
    public let accounting: FrameAccounting
    private let region: SharedRegion
    private let header: UnsafeMutableRawPointer
    private let table: UnsafeMutableRawPointer
    private let payloads: UnsafeMutableRawPointer

    // Ring header offsets (accounting words: see FrameAccounting).
    private static let nextSequenceOffset = 0
    private static let futexOffset = 128
    private static let waitersOffset = 132
    // The layout (written by the receiver only) and the stale limit (by the viewer, at start).
    private static let activeSlotsOffset = 192
    private static let slotBytesOffset = 200
    private static let pendingSlotBytesOffset = 208
    private static let maxLagOffset = 216
    /// One past the highest slot index filled since the layout was made (receiver only).
    private static let scanLimitOffset = 224

    init(region: SharedRegion, layout: RegionLayout) {
        self.region = region
        slotCount = layout.slotCount
        slotCapacity = layout.slotCapacity
        ringBytes = layout.ringBytes
        header = region.base + layout.ringOffset
        accounting = FrameAccounting(ringHeader: header)
        table = region.base + layout.slotTableOffset
        payloads = region.base + layout.payloadOffset
    }

    /// The layout of a new region: slots for the largest frame (the first series re-lays it).
    func formatInitialLayout() {
        let bytes = RingSizing.slotBytes(forFrameBytes: slotCapacity, maxFrameBytes: slotCapacity)
        word64(header, Self.slotBytesOffset).atomicStore(UInt64(bytes))
        word64(header, Self.activeSlotsOffset)
            .atomicStore(UInt64(RingSizing.slotCount(ringBytes: ringBytes, slotBytes: bytes, maxSlots: slotCount)))
    }

    // MARK: state words

    @inline(__always) static func state(of word: UInt64) -> State? { State(rawValue: word & 0xff) }
    @inline(__always) static func worker(of word: UInt64) -> Int { Int((word >> 8) & 0xffff) }
    @inline(__always) static func successor(of word: UInt64, _ state: State, worker: Int = 0) -> UInt64 {
        let generation = (word >> 32) &+ 1
        return generation << 32 | UInt64(worker & 0xffff) << 8 | state.rawValue
    }

    @inline(__always) private func stateWord(_ index: Int) -> UnsafeMutablePointer<UInt64> {
        word64(table, index * RegionLayout.slotEntrySize)
    }
    @inline(__always) private func sequenceWord(_ index: Int) -> UnsafeMutablePointer<UInt64> {
        word64(table, index * RegionLayout.slotEntrySize + 8)
    }
    @inline(__always) private func slotHeader(_ index: Int) -> UnsafeMutablePointer<SlotHeader> {
        (table + index * RegionLayout.slotEntrySize + RegionLayout.slotHeaderOffsetInEntry)
            .assumingMemoryBound(to: SlotHeader.self)
    }
    @inline(__always) private func payloadOffsetWord(_ index: Int) -> UnsafeMutablePointer<UInt64> {
        word64(table, index * RegionLayout.slotEntrySize + RegionLayout.slotPayloadOffsetInEntry)
    }
    @inline(__always) private func payloadCapacityWord(_ index: Int) -> UnsafeMutablePointer<UInt64> {
        word64(table, index * RegionLayout.slotEntrySize + RegionLayout.slotPayloadCapacityInEntry)
    }
    private var pendingSlotBytesWord: UnsafeMutablePointer<UInt64> { word64(header, Self.pendingSlotBytesOffset) }
    private var scanLimitWord: UnsafeMutablePointer<UInt64> { word64(header, Self.scanLimitOffset) }

    /// Where the scans for filled slots stop: no slot at or beyond it has held a frame under this
    /// layout. The receiver takes the lowest free slot, so with workers keeping up only the first
    /// few slots ever fill and a worker's scan costs what the deepest burst did, not the table.
    @inline(__always) private var scanLimit: Int {
        min(slotCount, Int(truncatingIfNeeded: scanLimitWord.atomicLoad()))
    }
    private var futexWord: UnsafeMutablePointer<UInt32> { word32(header, Self.futexOffset) }
    private var waiterCount: UnsafeMutablePointer<UInt32> { word32(header, Self.waitersOffset) }

    // MARK: layout

    /// Slots in use under the current layout (the rest of the table stays free).
    public var activeSlotCount: Int {
        min(slotCount, Int(truncatingIfNeeded: word64(header, Self.activeSlotsOffset).atomicLoad()))
    }

    /// Each slot's bytes under the current layout.
    public var slotBytes: Int { Int(truncatingIfNeeded: word64(header, Self.slotBytesOffset).atomicLoad()) }

    /// A frame can be stored without a new layout when it fits a slot of the current one.
    @inline(__always) private var slotPayloadCapacity: Int { min(slotBytes, slotCapacity) }

    /// Receiver only: the frames to come are of `frameBytes` (a series started), so the ring should
    /// hold as many slots of that size as its bytes allow. Applied at once when the ring is empty,
    /// else at the first acquire that finds it empty; until then frames that fit the present slots
    /// go into them, and larger ones find no room (`acquireForWriting`).
    public func prepareSlots(forFrameBytes frameBytes: Int) {
        guard frameBytes > 0 else { return }
        let wanted = RingSizing.slotBytes(forFrameBytes: frameBytes, maxFrameBytes: slotCapacity)
        pendingSlotBytesWord.atomicStore(wanted == slotBytes ? 0 : UInt64(wanted))
        applyPendingLayoutIfEmpty()
    }

    /// Receiver only (invariant 7): the pending layout becomes the layout when no active slot holds
    /// a frame.
    private func applyPendingLayoutIfEmpty() {
        let pending = Int(truncatingIfNeeded: pendingSlotBytesWord.atomicLoad())
        guard pending != 0 else { return }
        for i in 0..<activeSlotCount where Self.state(of: stateWord(i).atomicLoad()) != .free { return }
        releasePayloadPages()
        word64(header, Self.slotBytesOffset).atomicStore(UInt64(pending))
        word64(header, Self.activeSlotsOffset)
            .atomicStore(UInt64(RingSizing.slotCount(ringBytes: ringBytes, slotBytes: pending, maxSlots: slotCount)))
        scanLimitWord.atomicStore(0)
        pendingSlotBytesWord.atomicStore(0)
    }

    /// Gives the payload arena's pages back (MADV_REMOVE punches them out of the memfd, for every
    /// process mapping it). Only while no slot holds a frame, so nobody reads them. A new layout
    /// puts its slots on other pages; without this, every layout a session saw stayed resident
    /// (the soak's sender restarts grew the memory with each new frame size).
    private func releasePayloadPages() {
        let page = SharedRegion.pageSize
        let start = (Int(bitPattern: payloads) + page - 1) / page * page
        let end = (Int(bitPattern: payloads) + ringBytes) / page * page
        guard end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(first, end - start, MADV_REMOVE)
    }

    /// Receiver only: frees every filled-but-unclaimed slot, counting each dropped by the ring.
    private func dropWaitingFrames() {
        for i in 0..<scanLimit {
            let word = stateWord(i).atomicLoad()
            guard Self.state(of: word) == .filled else { continue }
            // A failed CAS: a worker claimed it meanwhile, and will release it.
            if stateWord(i).atomicCompareExchange(expected: word, desired: Self.successor(of: word, .free)) {
                accounting.droppedByRing()
            }
        }
    }

    // MARK: stale frames

    /// Viewer only, before workers start: frames that waited longer than this are dropped
    /// as stale when taken (0: never).
    public func setMaxLag(nanoseconds: UInt64) {
        word64(header, Self.maxLagOffset).atomicStore(nanoseconds)
    }

    public var staleRule: StaleFrameRule {
        StaleFrameRule(maxLagNanoseconds: word64(header, Self.maxLagOffset).atomicLoad())
    }

    /// The filled slot with the lowest sequence, with the state word it was seen in.
    private func oldestFilled() -> (index: Int, state: UInt64)? {
        var best: (index: Int, state: UInt64)?
        var bestSequence = UInt64.max
        for i in 0..<scanLimit {
            let word = stateWord(i).atomicLoad()
            guard Self.state(of: word) == .filled else { continue }
            let sequence = sequenceWord(i).atomicLoad()
            if sequence < bestSequence {
                bestSequence = sequence
                best = (i, word)
            }
        }
        return best
    }

    // MARK: receiver (single producer)

    /// A slot to fill with a payload of `bytes`: a free one if there is one, else the oldest
    /// filled-but-unclaimed frame, which is overwritten and counted dropped by the ring. A payload
    /// larger than the present slots needs the ring laid out again, which needs it empty: the
    /// frames still waiting are older than this one, so they are dropped (as a full ring drops
    /// its oldest), and the layout applies once the frames in work are released. Nil when every
    /// slot is being filled or processed, or the layout could not apply yet; the caller then
    /// counts its frame `droppedByRing`.
    public func acquireForWriting(bytes: Int = 0) -> WriteSlot? {
        if pendingSlotBytesWord.atomicLoad() != 0 { applyPendingLayoutIfEmpty() }
        if bytes > slotPayloadCapacity {
            prepareSlots(forFrameBytes: bytes)
            if bytes > slotPayloadCapacity {
                dropWaitingFrames()
                applyPendingLayoutIfEmpty()
                guard bytes <= slotPayloadCapacity else { return nil }
            }
        }
        let active = activeSlotCount
        // Each failed CAS means a worker made progress (claimed or released), so a bounded
        // number of rounds is plenty; giving up only drops one frame.
        for _ in 0..<(2 * active + 4) {
            for i in 0..<active {
                let word = stateWord(i).atomicLoad()
                if Self.state(of: word) == .free {
                    let next = Self.successor(of: word, .filling)
                    if stateWord(i).atomicCompareExchange(expected: word, desired: next) {
                        return writeSlot(i, next)
                    }
                }
            }
            guard let victim = oldestFilled() else { return nil }
            let next = Self.successor(of: victim.state, .filling)
            if stateWord(victim.index).atomicCompareExchange(expected: victim.state, desired: next) {
                accounting.droppedByRing()
                return writeSlot(victim.index, next)
            }
        }
        return nil
    }

    /// The receiver owns the slot now (filling): it records where its payload is (invariant 7).
    private func writeSlot(_ index: Int, _ state: UInt64) -> WriteSlot {
        let bytes = slotBytes
        let offset = index * bytes
        let capacity = min(bytes, slotCapacity)
        payloadOffsetWord(index).atomicStore(UInt64(offset))
        payloadCapacityWord(index).atomicStore(UInt64(capacity))
        // Before the publish, like the slot count (invariant 7): a scan that reads it after the
        // publish's futex bump reaches this slot.
        if index >= Int(truncatingIfNeeded: scanLimitWord.atomicLoad()) { scanLimitWord.atomicStore(UInt64(index + 1)) }
        return WriteSlot(index: index, header: slotHeader(index),
                         payload: UnsafeMutableRawBufferPointer(start: payloads + offset, count: capacity),
                         state: state)
    }

    /// Makes the slot's frame available to workers under the next sequence number (1, 2, …),
    /// which it returns, and wakes one waiting worker.
    @discardableResult
    public func publish(_ slot: WriteSlot) -> UInt64 {
        let sequenceCounter = word64(header, Self.nextSequenceOffset)
        let sequence = sequenceCounter.atomicLoad() &+ 1
        sequenceCounter.atomicStore(sequence)
        slot.header.pointee.sequence = sequence
        if slot.header.pointee.byteCount > UInt64(slot.payload.count) {
            slot.header.pointee.byteCount = UInt64(slot.payload.count)
        }
        sequenceWord(slot.index).atomicStore(sequence)
        let published = stateWord(slot.index)
            .atomicCompareExchange(expected: slot.state, desired: Self.successor(of: slot.state, .filled))
        if published {
            futexWord.atomicAdd(1)
            if waiterCount.atomicLoad() != 0 { Futex.wake(futexWord, count: 1) }
        }
        return sequence
    }

    /// Returns an unpublished slot to the free list (the frame was bad or too large).
    public func abandon(_ slot: WriteSlot) {
        _ = stateWord(slot.index)
            .atomicCompareExchange(expected: slot.state, desired: Self.successor(of: slot.state, .free))
    }

    // MARK: workers (many consumers, any process)

    /// Claims the filled frame with the lowest sequence for `worker` (0..<maxWorkers), or nil
    /// when no frame waits. Frames that waited beyond the ring's `--max-lag` at `now` (nil: the
    /// monotonic clock, read only when there is a limit) are freed and counted stale on the way.
    public func claimNext(worker: Int, now: UInt64? = nil) -> ClaimedSlot? {
        let stale = staleRule
        var failedClaims = 0
        // Each failed CAS means another worker or the receiver made progress; a stale frame
        // dropped is progress of this one, so only failures count towards giving up.
        while failedClaims < 4 * slotCount + 16 {
            guard let candidate = oldestFilled() else { return nil }
            let next = Self.successor(of: candidate.state, .claimed, worker: worker)
            guard stateWord(candidate.index).atomicCompareExchange(expected: candidate.state, desired: next) else {
                failedClaims += 1
                continue
            }
            let header = slotHeader(candidate.index).pointee
            if stale.maxLagNanoseconds != 0,
               stale.isStale(receivedNanoseconds: header.receivedNs, now: now ?? MonotonicClock.nanoseconds) {
                if stateWord(candidate.index).atomicCompareExchange(expected: next, desired: Self.successor(of: next, .free)) {
                    accounting.droppedStale()
                }
                continue
            }
            let offset = Int(truncatingIfNeeded: payloadOffsetWord(candidate.index).atomicLoad())
            let capacity = Int(truncatingIfNeeded: payloadCapacityWord(candidate.index).atomicLoad())
            let count = Int(min(header.byteCount, UInt64(capacity)))
            return ClaimedSlot(index: candidate.index, header: header,
                               payload: UnsafeRawBufferPointer(start: payloads + offset, count: count),
                               state: next)
        }
        return nil
    }

    /// Frees a claimed slot. False if the slot was no longer this claim's (the supervisor
    /// reclaimed it); the caller should then not count the frame processed.
    @discardableResult
    public func release(_ slot: ClaimedSlot) -> Bool {
        stateWord(slot.index)
            .atomicCompareExchange(expected: slot.state, desired: Self.successor(of: slot.state, .free))
    }

    /// Read BEFORE looking for work; pass it to `waitForWork(since:…)` so a frame published
    /// between the look and the wait is not slept through.
    public var workToken: UInt32 { futexWord.atomicLoad() }

    /// Sleeps until a frame is published (or `wakeAll`) after `token` was read, or the timeout
    /// passes (negative: no timeout). Returns false on timeout. May return early (spuriously).
    @discardableResult
    public func waitForWork(since token: UInt32, timeoutNanoseconds: Int64) -> Bool {
        if futexWord.atomicLoad() != token { return true }
        waiterCount.atomicAdd(1)
        let woken = Futex.wait(on: futexWord, whileEqualTo: token, timeoutNanoseconds: timeoutNanoseconds)
        waiterCount.atomicAdd(UInt32.max)  // - 1
        return woken
    }

    /// Claims the next frame, sleeping up to the timeout for one to arrive.
    public func claimNextOrWait(worker: Int, timeoutNanoseconds: Int64) -> ClaimedSlot? {
        let token = workToken
        if let slot = claimNext(worker: worker) { return slot }
        waitForWork(since: token, timeoutNanoseconds: timeoutNanoseconds)
        return claimNext(worker: worker)
    }

    /// Wakes every waiting worker (shutdown, or the control block changed).
    public func wakeAll() {
        futexWord.atomicAdd(1)
        Futex.wake(futexWord)
    }

    // MARK: supervisor

    /// Frees every slot claimed by `worker`, which must be dead, and counts them dropped on
    /// reclaim. Returns how many.
    public func reclaim(worker: Int) -> Int {
        var count = 0
        for i in 0..<slotCount {
            while true {
                let word = stateWord(i).atomicLoad()
                guard Self.state(of: word) == .claimed, Self.worker(of: word) == worker else { break }
                if stateWord(i).atomicCompareExchange(expected: word, desired: Self.successor(of: word, .free)) {
                    count += 1
                    break
                }
            }
        }
        if count > 0 { accounting.droppedOnReclaim(count) }
        return count
    }

    /// How many slots each worker 0..<workers has claimed now (the supervisor's liveness watch:
    /// a worker holding a slot must make progress).
    public func claimedSlots(workers: Int) -> [Int] {
        var counts = Array(repeating: 0, count: max(0, workers))
        for i in 0..<activeSlotCount {
            let word = stateWord(i).atomicLoad()
            guard Self.state(of: word) == .claimed else { continue }
            let worker = Self.worker(of: word)
            if worker < counts.count { counts[worker] += 1 }
        }
        return counts
    }

    /// The active slots by state, with the layout's bytes (slots beyond the active ones are free
    /// and not counted: they are not usable under this layout).
    public func occupancy() -> SlotOccupancy {
        var result = SlotOccupancy(slotBytes: slotBytes, ringBytes: ringBytes)
        for i in 0..<activeSlotCount {
            switch Self.state(of: stateWord(i).atomicLoad()) {
            case .free?, nil: result.free += 1
            case .filling?: result.filling += 1
            case .filled?: result.filled += 1
            case .claimed?: result.claimed += 1
            }
        }
        return result
    }

    /// The last sequence published.
    public var lastSequence: UInt64 { word64(header, Self.nextSequenceOffset).atomicLoad() }
}
