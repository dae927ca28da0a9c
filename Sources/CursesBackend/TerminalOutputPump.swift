import Foundation
import Platform

#if canImport(Glibc)
import Glibc
#endif

/// Carries what ncurses writes to the terminal and counts the bytes that reached it.
///
/// ncurses writes its output with `write(2)` on the descriptor of the `FILE*` it was given,
/// never through the `FILE*` itself (a `fopencookie` stream has no descriptor, and ncurses then
/// writes nothing at all), so the only exact count is taken between ncurses and the terminal:
/// ncurses writes into a pipe, and a drain thread copies the pipe to the terminal, adding up
/// what each `write` to the terminal returned. The thread, not the main thread, is the one that
/// blocks while nothing reads the terminal; it marks those writes for `QuitWatchdog`.
///
/// Owned by `CursesTerminal` (main thread); the drain thread owns the read end of the pipe.
/// `bytesWritten` and `waitUntilWritten` may be called from the owner at any time.
final class TerminalOutputPump: @unchecked Sendable {
    /// The stream ncurses is given (the pipe's write end).
    let stream: UnsafeMutablePointer<FILE>
    private let readFD: Int32
    private let writeFD: Int32
    private let terminalFD: Int32
    private let condition = NSCondition()
    private var written = 0
    /// True from the moment the drain sees the pipe readable until what it read is written.
    private var busy = false
    private var finished = false
    private var closed = false

    /// `terminalFD` is where the bytes go (the tty, or `/dev/null` for a benchmark's sink).
    init(terminalFD: Int32) throws(CursesError) {
        var fds: [Int32] = [0, 0]
        // Made before any child is spawned (pipe2 is not exported to Swift), then close-on-exec.
        guard pipe(&fds) == 0 else { throw .outputPipeFailed(errno: errno) }
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        self.terminalFD = terminalFD
        // A larger pipe lets ncurses hand over a whole paint in one go (1 MiB is the
        // unprivileged maximum); a paint larger than that simply waits for the drain.
        _ = fcntl(writeFD, 1031 /* F_SETPIPE_SZ */, 1 << 20)
        guard let stream = fdopen(writeFD, "w") else {
            close(readFD)
            close(writeFD)
            throw .outputPipeFailed(errno: errno)
        }
        self.stream = stream
        let thread = Thread { [self] in drain() }
        thread.name = "terminal output"
        thread.start()
    }

    /// Every byte written to the terminal so far.
    var bytesWritten: Int {
        condition.lock()
        defer { condition.unlock() }
        return written
    }

    /// Writes `bytes` into the same pipe, after whatever ncurses wrote before (synchronized
    /// output brackets: ncurses flushes its buffer before `doupdate` returns).
    func send(_ bytes: String) {
        _ = writeAll(writeFD, bytes)
    }

    /// The same for bytes (an image), counted like everything else that reaches the terminal.
    func send(bytes: [UInt8]) {
        try? writeAll(writeFD, bytes: bytes)
    }

    /// Returns once everything ncurses has written so far reached the terminal.
    func waitUntilWritten() {
        condition.lock()
        defer { condition.unlock() }
        while !finished && (busy || pendingInPipe > 0) { condition.wait() }
    }

    /// Closes the pipe (after ncurses' last words) and waits for the drain to write them.
    func finish() {
        guard !closed else { return }
        closed = true
        fclose(stream)   // closes writeFD: the drain reads end-of-file
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
        close(readFD)
    }

    private var pendingInPipe: Int {
        var count: Int32 = 0
        return ioctl(readFD, UInt(FIONREAD), &count) == 0 ? Int(count) : 0
    }

    private func drain() {
        let capacity = 1 << 16
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            // Readable first, busy second, read third: a waiter never sees an empty pipe while
            // bytes sit in this thread's buffer.
            var readable = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            if poll(&readable, 1, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            condition.lock()
            busy = true
            condition.unlock()
            let count = read(readFD, buffer, capacity)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            QuitWatchdog.writingTerminal {
                while offset < count {
                    let n = write(terminalFD, buffer + offset, count - offset)
                    if n < 0 {
                        if errno == EINTR || errno == EAGAIN { continue }
                        break   // the terminal is gone: the rest is lost, and not counted
                    }
                    offset += n
                    condition.lock()
                    written += n
                    condition.unlock()
                }
            }
            condition.lock()
            busy = false
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        busy = false
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
