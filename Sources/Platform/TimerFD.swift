import CLinux

/// An owned timerfd on CLOCK_MONOTONIC (non-blocking, CLOEXEC): the viewer's stats and render
/// timers, readable in the event pump's epoll set.
public struct TimerFD: ~Copyable, Sendable {
    private let owned: OwnedDescriptor

    public var fd: Int32 { owned.rawValue }

    public init() throws(SystemCallError) {
        owned = OwnedDescriptor(adopting: try retryingOnInterrupt("timerfd_create") { dv_timerfd_create() })
    }

    /// First expiry after `initialNanoseconds`, then every `intervalNanoseconds` (0: once).
    public func arm(afterNanoseconds initial: UInt64, everyNanoseconds interval: UInt64 = 0) throws(SystemCallError) {
        // An initial value of 0 would disarm: the earliest expiry is 1 ns.
        _ = try retryingOnInterrupt("timerfd_settime") { dv_timerfd_set(fd, max(initial, 1), interval) }
    }

    public func disarm() throws(SystemCallError) {
        _ = try retryingOnInterrupt("timerfd_settime") { dv_timerfd_set(fd, 0, 0) }
    }

    /// How many expiries since the last read (0 when none).
    @discardableResult
    public func drain() -> UInt64 { dv_timerfd_read(fd) }

    public consuming func close() throws(SystemCallError) { try owned.close() }
}
