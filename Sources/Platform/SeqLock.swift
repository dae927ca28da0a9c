import CLinux
import Glibc

/// A sequence lock on a 32- or 64-bit word in shared memory: writers publish plain data; any
/// number of readers, in any process, copy it without blocking a writer, and retry when a
/// write overlapped their copy. The one implementation of the protocol for every board of
/// the shared region (ControlBlock, MaskBoard, ViewBoard, ResultBoard).
///
/// The protocol:
/// 1. A writer makes the word odd, fences, writes, fences, makes it even (one more). With
///    `write`, the caller guarantees one writer at a time, and a word already odd stays odd
///    on entry: a writer that died mid-write left it so, and the next write must not flip it
///    even while its own bytes are half written. `writeExclusively` instead takes the word
///    from even to odd by compare-and-swap, so concurrent writers wait for each other.
/// 2. A reader loads the word (odd: retry), copies, fences, re-loads: equal means the copy is
///    whole. 0 means never written.
/// The value is only a view of the word; the word belongs to the mapping. Inlinable, so the
/// closures and the (static inline) C atomics fold into the caller.
@frozen
public struct SeqLock<Word: SeqLockWord>: @unchecked Sendable {
    public let word: UnsafeMutablePointer<Word>

    @inlinable public init(word: UnsafeMutablePointer<Word>) { self.word = word }

    @inlinable public init(at address: UnsafeMutableRawPointer) {
        self.init(word: address.assumingMemoryBound(to: Word.self))
    }

    /// The current value: even when no write is in progress, 0 when never written.
    @inlinable public var sequence: Word { Word.atomicLoad(word) }

    /// Runs `body` (the writes) inside the lock, one writer at a time by the caller's design;
    /// returns the new, even sequence.
    @inlinable @discardableResult
    public func write(_ body: () -> Void) -> Word {
        let odd = Word.atomicLoad(word) | 1
        Word.atomicStore(word, odd)
        return finishWrite(odd, body)
    }

    /// Like `write`, for several writers: waits until no other write is in progress and takes
    /// the lock by compare-and-swap.
    @inlinable @discardableResult
    public func writeExclusively(_ body: () -> Void) -> Word {
        var round = 0
        while true {
            let value = Word.atomicLoad(word)
            if value & 1 == 0, Word.atomicCompareExchange(word, expected: value, desired: value &+ 1) {
                return finishWrite(value &+ 1, body)
            }
            round += 1
            spinBackoff(round)
        }
    }

    @inlinable
    func finishWrite(_ odd: Word, _ body: () -> Void) -> Word {
        dv_atomic_fence()   // the plain writes must not move before the odd store
        body()
        dv_atomic_fence()   // nor after the even one
        Word.atomicStore(word, odd &+ 1)
        return odd &+ 1
    }

    /// One attempt: the copy `body` made, and the sequence it was made at; nil when a write
    /// was in progress or overlapped the copy.
    @inlinable
    public func tryRead<R>(_ body: (_ sequence: Word) -> R) -> (value: R, sequence: Word)? {
        let before = Word.atomicLoad(word)
        guard before & 1 == 0 else { return nil }
        let value = body(before)
        dv_atomic_fence()   // the plain copies must not move after the re-check
        return Word.atomicLoad(word) == before ? (value, before) : nil
    }

    /// Retries until `body` made a whole copy. `body` gets the (even) sequence it copies at and
    /// may return nil to give up (an empty board): then the result is nil.
    @inlinable
    public func read<R>(_ body: (_ sequence: Word) -> R?) -> (value: R, sequence: Word)? {
        var round = 0
        while true {
            if let attempt = tryRead(body) {
                guard let value = attempt.value else { return nil }
                return (value, attempt.sequence)
            }
            round += 1
            spinBackoff(round)
        }
    }

    /// Back to "never written" (a replaced worker's entry). Only when no writer can be active.
    @inlinable public func reset() { Word.atomicStore(word, 0) }
}

/// A short wait for a retry loop: spin at first, then yield the CPU so a preempted writer
/// (maybe in another process) can run.
@inlinable
public func spinBackoff(_ round: Int) {
    if round > 64 { _ = sched_yield() }
}

/// A word a `SeqLock` can live in: sequentially consistent atomics on shared memory.
public protocol SeqLockWord: FixedWidthInteger, UnsignedInteger, Sendable {
    static func atomicLoad(_ word: UnsafeMutablePointer<Self>) -> Self
    static func atomicStore(_ word: UnsafeMutablePointer<Self>, _ value: Self)
    static func atomicCompareExchange(_ word: UnsafeMutablePointer<Self>, expected: Self, desired: Self) -> Bool
}

extension UInt64: SeqLockWord {
    @inlinable public static func atomicLoad(_ word: UnsafeMutablePointer<UInt64>) -> UInt64 { word.atomicLoad() }
    @inlinable public static func atomicStore(_ word: UnsafeMutablePointer<UInt64>, _ value: UInt64) { word.atomicStore(value) }
    @inlinable public static func atomicCompareExchange(_ word: UnsafeMutablePointer<UInt64>, expected: UInt64,
                                                        desired: UInt64) -> Bool {
        word.atomicCompareExchange(expected: expected, desired: desired)
    }
}

extension UInt32: SeqLockWord {
    @inlinable public static func atomicLoad(_ word: UnsafeMutablePointer<UInt32>) -> UInt32 { word.atomicLoad() }
    @inlinable public static func atomicStore(_ word: UnsafeMutablePointer<UInt32>, _ value: UInt32) { word.atomicStore(value) }
    @inlinable public static func atomicCompareExchange(_ word: UnsafeMutablePointer<UInt32>, expected: UInt32,
                                                        desired: UInt32) -> Bool {
        word.atomicCompareExchange(expected: expected, desired: desired)
    }
}
