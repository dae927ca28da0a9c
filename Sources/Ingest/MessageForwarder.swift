import Glibc
import Platform
import Synchronization
import ZeroMQ

/// `view --forward ENDPOINT`: re-sends every message the receiver takes from its upstream socket,
/// unchanged, on a PUSH socket bound at ENDPOINT, where the file writer connects as it would to
/// the detector. detview then sits between a PUSH detector and its file writer, and its own PULL
/// is the only puller on the detector, so it takes no share from anyone.
///
/// Why bind: a file writer normally connects to the detector's PUSH; binding the same kind of
/// socket makes detview a drop-in (point the file writer at ENDPOINT instead of the detector).
///
/// Zero-copy: each part is re-sent through one reusable message that shares the received part's
/// content (`zmq_msg_copy`, reference-counted by libzmq), so the bytes are never copied and the
/// receiver still decodes the part afterwards. Multipart boundaries are kept (`ZMQ_SNDMORE` on
/// every part but the last). Back-pressure is honoured, never dropped: when the downstream queue
/// is full the forward waits (in `zmq_poll` on the PUSH socket and the receiver's stop eventfd),
/// so the receiver stops reading, its upstream queue fills, and the detector is held back exactly
/// as its own file writer would hold it. Only the viewer's own processing drops (in the ring).
///
/// Owned by the receive thread (ZeroMQ sockets are not thread-safe); `counters` is read by anyone.
public final class MessageForwarder: @unchecked Sendable {
    /// What the forward has done so far, as read at one instant.
    public struct Snapshot: Sendable, Equatable {
        /// The endpoint the file writer connects to (a wildcard port resolved).
        public var endpoint: String
        public var messages: UInt64 = 0
        public var bytes: UInt64 = 0
        /// Time spent waiting for the downstream to take a message (back-pressure).
        public var blockedNanoseconds: UInt64 = 0
        /// Waiting for the downstream right now (nothing connected, or it reads too slowly).
        public var waiting = false

        public init(endpoint: String) { self.endpoint = endpoint }
    }

    /// The forward's counters: written by the receive thread, read by the viewer.
    public final class Counters: Sendable {
        public let endpoint: String
        let messages = Atomic<UInt64>(0)
        let bytes = Atomic<UInt64>(0)
        let blockedNanoseconds = Atomic<UInt64>(0)
        /// When the current wait began (0: not waiting), so a wait in progress counts too.
        let waitingSince = Atomic<UInt64>(0)

        init(endpoint: String) { self.endpoint = endpoint }

        public func snapshot(now: UInt64 = MonotonicClock.nanoseconds) -> Snapshot {
            var s = Snapshot(endpoint: endpoint)
            let since = waitingSince.load(ordering: .acquiring)
            s.messages = messages.load(ordering: .relaxed)
            s.bytes = bytes.load(ordering: .relaxed)
            s.blockedNanoseconds = blockedNanoseconds.load(ordering: .relaxed)
            if since != 0 {
                s.waiting = true
                s.blockedNanoseconds &+= now > since ? now - since : 0
            }
            return s
        }
    }

    public let counters: Counters
    private let socket: ZMQSocket
    /// Refilled with a share of each part and emptied by each send: no allocation per message.
    private let outgoing = ZMQMessage()

    /// Binds a PUSH socket at `endpoint` (tcp:// or ipc://; checked like every endpoint, refused
    /// with why). `lingerMilliseconds`: how long closing still delivers messages already taken
    /// from the detector, bounded so that a vanished file writer cannot hold the viewer's exit.
    public init(context: ZMQContext, endpoint: String, sendHighWaterMark: Int32 = 1000,
                lingerMilliseconds: Int32 = 1000) throws {
        try EndpointCheck.validate(endpoint, binding: true)
        let socket = try ZMQSocket(context, .push)
        do {
            try socket.setSendHighWaterMark(sendHighWaterMark)
            try socket.setLinger(milliseconds: lingerMilliseconds)
            try socket.bind(endpoint)
            counters = Counters(endpoint: try socket.lastEndpoint)
        } catch {
            socket.close()
            throw error
        }
        self.socket = socket
    }

    /// Sends `parts` downstream as one message, unchanged, waiting as long as the downstream
    /// needs. Returns false only when `stopFD` became readable during a wait (the viewer is
    /// quitting; the message was not forwarded). Throws on a socket failure.
    public func forward(_ parts: [ZMQMessage], stopFD: Int32? = nil) throws(ZMQError) -> Bool {
        guard let first = parts.first else { return true }
        try outgoing.share(first)
        if !(try socket.send(outgoing, more: parts.count > 1, dontWait: true)) {
            guard try waitUntilTaken(more: parts.count > 1, stopFD: stopFD) else { return false }
        }
        var bytes = first.count
        for index in parts.indices.dropFirst() {
            try outgoing.share(parts[index])
            // Once the first part is queued, libzmq takes the rest of the message without waiting.
            guard try socket.send(outgoing, more: index < parts.count - 1, dontWait: true) else {
                throw ZMQError(call: "zmq_msg_send", code: EAGAIN, subject: "forward part \(index)")
            }
            bytes += parts[index].count
        }
        counters.messages.add(1, ordering: .relaxed)
        counters.bytes.add(UInt64(bytes), ordering: .relaxed)
        return true
    }

    /// The first part met a full downstream queue (or no downstream yet): waits until it is taken.
    private func waitUntilTaken(more: Bool, stopFD: Int32?) throws(ZMQError) -> Bool {
        let start = MonotonicClock.nanoseconds
        counters.waitingSince.store(start, ordering: .releasing)
        defer {
            counters.blockedNanoseconds.add(MonotonicClock.nanoseconds &- start, ordering: .relaxed)
            counters.waitingSince.store(0, ordering: .releasing)
        }
        var items = [ZMQPollItem.socket(socket, .writable)]
        if let stopFD { items.append(.fileDescriptor(stopFD, .readable)) }
        while true {
            let ready = try ZMQPoll.wait(items, timeoutMilliseconds: -1)
            if items.count > 1, ready[1].contains(.readable) { return false }
            if try socket.send(outgoing, more: more, dontWait: true) { return true }
        }
    }

    /// Closes the socket; messages already queued are delivered for up to the linger time.
    public func close() {
        socket.close()
    }
}
