import CLinux
import Glibc
import SharedMemory

/// Delivers SIGINT, SIGTERM, SIGHUP and (with a screen) SIGWINCH to the event loop through a
/// self-pipe: the handler only writes the signal number, the loop does the work.
///
/// Create it before the ncurses front end: ncurses installs handlers of its own only for
/// signals still at their default disposition, and ours must win. SIGPIPE is ignored so a
/// closed stdout in headless mode is an error, not a silent death. One per process: the
/// handler writes to a single descriptor, so a second pipe would take the signals over.
public final class SignalPipe {
    public let readFD: Int32
    private let writeFD: Int32
    public let signals: [Int32]

    public init(includeResize: Bool) throws {
        var fds: [Int32] = [0, 0]
        guard dv_pipe(&fds) == 0 else { throw SystemError(call: "pipe2", errno: errno) }
        readFD = fds[0]
        writeFD = fds[1]
        var list = [SIGINT, SIGTERM, SIGHUP]
        if includeResize { list.append(SIGWINCH) }
        signals = list
        signal(SIGPIPE, SIG_IGN)
        guard dv_signals_to_fd(writeFD, list, Int32(list.count)) == 0 else {
            throw SystemError(call: "sigaction", errno: errno)
        }
    }

    /// The signals that arrived since the last call, in order.
    public func drain() -> [Int32] {
        var result: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(readFD, &buffer, buffer.count)
            if n <= 0 { break }
            result += buffer[0..<n].map { Int32($0) }
        }
        return result
    }

    deinit {
        _ = dv_signals_default(signals, Int32(signals.count))
        close(readFD)
        close(writeFD)
    }
}
