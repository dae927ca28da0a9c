import CZeroMQ
import Glibc

/// One thing to wait on with `ZMQPoll.wait`: a socket or a raw file descriptor (an eventfd, a pipe,
/// stdin), and the events of interest. Built and used by the thread that owns the sockets in it.
public struct ZMQPollItem {
    enum Target {
        case socket(ZMQSocket)
        case fileDescriptor(Int32)
    }

    let target: Target
    public let events: ZMQEvents

    /// Waits for `events` on a socket; `.readable` means a whole message can be received.
    public static func socket(_ socket: ZMQSocket, _ events: ZMQEvents = .readable) -> ZMQPollItem {
        ZMQPollItem(target: .socket(socket), events: events)
    }

    /// Waits for `events` on a file descriptor, as `poll(2)` would (level-triggered).
    public static func fileDescriptor(_ fd: Int32, _ events: ZMQEvents = .readable) -> ZMQPollItem {
        ZMQPollItem(target: .fileDescriptor(fd), events: events)
    }
}

/// `zmq_poll` over sockets and raw file descriptors together: how the receiver thread sleeps
/// until its socket has a message or its stop eventfd is written. Stateless; call it from the
/// thread that owns the sockets.
public enum ZMQPoll {
    /// Waits until at least one item is ready or `timeoutMilliseconds` pass (-1: forever,
    /// 0: just look). Returns each item's ready events, in order; all empty on timeout.
    /// An interrupting signal does not end the wait early: it is retried with the time left.
    public static func wait(_ items: [ZMQPollItem], timeoutMilliseconds: Int) throws(ZMQError) -> [ZMQEvents] {
        var pollItems: [zmq_pollitem_t] = []
        pollItems.reserveCapacity(items.count)
        for item in items {
            switch item.target {
            case .socket(let socket):
                let handle = try socket.liveHandle("zmq_poll")
                pollItems.append(zmq_pollitem_t(socket: handle, fd: -1, events: item.events.rawValue, revents: 0))
            case .fileDescriptor(let fd):
                pollItems.append(zmq_pollitem_t(socket: nil, fd: fd, events: item.events.rawValue, revents: 0))
            }
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(max(timeoutMilliseconds, 0)))
        var timeout = timeoutMilliseconds
        while true {
            let count = Int32(pollItems.count)
            let result = pollItems.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, count, timeout) }
            if result >= 0 {
                return pollItems.map { ZMQEvents(rawValue: $0.revents) }
            }
            let error = ZMQError.last("zmq_poll")
            guard error.isInterrupted else { throw error }
            if timeoutMilliseconds > 0 {
                timeout = max(0, milliseconds(clock.now.duration(to: deadline)))
            }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
