import CLinux

// Atomic access to 64- and 32-bit words in shared memory, the one wrapping of CLinux's C11
// atomics (static inline there, @inlinable here, so hot paths inline them). Every operation is
// sequentially consistent (__ATOMIC_SEQ_CST): the shared-memory protocols can be reasoned
// about as one total order of these operations across all processes.

extension UnsafeMutablePointer where Pointee == UInt64 {
    @inlinable public func atomicLoad() -> UInt64 { dv_atomic_load_u64(self) }
    @inlinable public func atomicStore(_ value: UInt64) { dv_atomic_store_u64(self, value) }
    @inlinable @discardableResult
    public func atomicAdd(_ value: UInt64) -> UInt64 { dv_atomic_fetch_add_u64(self, value) }
    /// True when the word held `expected` and now holds `desired`.
    @inlinable public func atomicCompareExchange(expected: UInt64, desired: UInt64) -> Bool {
        var e = expected
        return dv_atomic_cas_u64(self, &e, desired) != 0
    }
}

extension UnsafeMutablePointer where Pointee == UInt32 {
    @inlinable public func atomicLoad() -> UInt32 { dv_atomic_load_u32(self) }
    @inlinable public func atomicStore(_ value: UInt32) { dv_atomic_store_u32(self, value) }
    @inlinable @discardableResult
    public func atomicAdd(_ value: UInt32) -> UInt32 { dv_atomic_fetch_add_u32(self, value) }
    /// True when the word held `expected` and now holds `desired`.
    @inlinable public func atomicCompareExchange(expected: UInt32, desired: UInt32) -> Bool {
        var e = expected
        return dv_atomic_cas_u32(self, &e, desired) != 0
    }
}
