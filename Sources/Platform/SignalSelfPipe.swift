import CLinux
import Glibc

/// Signals delivered as bytes on a pipe: the handler only writes the signal number (async-
/// signal-safe), the event loop reads them when the pipe is readable. Both ends are owned
/// here and closed once; the listed signals get their default disposition back on destruction.
///
/// One per process: the C handler writes to a single descriptor, so a second pipe would take
/// the signals over.
public struct SignalSelfPipe: ~Copyable, Sendable {
    private let readEnd: OwnedDescriptor
    private let writeEnd: OwnedDescriptor
    public let signals: [Int32]

    /// The end the event loop watches.
    public var readFD: Int32 { readEnd.rawValue }

    public init(signals: [Int32]) throws(SystemCallError) {
        var fds: [Int32] = [0, 0]
        _ = try retryingOnInterrupt("pipe2") { dv_pipe(&fds) }
        guard dv_signals_to_fd(fds[1], signals, Int32(signals.count)) == 0 else {
            let failure = SystemCallError.last("sigaction")
            _ = dv_signals_default(signals, Int32(signals.count))
            close(fds[0])
            close(fds[1])
            throw failure
        }
        readEnd = OwnedDescriptor(adopting: fds[0])
        writeEnd = OwnedDescriptor(adopting: fds[1])
        self.signals = signals
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

    /// Ignores SIGPIPE, so a write to a closed pipe is an EPIPE error, not a silent death.
    public static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        _ = dv_signals_default(signals, Int32(signals.count))
    }
}
