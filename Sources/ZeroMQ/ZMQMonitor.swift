import CZeroMQ
import Glibc

/// Watches one socket's connections (`zmq_socket_monitor`): libzmq publishes the socket's
/// connect, disconnect and handshake events on an inproc PAIR socket, which this type owns
/// and reads. It is how a program learns what the API never says: that nothing listens at an
/// endpoint, that a peer refused the handshake (another socket type), or that it went away.
///
/// Create it before the watched socket connects or binds (earlier events are not replayed).
/// Like any socket it belongs to one thread at a time: create it with the watched socket and
/// move both together. Poll `socket` for `.readable`, then call `next(dontWait: true)` until nil.
/// Close it before the watched socket's context is terminated (`close`, or `deinit`).
public final class ZMQMonitor: @unchecked Sendable {
    /// The PAIR socket the events arrive on: poll it with `ZMQPoll`.
    public let socket: ZMQSocket

    public init(watching watched: ZMQSocket) throws(ZMQError) {
        let handle = try watched.liveHandle("zmq_socket_monitor")
        // The watched socket's address names the inproc endpoint: unique while it lives.
        let address = "inproc://detview-monitor-\(UInt(bitPattern: handle))"
        guard zmq_socket_monitor(handle, address, ZMQ_EVENT_ALL) == 0 else {
            throw ZMQError.last("zmq_socket_monitor", address)
        }
        let pair = try ZMQSocket(watched.context, .pair)
        do {
            try pair.connect(address)
        } catch {
            pair.close()
            throw error
        }
        socket = pair
    }

    deinit { close() }

    public func close() { socket.close() }

    /// The next event; nil when none is queued (`dontWait`) or the receive timeout expired.
    /// Each event is two parts: 6 bytes (the 16-bit event, the 32-bit value, host order), then
    /// the endpoint.
    public func next(dontWait: Bool = false) throws(ZMQError) -> ZMQMonitorEvent? {
        guard let parts = try socket.receiveMultipart(dontWait: dontWait) else { return nil }
        guard parts.count == 2, parts[0].count >= 6 else {
            throw ZMQError(call: "zmq_msg_recv", code: EPROTO, subject: "socket monitor event of \(parts.count) parts")
        }
        let (code, value) = parts[0].withUnsafeBytes { bytes in
            (bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self), bytes.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        }
        let endpoint = String(decoding: parts[1].bytes, as: UTF8.self)
        return ZMQMonitorEvent(kind: ZMQMonitorEvent.Kind(code: code), value: value, endpoint: endpoint)
    }
}
