import Glibc

/// Writes all of `text` to a file descriptor, retrying on EINTR and short writes.
/// Returns false on any other error (EPIPE when a headless reader went away).
@discardableResult
public func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}

/// The JSON Lines of headless mode, collected during one wake-up and written with one
/// system call, so a per-frame stream costs a write per batch, not per frame.
struct LineOutput {
    private var pending = ""
    private(set) var failed = false

    mutating func append(_ line: String) {
        guard !failed else { return }
        pending += line
        pending += "\n"
    }

    /// False once stdout has failed (the reader went away).
    mutating func flush(to fd: Int32 = 1) -> Bool {
        guard !failed else { return false }
        guard !pending.isEmpty else { return true }
        failed = !writeAll(fd, pending)
        pending = ""
        return !failed
    }
}
