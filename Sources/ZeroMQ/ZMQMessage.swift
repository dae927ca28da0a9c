import CZeroMQ
import Glibc

/// One ZeroMQ message part: owns one `zmq_msg_t` and closes it in `deinit`.
///
/// The `zmq_msg_t` lives in its own heap allocation and is never bit-copied: small messages keep
/// their bytes inside the struct, and large ones are reference-counted by libzmq, so a copy would
/// corrupt either. A received message's bytes are libzmq's own buffer (zero-copy); read them with
/// `withUnsafeBytes` while the message is alive.
///
/// Single owner at a time. It is `@unchecked Sendable` only so a message can be handed to another
/// thread; it has no locking and must never be used by two threads at once.
public final class ZMQMessage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<zmq_msg_t>

    /// An empty message, ready to receive into.
    public init() {
        pointer = .allocate(capacity: 1)
        zmq_msg_init(pointer)  // cannot fail
    }

    /// A message of `capacity` uninitialised bytes, to be filled with `withUnsafeMutableBytes`
    /// and then sent without a further copy.
    public init(capacity: Int) throws(ZMQError) {
        guard capacity >= 0 else {
            throw ZMQError(call: "zmq_msg_init_size", code: EINVAL, subject: "\(capacity) bytes")
        }
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        guard zmq_msg_init_size(message, capacity) == 0 else {
            let error = ZMQError.last("zmq_msg_init_size", "\(capacity) bytes")
            message.deallocate()
            throw error
        }
        pointer = message
    }

    /// A message holding a copy of `bytes`.
    public convenience init(copying bytes: UnsafeRawBufferPointer) throws(ZMQError) {
        try self.init(capacity: bytes.count)
        if let source = bytes.baseAddress, bytes.count > 0 {
            zmq_msg_data(pointer).copyMemory(from: source, byteCount: bytes.count)
        }
    }

    /// A message holding a copy of `bytes`.
    public convenience init(copying bytes: [UInt8]) throws(ZMQError) {
        try self.init(capacity: bytes.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress, source.count > 0 {
                zmq_msg_data(pointer).copyMemory(from: base, byteCount: source.count)
            }
        }
    }

    /// A second message sharing `other`'s content without copying it (`zmq_msg_copy`): large
    /// contents are reference-counted by libzmq. Lets a sender emit one big buffer many times.
    /// Neither message's bytes may be modified afterwards.
    public init(sharing other: ZMQMessage) throws(ZMQError) {
        let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        zmq_msg_init(message)
        guard zmq_msg_copy(message, other.pointer) == 0 else {
            let error = ZMQError.last("zmq_msg_copy")
            zmq_msg_close(message)
            message.deallocate()
            throw error
        }
        pointer = message
    }

    /// Replaces this message's content with a share of `other`'s (`zmq_msg_copy`, which releases
    /// the old content first): large contents are reference-counted, never copied byte by byte;
    /// only a very small part (libzmq keeps up to 33 bytes inside the `zmq_msg_t`) is copied.
    /// How a forwarder re-sends a received part and still reads it afterwards: one reusable
    /// message, filled here and emptied again by a successful `ZMQSocket.send(_:more:dontWait:)`.
    public func share(_ other: ZMQMessage) throws(ZMQError) {
        guard zmq_msg_copy(pointer, other.pointer) == 0 else { throw ZMQError.last("zmq_msg_copy") }
    }

    deinit {
        zmq_msg_close(pointer)
        pointer.deallocate()
    }

    /// The number of bytes in the message.
    public var count: Int { zmq_msg_size(pointer) }

    /// True when this received part is followed by more parts of the same logical message.
    public var hasMore: Bool { zmq_msg_more(pointer) != 0 }

    /// Calls `body` with the message's bytes, which are valid only during the call.
    public func withUnsafeBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: zmq_msg_data(pointer), count: zmq_msg_size(pointer)))
    }

    /// Calls `body` with the message's bytes for writing, to fill a message before sending it.
    /// Do not write to a received message or one made with `init(sharing:)`: libzmq may share it.
    public func withUnsafeMutableBytes<R, E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: zmq_msg_data(pointer), count: zmq_msg_size(pointer)))
    }

    /// A copy of the bytes; convenient for tests and small header parts, not for frames.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }
}
