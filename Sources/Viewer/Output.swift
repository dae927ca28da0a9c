import Platform

// `writeAll(_:_:)` is Platform's one write-all loop; this file keeps the batching of lines.

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
