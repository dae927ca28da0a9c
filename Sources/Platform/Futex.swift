import CLinux
import Glibc

/// Wait and wake on a 32-bit word that several processes map (shared futex): the frame ring's
/// "a frame was published" word. The word lives in the mapping; this type only names the calls.
public enum Futex {
    /// Sleeps while `*word == expected`, at most `timeoutNanoseconds` (negative: forever).
    /// Returns false on timeout; true when woken, interrupted, or the word had already changed
    /// (the caller re-checks its condition either way).
    @discardableResult
    public static func wait(on word: UnsafeMutablePointer<UInt32>, whileEqualTo expected: UInt32,
                            timeoutNanoseconds: Int64 = -1) -> Bool {
        if dv_futex_wait(word, expected, timeoutNanoseconds) == 0 { return true }
        return Glibc.errno != ETIMEDOUT
    }

    /// Wakes up to `count` waiters (Int32.max: all). Returns how many were woken.
    @discardableResult
    public static func wake(_ word: UnsafeMutablePointer<UInt32>, count: Int32 = Int32.max) -> Int {
        Int(max(0, dv_futex_wake(word, count)))
    }
}
