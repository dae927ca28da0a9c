import Glibc
import Platform
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
    private let epoll: Epoll
    private let wake: EventFD
    private let stopping = Atomic<Bool>(false)
    private var thread: pthread_t?

    /// The token reserved for the pump's own stop signal.
    private static let stopToken = UInt64.max

    public init() throws {
        (tokens, continuation) = AsyncStream.makeStream(of: UInt64.self, bufferingPolicy: .unbounded)
        epoll = try Epoll()
        wake = try EventFD()
        try epoll.add(wake.fd, token: Self.stopToken)
    }

    deinit {
        stop()   // the epoll set and the wake eventfd close with the pump, once
    }

    /// Starts delivering tokens for `fd` whenever it becomes readable (or hangs up).
    public func watch(_ fd: Int32, token: UInt64) throws {
        try epoll.add(fd, token: token)
    }

    public func unwatch(_ fd: Int32) {
        epoll.remove(fd)
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
        try? wake.signal()
        if let thread { pthread_join(thread, nil) }
        thread = nil
        continuation.finish()
    }

    private func loop() {
        while !stopping.load(ordering: .acquiring) {
            guard let ready = try? epoll.wait() else { break }
            for entry in ready where entry.token != Self.stopToken {
                continuation.yield(entry.token)
            }
        }
        continuation.finish()
    }
}
