import CZeroMQ

/// Readiness of a socket or file descriptor, as in `ZMQ_EVENTS` and `zmq_pollitem_t`.
/// A plain value, shared freely.
public struct ZMQEvents: OptionSet, Sendable, Hashable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// At least one message (or, for a file descriptor, data) can be read without blocking.
    public static let readable = ZMQEvents(rawValue: Int16(ZMQ_POLLIN))
    /// At least one message can be sent without blocking.
    public static let writable = ZMQEvents(rawValue: Int16(ZMQ_POLLOUT))
    /// An error condition on a raw file descriptor (never reported for sockets).
    public static let error = ZMQEvents(rawValue: Int16(ZMQ_POLLERR))
    /// Urgent data on a raw file descriptor.
    public static let priority = ZMQEvents(rawValue: Int16(ZMQ_POLLPRI))
}
