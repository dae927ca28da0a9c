import CZeroMQ

/// One event of a socket monitor (`zmq_socket_monitor`): what happened to which connection.
/// A plain value, shared freely.
public struct ZMQMonitorEvent: Sendable, Equatable {
    /// The libzmq event; `value` means what each case says.
    public enum Kind: Sendable, Equatable, Hashable {
        /// A connection to the peer is up (value: its fd); the ZeroMQ handshake comes next.
        case connected
        /// A connect is in progress (value: the errno, usually EINPROGRESS).
        case connectDelayed
        /// A connect failed and is retried (value: the reconnect interval in ms).
        case connectRetried
        case listening
        /// value: the errno.
        case bindFailed
        /// A peer connected to a bound endpoint (value: its fd).
        case accepted
        case acceptFailed
        /// A connection's fd was closed (value: the fd).
        case closed
        case closeFailed
        /// A connection was lost or dropped (value: the fd): the peer went away, or refused the
        /// handshake (libzmq 4.3 reports a socket-type mismatch this way, without a handshake event).
        case disconnected
        /// The monitor ended (the socket closed or the monitor was stopped).
        case monitorStopped
        case handshakeFailedNoDetail
        case handshakeSucceeded
        /// value: a `ZMQ_PROTOCOL_ERROR_*` code.
        case handshakeFailedProtocol
        case handshakeFailedAuth
        /// An event this wrapper does not know (a newer libzmq).
        case other(UInt16)

        init(code: UInt16) {
            switch Int32(code) {
            case ZMQ_EVENT_CONNECTED: self = .connected
            case ZMQ_EVENT_CONNECT_DELAYED: self = .connectDelayed
            case ZMQ_EVENT_CONNECT_RETRIED: self = .connectRetried
            case ZMQ_EVENT_LISTENING: self = .listening
            case ZMQ_EVENT_BIND_FAILED: self = .bindFailed
            case ZMQ_EVENT_ACCEPTED: self = .accepted
            case ZMQ_EVENT_ACCEPT_FAILED: self = .acceptFailed
            case ZMQ_EVENT_CLOSED: self = .closed
            case ZMQ_EVENT_CLOSE_FAILED: self = .closeFailed
            case ZMQ_EVENT_DISCONNECTED: self = .disconnected
            case ZMQ_EVENT_MONITOR_STOPPED: self = .monitorStopped
            case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: self = .handshakeFailedNoDetail
            case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: self = .handshakeSucceeded
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: self = .handshakeFailedProtocol
            case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: self = .handshakeFailedAuth
            default: self = .other(code)
            }
        }
    }

    public var kind: Kind
    public var value: UInt32
    /// The endpoint the event concerns, as given to connect or bind.
    public var endpoint: String

    public init(kind: Kind, value: UInt32 = 0, endpoint: String) {
        self.kind = kind
        self.value = value
        self.endpoint = endpoint
    }
}
