import CLinux
import Glibc
import SharedMemory

/// A child process started with posix_spawn (never fork in a multi-threaded Swift process),
/// with a pidfd that becomes readable when it dies.
///
/// Owned by the thread that spawned it (the viewer's main thread). `reap` must be called
/// once the pidfd is readable; it closes the pidfd.
public struct ChildProcess: Sendable, Equatable {
    public let pid: pid_t
    public let pidfd: Int32

    /// Starts `executable` with `arguments` (argv[0] included). `descriptors` maps parent fds
    /// to the child fds they become (dup2 clears close-on-exec there).
    public static func spawn(executable: String, arguments: [String], environment: [String],
                             descriptors: [(from: Int32, to: Int32)] = []) throws(SystemError) -> ChildProcess {
        var pid: pid_t = 0
        // posix_spawn applies the dup2s in order, so a source that is also an earlier pair's
        // target (3→4 after 4→3) would already be overwritten: map from copies above every target.
        let firstFree = (descriptors.map(\.to).max() ?? 2) + 1
        var from: [Int32] = []
        defer { from.forEach { close($0) } }
        for d in descriptors {
            let copy = fcntl(d.from, F_DUPFD_CLOEXEC, firstFree)
            guard copy >= 0 else { throw SystemError(call: "fcntl(F_DUPFD_CLOEXEC, fd \(d.from))", errno: errno) }
            from.append(copy)
        }
        let to = descriptors.map(\.to)
        let rc = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                dv_spawn(&pid, executable, argv, envp, from, to, Int32(from.count))
            }
        }
        guard rc == 0 else { throw SystemError(call: "posix_spawn(\(executable))", errno: rc) }
        let pidfd = dv_pidfd_open(pid, 0)
        guard pidfd >= 0 else {
            let err = errno
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            throw SystemError(call: "pidfd_open", errno: err)
        }
        return ChildProcess(pid: pid, pidfd: pidfd)
    }

    /// Collects the exit status without blocking; nil while the child still runs.
    /// On success the pidfd is closed and the returned text says how the child ended.
    public func reap(wait: Bool = false) -> String? {
        var status: Int32 = 0
        var rc: pid_t
        repeat { rc = waitpid(pid, &status, wait ? 0 : WNOHANG) } while rc < 0 && errno == EINTR
        guard rc == pid else { return nil }
        close(pidfd)
        return Self.describe(status: status)
    }

    /// Waits up to `milliseconds` for the child to end by itself, then kills it; reaps it.
    public func terminate(signal first: Int32? = SIGTERM, graceMilliseconds: Int32) -> String {
        if let first { kill(pid, first) }
        var pfd = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
        let deadline = dv_monotonic_ns() + UInt64(max(0, graceMilliseconds)) * 1_000_000
        var ready: Int32
        repeat {   // a signal must not cut the grace period short
            let now = dv_monotonic_ns()
            let left = now < deadline ? Int32((deadline - now) / 1_000_000) : 0
            ready = poll(&pfd, 1, left)
        } while ready < 0 && errno == EINTR
        if ready <= 0 { kill(pid, SIGKILL) }
        return reap(wait: true) ?? "ended"
    }

    public static func describe(status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        let name = strsignal(signal).map { String(cString: $0) } ?? "signal \(signal)"
        return "killed by \(name)"
    }

    /// The environment of this process, for passing on to a child.
    public static var currentEnvironment: [String] {
        var result: [String] = []
        guard var entry = dv_environ() else { return result }
        while let cString = entry.pointee {
            result.append(String(cString: cString))
            entry += 1
        }
        return result
    }
}

/// Calls `body` with a NULL-terminated C array of the strings, valid only during the call.
public func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers + [nil])
}
