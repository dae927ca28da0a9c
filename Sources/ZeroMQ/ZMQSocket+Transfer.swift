import CZeroMQ
import Glibc

/// Sending and receiving. A `false` or `nil` result always means EAGAIN: `dontWait` found nothing
/// to do, or a send/receive timeout expired. Every other failure throws; a signal interrupting a
/// blocking call throws an error whose `isInterrupted` is true.
extension ZMQSocket {
    // MARK: Sending

    /// Sends a copy of `bytes` as one part; `more` says further parts of the same message follow.
    public func send(_ bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let socket = try liveHandle("zmq_send")
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        if zmq_send(socket, bytes.baseAddress, bytes.count, flags) >= 0 { return true }
        let error = ZMQError.last("zmq_send")
        if error.isAgain { return false }
        throw error
    }

    /// Sends a copy of `bytes` as one part; `more` says further parts of the same message follow.
    public func send(_ bytes: [UInt8], more: Bool = false, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let result: Result<Bool, ZMQError> = bytes.withUnsafeBytes { buffer in
            do throws(ZMQError) { return .success(try send(buffer, more: more, dontWait: dontWait)) }
            catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Sends `parts` as one logical message (all parts arrive, or none).
    /// Returns false only when the first part met EAGAIN; libzmq then queued nothing.
    public func sendMultipart(_ parts: [[UInt8]], dontWait: Bool = false) throws(ZMQError) -> Bool {
        guard !parts.isEmpty else {
            throw ZMQError(call: "zmq_send", code: EINVAL, subject: "multipart message without parts")
        }
        for (index, part) in parts.enumerated() {
            let more = index < parts.count - 1
            // Once the first part is accepted libzmq accepts the rest without waiting, so only the
            // first may report EAGAIN; later parts never block.
            let sent = try send(part, more: more, dontWait: index == 0 ? dontWait : false)
            if !sent {
                guard index == 0 else { throw ZMQError(call: "zmq_send", code: EAGAIN, subject: "part \(index)") }
                return false
            }
        }
        return true
    }

    /// Sends `message` without copying its bytes: libzmq takes over the content and `message` is
    /// left empty (count 0) on success, unchanged when the result is false or an error is thrown.
    public func send(_ message: ZMQMessage, more: Bool = false, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let socket = try liveHandle("zmq_msg_send")
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        if zmq_msg_send(message.pointer, socket, flags) >= 0 { return true }
        let error = ZMQError.last("zmq_msg_send")
        if error.isAgain { return false }
        throw error
    }

    // MARK: Receiving

    /// Receives one part into `message`, replacing its content, zero-copy: the bytes stay in
    /// libzmq's buffer. Reusing one message object avoids an allocation per part.
    /// Returns false on EAGAIN (`dontWait` and nothing queued, or the receive timeout expired).
    public func receive(into message: ZMQMessage, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let socket = try liveHandle("zmq_msg_recv")
        if zmq_msg_recv(message.pointer, socket, dontWait ? ZMQ_DONTWAIT : 0) >= 0 { return true }
        let error = ZMQError.last("zmq_msg_recv")
        if error.isAgain { return false }
        throw error
    }

    /// Receives one part zero-copy; nil on EAGAIN. Check `hasMore` for further parts.
    public func receive(dontWait: Bool = false) throws(ZMQError) -> ZMQMessage? {
        let message = ZMQMessage()
        return try receive(into: message, dontWait: dontWait) ? message : nil
    }

    /// Receives all parts of one logical message; nil on EAGAIN before the first part.
    /// libzmq delivers multipart messages atomically, so once the first part is here the rest is too.
    public func receiveMultipart(dontWait: Bool = false) throws(ZMQError) -> [ZMQMessage]? {
        guard let first = try receive(dontWait: dontWait) else { return nil }
        var parts = [first]
        while parts[parts.count - 1].hasMore {
            guard let next = try receive(dontWait: true) else {
                throw ZMQError(call: "zmq_msg_recv", code: EAGAIN, subject: "part \(parts.count) missing")
            }
            parts.append(next)
        }
        return parts
    }
}
