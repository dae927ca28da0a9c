import Synchronization

/// A flag that asks a running simulation to stop (it then sends its end header). Set from any
/// thread or from a signal handler (a lock-free atomic store); read by the sending loop.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func request() { flag.store(true, ordering: .relaxed) }

    public var isRequested: Bool { flag.load(ordering: .relaxed) }
}
