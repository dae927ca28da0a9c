import CLinux
import Platform
import Glibc

// Atomic access to words inside the shared mapping. Every operation is sequentially
// consistent (CLinux uses __ATOMIC_SEQ_CST), so the protocols in this module can be
// reasoned about as one total order of these operations across all processes.

@inline(__always)
func word64(_ base: UnsafeMutableRawPointer, _ offset: Int) -> UnsafeMutablePointer<UInt64> {
    (base + offset).assumingMemoryBound(to: UInt64.self)
}

@inline(__always)
func word32(_ base: UnsafeMutableRawPointer, _ offset: Int) -> UnsafeMutablePointer<UInt32> {
    (base + offset).assumingMemoryBound(to: UInt32.self)
}

extension UnsafeMutablePointer where Pointee == UInt64 {
    @inline(__always) func atomicLoad() -> UInt64 { dv_atomic_load_u64(self) }
    @inline(__always) func atomicStore(_ value: UInt64) { dv_atomic_store_u64(self, value) }
    @inline(__always) @discardableResult
    func atomicAdd(_ value: UInt64) -> UInt64 { dv_atomic_fetch_add_u64(self, value) }
    /// True when the word held `expected` and now holds `desired`.
    @inline(__always) func atomicCompareExchange(expected: UInt64, desired: UInt64) -> Bool {
        var e = expected
        return dv_atomic_cas_u64(self, &e, desired) != 0
    }
}

extension UnsafeMutablePointer where Pointee == UInt32 {
    @inline(__always) func atomicLoad() -> UInt32 { dv_atomic_load_u32(self) }
    @inline(__always) func atomicStore(_ value: UInt32) { dv_atomic_store_u32(self, value) }
    @inline(__always) @discardableResult
    func atomicAdd(_ value: UInt32) -> UInt32 { dv_atomic_fetch_add_u32(self, value) }
    @inline(__always) func atomicCompareExchange(expected: UInt32, desired: UInt32) -> Bool {
        var e = expected
        return dv_atomic_cas_u32(self, &e, desired) != 0
    }
}
