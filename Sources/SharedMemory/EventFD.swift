import CLinux
import Glibc

/// An owned eventfd: the workers' "a result is on the board" doorbell to the viewer's event
/// loop. Created by the viewer (CLOEXEC; the spawner dup2s it into workers, which adopt it);
/// closed when the value is destroyed, which is why it cannot be copied.
public struct EventFD: ~Copyable {
    public let fd: Int32

    /// Takes ownership of an inherited eventfd.
    public init(adopting fd: Int32) { self.fd = fd }

    public static func create(nonBlocking: Bool = true) throws(SystemError) -> EventFD {
        let flags = dv_efd_cloexec() | (nonBlocking ? dv_efd_nonblock() : 0)
        let fd = try retryingOnInterrupt("eventfd") { dv_eventfd(0, flags) }
        return EventFD(adopting: fd)
    }

    /// Adds one to the counter (a saturated counter already means "signalled").
    public func signal() throws(SystemError) {
        if dv_eventfd_signal(fd) != 0 { throw SystemError.last("eventfd write") }
    }

    /// Reads and resets the counter: how many signals arrived (0 when none, non-blocking fd).
    @discardableResult
    public func drain() -> UInt64 { dv_eventfd_drain(fd) }

    deinit { close(fd) }
}
