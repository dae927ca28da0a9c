import CZeroMQ

/// Socket options (`zmq_setsockopt` / `zmq_getsockopt`), each wrapped once.
extension ZMQSocket {
    /// SUB: receive messages whose first part starts with `prefix`; the empty prefix means all.
    public func subscribe(_ prefix: [UInt8] = []) throws(ZMQError) {
        try setBytesOption(ZMQ_SUBSCRIBE, prefix, "ZMQ_SUBSCRIBE")
    }

    /// SUB: undo one `subscribe` of the same prefix.
    public func unsubscribe(_ prefix: [UInt8] = []) throws(ZMQError) {
        try setBytesOption(ZMQ_UNSUBSCRIBE, prefix, "ZMQ_UNSUBSCRIBE")
    }

    /// ZMQ_RCVHWM: at most `n` whole messages queued for receiving per peer (0 = unlimited).
    public func setReceiveHighWaterMark(_ n: Int32) throws(ZMQError) {
        try setIntOption(ZMQ_RCVHWM, n, "ZMQ_RCVHWM")
    }

    /// ZMQ_SNDHWM: at most `n` whole messages queued for sending per peer (0 = unlimited).
    /// At the mark PUB drops silently, other types block or return EAGAIN.
    public func setSendHighWaterMark(_ n: Int32) throws(ZMQError) {
        try setIntOption(ZMQ_SNDHWM, n, "ZMQ_SNDHWM")
    }

    /// ZMQ_LINGER: how long `close` keeps unsent messages (-1 forever, which can hang exit).
    public func setLinger(milliseconds: Int32) throws(ZMQError) {
        try setIntOption(ZMQ_LINGER, milliseconds, "ZMQ_LINGER")
    }

    /// ZMQ_RCVTIMEO: a blocking `receive` returns nil after this long (-1 waits forever).
    public func setReceiveTimeout(milliseconds: Int32) throws(ZMQError) {
        try setIntOption(ZMQ_RCVTIMEO, milliseconds, "ZMQ_RCVTIMEO")
    }

    /// ZMQ_SNDTIMEO: a blocking `send` returns false after this long (-1 waits forever).
    public func setSendTimeout(milliseconds: Int32) throws(ZMQError) {
        try setIntOption(ZMQ_SNDTIMEO, milliseconds, "ZMQ_SNDTIMEO")
    }

    /// ZMQ_XPUB_NODROP: at the send high-water mark an XPUB/PUB `send` reports EAGAIN
    /// (`send` returns false with `dontWait`) instead of dropping the message silently.
    public func setXPubNoDrop(_ enabled: Bool) throws(ZMQError) {
        try setIntOption(ZMQ_XPUB_NODROP, enabled ? 1 : 0, "ZMQ_XPUB_NODROP")
    }

    /// ZMQ_IMMEDIATE: queue messages only to completed connections, not to peers still connecting.
    public func setImmediate(_ enabled: Bool) throws(ZMQError) {
        try setIntOption(ZMQ_IMMEDIATE, enabled ? 1 : 0, "ZMQ_IMMEDIATE")
    }

    /// ZMQ_RCVBUF: the kernel receive buffer of tcp/ipc connections in bytes (-1 = OS default).
    public func setReceiveBufferSize(_ bytes: Int32) throws(ZMQError) {
        try setIntOption(ZMQ_RCVBUF, bytes, "ZMQ_RCVBUF")
    }

    /// ZMQ_SNDBUF: the kernel send buffer of tcp/ipc connections in bytes (-1 = OS default).
    public func setSendBufferSize(_ bytes: Int32) throws(ZMQError) {
        try setIntOption(ZMQ_SNDBUF, bytes, "ZMQ_SNDBUF")
    }

    /// ZMQ_MAXMSGSIZE: a peer announcing a message part larger than `bytes` is disconnected and
    /// the part never allocated, which bounds memory against absurd or hostile sizes (-1 = no limit).
    /// Applies to tcp and ipc connections, not to inproc.
    public func setMaxMessageSize(_ bytes: Int64) throws(ZMQError) {
        let socket = try liveHandle("zmq_setsockopt", "ZMQ_MAXMSGSIZE")
        var value = bytes
        guard zmq_setsockopt(socket, ZMQ_MAXMSGSIZE, &value, MemoryLayout<Int64>.size) == 0 else {
            throw ZMQError.last("zmq_setsockopt", "ZMQ_MAXMSGSIZE")
        }
    }

    func setIntOption(_ option: Int32, _ value: Int32, _ name: String) throws(ZMQError) {
        let socket = try liveHandle("zmq_setsockopt", name)
        var value = value
        guard zmq_setsockopt(socket, option, &value, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError.last("zmq_setsockopt", name)
        }
    }

    func setBytesOption(_ option: Int32, _ bytes: [UInt8], _ name: String) throws(ZMQError) {
        let socket = try liveHandle("zmq_setsockopt", name)
        let result = bytes.withUnsafeBytes { zmq_setsockopt(socket, option, $0.baseAddress, $0.count) }
        guard result == 0 else { throw ZMQError.last("zmq_setsockopt", name) }
    }

    func intOption(_ option: Int32, _ name: String) throws(ZMQError) -> Int32 {
        let socket = try liveHandle("zmq_getsockopt", name)
        var value: Int32 = 0
        var length = MemoryLayout<Int32>.size
        guard zmq_getsockopt(socket, option, &value, &length) == 0 else {
            throw ZMQError.last("zmq_getsockopt", name)
        }
        return value
    }
}
