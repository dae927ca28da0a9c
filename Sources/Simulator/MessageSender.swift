import Glibc
import ZeroMQ

/// Sends the simulator's messages part by part. On the reliable paths (XPUB_NODROP, and PUSH,
/// which never drops) a full queue or a missing peer answers EAGAIN: the sender waits a little
/// and retries, so a test consumer never loses a frame; a stop request bounds that wait to a
/// second. Plain PUB never blocks (it drops, like a real receiver). Owned by the sending thread.
struct MessageSender {
    let socket: ZMQSocket
    let reliable: Bool
    let stop: StopSignal

    /// False when a stop request gave up on a blocked send.
    func send(_ message: [OutgoingPart], payload: UnsafeRawBufferPointer) throws(ZMQError) -> Bool {
        for (i, part) in message.enumerated() {
            let more = i + 1 < message.count
            let sent: Bool
            switch part {
            case .payload: sent = try send(payload, more: more)
            case .bytes(let bytes):
                sent = try bytes.withUnsafeBytes { b in
                    Result { () throws(ZMQError) -> Bool in try send(b, more: more) }
                }.get()
            }
            if !sent { return false }
        }
        return true
    }

    private func send(_ bytes: UnsafeRawBufferPointer, more: Bool) throws(ZMQError) -> Bool {
        guard reliable else { return try socket.send(bytes, more: more) }
        var stoppedAt: UInt64?
        while true {
            if try socket.send(bytes, more: more, dontWait: true) { return true }
            if stop.isRequested {
                let now = Pacer.now()
                if let t = stoppedAt, now - t > 1_000_000_000 { return false }
                if stoppedAt == nil { stoppedAt = now }
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 200_000)
            nanosleep(&pause, nil)
        }
    }
}
