import CLinux
import Glibc
import SharedMemory
import Synchronization

/// Turns file-descriptor readiness into an async stream of tokens for the main actor.
///
/// One thread of its own sleeps in `epoll_wait` (edge-triggered) and yields the tokens of
/// the descriptors that became ready; the consumer must drain a descriptor fully each time
/// its token arrives. Nothing here polls: an idle viewer's threads all sleep in the kernel.
/// Registration may happen from any thread; the stream has one consumer.
public final class EventPump: @unchecked Sendable {
    public let tokens: AsyncStream<UInt64>
    private let continuation: AsyncStream<UInt64>.Continuation
    private let epoll: Int32
    private let wake: Int32
    private let stopping = Atomic<Bool>(false)
    private var thread: pthread_t?

    /// The token reserved for the pump's own stop signal.
    private static let stopToken = UInt64.max

    public init() throws {
        (tokens, continuation) = AsyncStream.makeStream(of: UInt64.self, bufferingPolicy: .unbounded)
        epoll = dv_epoll_create()
        guard epoll >= 0 else { throw SystemError(call: "epoll_create1", errno: errno) }
        wake = dv_eventfd(0, dv_efd_cloexec() | dv_efd_nonblock())
        guard wake >= 0 else {
            close(epoll)
            throw SystemError(call: "eventfd", errno: errno)
        }
        try watch(wake, token: Self.stopToken)
    }

    deinit {
        stop()
        close(wake)
        close(epoll)
    }

    /// Starts delivering tokens for `fd` whenever it becomes readable (or hangs up).
    public func watch(_ fd: Int32, token: UInt64) throws {
        let events = dv_epollin() | dv_epollet()
        guard dv_epoll_add(epoll, fd, events, token) == 0 else {
            throw SystemError(call: "epoll_ctl(ADD, fd \(fd))", errno: errno)
        }
    }

    public func unwatch(_ fd: Int32) {
        _ = dv_epoll_del(epoll, fd)
    }

    public func start() {
        let unmanaged = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { raw in
            let pump = Unmanaged<EventPump>.fromOpaque(raw!).takeRetainedValue()
            pump.loop()
            return nil
        }, unmanaged.toOpaque())
        if rc == 0 { thread = handle } else { unmanaged.release(); continuation.finish() }
    }

    /// Ends the stream and joins the thread. Idempotent.
    public func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = dv_eventfd_signal(wake)
        if let thread { pthread_join(thread, nil) }
        thread = nil
        continuation.finish()
    }

    private func loop() {
        var tokens = [UInt64](repeating: 0, count: 64)
        var events = [UInt32](repeating: 0, count: 64)
        while !stopping.load(ordering: .acquiring) {
            let n = dv_epoll_wait(epoll, &tokens, &events, 64, -1)
            if n < 0 { break }
            for i in 0..<Int(n) where tokens[i] != Self.stopToken {
                continuation.yield(tokens[i])
            }
        }
        continuation.finish()
    }
}
