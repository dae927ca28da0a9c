import CLinux

/// An owned epoll set (CLOEXEC) whose entries carry a 64-bit token: the event pump's one
/// place of sleep. Registration may come from any thread; one thread waits.
public struct Epoll: ~Copyable, Sendable {
    /// What woke a waiter: the token given to `add` and whether the fd reported an error or hang-up.
    public struct Readiness: Sendable, Equatable {
        public let token: UInt64
        public let hangUp: Bool
    }

    private let owned: OwnedDescriptor

    public var fd: Int32 { owned.rawValue }

    public init() throws(SystemCallError) {
        owned = OwnedDescriptor(adopting: try retryingOnInterrupt("epoll_create1") { dv_epoll_create() })
    }

    /// Watches `fd` for input (edge-triggered unless told otherwise); `token` comes back on readiness.
    public func add(_ watched: Int32, token: UInt64, edgeTriggered: Bool = true) throws(SystemCallError) {
        let events = dv_epollin() | (edgeTriggered ? dv_epollet() : 0)
        _ = try retryingOnInterrupt("epoll_ctl(ADD, fd \(watched))") { dv_epoll_add(fd, watched, events, token) }
    }

    /// Stops watching `fd` (call before closing it: a reused number would otherwise stay watched).
    public func remove(_ watched: Int32) {
        _ = dv_epoll_del(fd, watched)
    }

    /// Sleeps until at least one watched fd is ready (or `timeoutMilliseconds`, -1 forever);
    /// interrupted sleeps are resumed. At most 64 entries per call.
    public func wait(timeoutMilliseconds: Int32 = -1) throws(SystemCallError) -> [Readiness] {
        var tokens = [UInt64](repeating: 0, count: 64)
        var events = [UInt32](repeating: 0, count: 64)
        let count = dv_epoll_wait(fd, &tokens, &events, 64, timeoutMilliseconds)
        guard count >= 0 else { throw SystemCallError.last("epoll_wait") }
        let trouble = dv_epollerr() | dv_epollhup()
        return (0..<Int(count)).map { Readiness(token: tokens[$0], hangUp: events[$0] & trouble != 0) }
    }

    public consuming func close() throws(SystemCallError) { try owned.close() }
}
