import CLinux
import Glibc

/// A sequence lock on a 64-bit word in shared memory: one writer at a time (the caller makes
/// sure of that) publishes plain data; any number of readers, in any process, copy it without
/// blocking the writer, and retry when a write overlapped their copy.
///
/// The protocol, in one place for every board of the shared region:
/// 1. The writer makes the word odd, fences, writes, fences, makes it even (one more). A
///    word already odd stays odd on entry: a writer that died mid-write left it so, and the
///    next write must not flip it even while its own bytes are half written.
/// 2. A reader loads the word (odd: retry), copies, fences, re-loads: equal means the copy
///    is whole. 0 means never written.
/// The value is only a view of the word; the word belongs to the mapping.
public struct SeqLock: @unchecked Sendable {
    public let word: UnsafeMutablePointer<UInt64>

    public init(word: UnsafeMutablePointer<UInt64>) { self.word = word }

    public init(at address: UnsafeMutableRawPointer) {
        self.init(word: address.assumingMemoryBound(to: UInt64.self))
    }

    /// The current value: even when no write is in progress, 0 when never written.
    @inline(__always) public var sequence: UInt64 { dv_atomic_load_u64(word) }

    /// Runs `body` (the writes) inside the lock; returns the new, even sequence.
    @inline(__always) @discardableResult
    public func write(_ body: () -> Void) -> UInt64 {
        let odd = dv_atomic_load_u64(word) | 1
        dv_atomic_store_u64(word, odd)
        dv_atomic_fence()   // the plain writes must not move before the odd store
        body()
        dv_atomic_fence()   // nor after the even one
        dv_atomic_store_u64(word, odd &+ 1)
        return odd &+ 1
    }

    /// One attempt: the copy `body` made, and the sequence it was made at; nil when a write
    /// was in progress or overlapped the copy.
    @inline(__always)
    public func tryRead<R>(_ body: (_ sequence: UInt64) -> R) -> (value: R, sequence: UInt64)? {
        let before = dv_atomic_load_u64(word)
        guard before & 1 == 0 else { return nil }
        let value = body(before)
        dv_atomic_fence()   // the plain copies must not move after the re-check
        return dv_atomic_load_u64(word) == before ? (value, before) : nil
    }

    /// Retries until `body` made a whole copy. `body` gets the (even) sequence it copies at and
    /// may return nil to give up (an empty board): then the result is nil.
    public func read<R>(_ body: (_ sequence: UInt64) -> R?) -> (value: R, sequence: UInt64)? {
        var round = 0
        while true {
            if let attempt = tryRead(body) {
                guard let value = attempt.value else { return nil }
                return (value, attempt.sequence)
            }
            round += 1
            if round > 64 { _ = sched_yield() }   // a preempted writer (maybe in another process) must run
        }
    }

    /// Back to "never written" (a replaced worker's entry). Only when no writer can be active.
    public func reset() { dv_atomic_store_u64(word, 0) }
}
