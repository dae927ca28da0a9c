import SystemPackage

/// Writes all of `bytes` to `fd`: the one write-all loop of the code base (swift-system's,
/// which retries short writes and EINTR). Throws on any other error (EPIPE when a headless
/// reader went away, EAGAIN on a full non-blocking pipe).
public func writeAll(_ fd: Int32, bytes: some Sequence<UInt8>) throws(SystemCallError) {
    do {
        _ = try FileDescriptor(rawValue: fd).writeAll(bytes)
    } catch {
        throw SystemCallError(call: "write(fd \(fd))", errno: error as? Errno ?? .ioError)
    }
}

/// Writes all of `text` to `fd`; false on an error (see `writeAll(_:bytes:)`).
@discardableResult
public func writeAll(_ fd: Int32, _ text: String) -> Bool {
    do {
        try writeAll(fd, bytes: text.utf8)
        return true
    } catch {
        return false
    }
}
