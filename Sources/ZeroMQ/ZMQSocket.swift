import CZeroMQ
import Glibc

/// One libzmq socket: bind/connect, options, send and receive (in the `ZMQSocket+…` files).
///
/// NOT thread-safe: libzmq sockets must be used by one thread at a time, with a memory barrier when
/// ownership moves. It is `@unchecked Sendable` only so that it can be created in one place and
/// handed to the thread that owns it from then on (the viewer's receiver thread, a simulator
/// sender); never touch it from two threads. `close()` (or `deinit`) releases it; the socket keeps
/// its `ZMQContext` alive until then.
public final class ZMQSocket: @unchecked Sendable {
    /// The context the socket was made from; retained so the context outlives it.
    public let context: ZMQContext
    public let type: ZMQSocketType
    /// nil once closed.
    private var handle: UnsafeMutableRawPointer?

    public init(_ context: ZMQContext, _ type: ZMQSocketType) throws(ZMQError) {
        guard let socket = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket")
        }
        self.context = context
        self.type = type
        handle = socket
        do {
            try setLinger(milliseconds: context.defaultLingerMilliseconds)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Closes the socket; later calls fail with `ENOTSOCK` (`ZMQError.isClosed`). Idempotent.
    /// Queued outgoing messages are kept for the linger time, in libzmq's I/O thread.
    public func close() {
        guard let socket = handle else { return }
        handle = nil
        zmq_close(socket)
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { handle == nil }

    /// The live handle for `call`, or `ENOTSOCK` once closed.
    func liveHandle(_ call: String, _ subject: String? = nil) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let socket = handle else {
            throw ZMQError(call: call, code: ENOTSOCK, subject: subject)
        }
        return socket
    }

    /// Binds to an endpoint such as `tcp://*:9999`, `tcp://127.0.0.1:*`, `ipc:///tmp/x`, `inproc://name`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        let socket = try liveHandle("zmq_bind", endpoint)
        guard zmq_bind(socket, endpoint) == 0 else { throw ZMQError.last("zmq_bind", endpoint) }
    }

    /// Connects to an endpoint; for tcp the connection is made (and remade) in the background.
    public func connect(_ endpoint: String) throws(ZMQError) {
        let socket = try liveHandle("zmq_connect", endpoint)
        guard zmq_connect(socket, endpoint) == 0 else { throw ZMQError.last("zmq_connect", endpoint) }
    }

    /// Stops listening on a bound endpoint (pass the resolved `lastEndpoint` for wildcard binds).
    public func unbind(_ endpoint: String) throws(ZMQError) {
        let socket = try liveHandle("zmq_unbind", endpoint)
        guard zmq_unbind(socket, endpoint) == 0 else { throw ZMQError.last("zmq_unbind", endpoint) }
    }

    /// Drops a connection made with `connect`.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        let socket = try liveHandle("zmq_disconnect", endpoint)
        guard zmq_disconnect(socket, endpoint) == 0 else { throw ZMQError.last("zmq_disconnect", endpoint) }
    }

    /// The endpoint last bound or connected, with wildcards resolved: after binding
    /// `tcp://127.0.0.1:*` it names the port the kernel chose.
    public var lastEndpoint: String {
        get throws(ZMQError) {
            let socket = try liveHandle("zmq_getsockopt", "ZMQ_LAST_ENDPOINT")
            var buffer = [UInt8](repeating: 0, count: 1024)
            var length = buffer.count
            guard zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, &buffer, &length) == 0 else {
                throw ZMQError.last("zmq_getsockopt", "ZMQ_LAST_ENDPOINT")
            }
            // libzmq reports the length including the terminating NUL.
            let text = buffer.prefix(min(length, buffer.count)).prefix { $0 != 0 }
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// `ZMQ_FD`: a file descriptor that becomes readable when the socket's `events` MAY have
    /// changed. It is edge-triggered and does not mean a message is waiting: after it fires, read
    /// `events` and `receive(dontWait: true)` until `events` no longer contains `.readable`,
    /// or messages stay queued with no further wake-up. Owned by the socket: never close it.
    public var fileDescriptor: Int32 {
        get throws(ZMQError) { try intOption(ZMQ_FD, "ZMQ_FD") }
    }

    /// `ZMQ_EVENTS`: whether a message can be received or sent now without blocking.
    /// Reading it also re-arms the edge of `fileDescriptor`.
    public var events: ZMQEvents {
        get throws(ZMQError) { ZMQEvents(rawValue: Int16(truncatingIfNeeded: try intOption(ZMQ_EVENTS, "ZMQ_EVENTS"))) }
    }
}
