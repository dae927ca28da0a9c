import Glibc
import SystemPackage

/// A file descriptor with exactly one owner, closed exactly once: when the value is destroyed,
/// or earlier by `close()` (which consumes it, so no copy can close it again).
///
/// The building block of every descriptor type in this module (EventFD, TimerFD, Epoll,
/// PidFD, MemFD, the signal pipe): each holds one of these, so none can close twice.
public struct OwnedDescriptor: ~Copyable, Sendable {
    public let descriptor: FileDescriptor

    /// Takes ownership of `rawValue` (an inherited or just created descriptor).
    public init(adopting rawValue: Int32) {
        descriptor = FileDescriptor(rawValue: rawValue)
    }

    public var rawValue: Int32 { descriptor.rawValue }

    /// Closes now and reports the error (EIO on some file systems), instead of at destruction.
    public consuming func close() throws(SystemCallError) {
        let fd = descriptor
        discard self
        do { try fd.close() } catch { throw SystemCallError(call: "close(fd \(fd.rawValue))", errno: error as? Errno ?? .badFileDescriptor) }
    }

    /// Gives up ownership without closing: the caller owns the number from now on.
    public consuming func release() -> Int32 {
        let fd = descriptor.rawValue
        discard self
        return fd
    }

    deinit { _ = Glibc.close(descriptor.rawValue) }
}
