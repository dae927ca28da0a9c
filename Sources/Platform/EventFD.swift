import CLinux
import Glibc

/// An owned eventfd: a counter the kernel wakes readers on (the workers' "a result is on the
/// board" doorbell, the event pump's stop signal, the receiver inbox). CLOEXEC always: a child
/// gets it only through the spawner's explicit dup2.
public struct EventFD: ~Copyable, Sendable {
    private let owned: OwnedDescriptor

    public var fd: Int32 { owned.rawValue }

    /// Takes ownership of an inherited eventfd (a worker's fd 4).
    public init(adopting fd: Int32) { owned = OwnedDescriptor(adopting: fd) }

    public init(nonBlocking: Bool = true) throws(SystemCallError) {
        let flags = dv_efd_cloexec() | (nonBlocking ? dv_efd_nonblock() : 0)
        owned = OwnedDescriptor(adopting: try retryingOnInterrupt("eventfd") { dv_eventfd(0, flags) })
    }

    public static func create(nonBlocking: Bool = true) throws(SystemCallError) -> EventFD {
        try EventFD(nonBlocking: nonBlocking)
    }

    /// Adds one to the counter (a saturated counter already means "signalled").
    public func signal() throws(SystemCallError) {
        try Self.signal(fd)
    }

    /// Signals an eventfd this process does not own (a worker's inherited notify fd).
    public static func signal(_ fd: Int32) throws(SystemCallError) {
        if dv_eventfd_signal(fd) != 0 { throw SystemCallError.last("eventfd write") }
    }

    /// Reads and resets the counter: how many signals arrived (0 when none, non-blocking fd).
    @discardableResult
    public func drain() -> UInt64 { dv_eventfd_drain(fd) }

    public consuming func close() throws(SystemCallError) { try owned.close() }
}
