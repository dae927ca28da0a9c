import CLinux

/// An owned pidfd (`pidfd_open`): readable once its process has ended, so a dead child wakes
/// the event pump like any other descriptor. Owned by the `ChildProcess` it belongs to.
public struct PidFD: ~Copyable, Sendable {
    private let owned: OwnedDescriptor

    public var fd: Int32 { owned.rawValue }

    public init(pid: pid_t) throws(SystemCallError) {
        owned = OwnedDescriptor(adopting: try retryingOnInterrupt("pidfd_open(\(pid))") { dv_pidfd_open(pid, 0) })
    }

    public consuming func close() throws(SystemCallError) { try owned.close() }
}
