import CLinux
import Glibc

/// A child process started with posix_spawn (never fork in a multi-threaded Swift process)
/// from the spawner thread, which lives as long as this process (see `SpawnerThread`), and
/// the pidfd that becomes readable when it ends.
///
/// It owns the pidfd (not copyable: a copy could close it twice). `reap` collects the exit
/// status once the pidfd is readable and closes it. Owned by the thread that spawned it.
public struct ChildProcess: ~Copyable, Sendable {
    public let pid: pid_t
    private var pidFD: PidFD?
    /// How the child ended, once reaped.
    public private(set) var ending: String?

    /// The pidfd's number while the child is not reaped, -1 after (kept beside `pidFD`:
    /// reading through an optional noncopyable value would consume it).
    public private(set) var pidfd: Int32

    /// Starts `executable` with `arguments` (argv[0] included). `descriptors` maps parent fds
    /// to the child fds they become (dup2 clears close-on-exec there); the child's signal mask
    /// is cleared and its dispositions are the defaults.
    public static func spawn(executable: String, arguments: [String], environment: [String],
                             descriptors: [(from: Int32, to: Int32)] = []) throws(SystemCallError) -> ChildProcess {
        let started: Result<pid_t, SystemCallError> = SpawnerThread.shared.perform {
            Self.spawnHere(executable: executable, arguments: arguments, environment: environment,
                           descriptors: descriptors)
        }
        let pid = try started.get()
        dv_child_register(pid)   // the quit watchdog kills it if the viewer must end in a hurry
        do {
            return ChildProcess(pid: pid, pidFD: try PidFD(pid: pid))
        } catch {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            dv_child_unregister(pid)
            throw error
        }
    }

    private init(pid: pid_t, pidFD: consuming PidFD) {
        self.pid = pid
        self.pidfd = pidFD.fd
        self.pidFD = Optional(pidFD)
    }

    private static func spawnHere(executable: String, arguments: [String], environment: [String],
                                  descriptors: [(from: Int32, to: Int32)]) -> Result<pid_t, SystemCallError> {
        // posix_spawn applies the dup2s in order, so a source that is also an earlier pair's
        // target (3→4 after 4→3) would already be overwritten: map from copies above every target.
        let firstFree = (descriptors.map(\.to).max() ?? 2) + 1
        var from: [Int32] = []
        defer { from.forEach { close($0) } }
        for d in descriptors {
            let copy = fcntl(d.from, F_DUPFD_CLOEXEC, firstFree)
            guard copy >= 0 else { return .failure(.last("fcntl(F_DUPFD_CLOEXEC, fd \(d.from))")) }
            from.append(copy)
        }
        let to = descriptors.map(\.to)
        var pid: pid_t = 0
        let rc = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                dv_spawn(&pid, executable, argv, envp, from, to, Int32(from.count))
            }
        }
        guard rc == 0 else { return .failure(SystemCallError(call: "posix_spawn(\(executable))", errno: rc)) }
        return .success(pid)
    }

    /// Collects the exit status (waiting for it when `wait`); nil while the child still runs.
    /// The first successful call closes the pidfd and returns how the child ended; later calls
    /// return the same text.
    public mutating func reap(wait: Bool = false) -> String? {
        if let ending { return ending }
        var status: Int32 = 0
        var rc: pid_t
        repeat { rc = waitpid(pid, &status, wait ? 0 : WNOHANG) } while rc < 0 && errno == EINTR
        guard rc == pid else { return nil }
        dv_child_unregister(pid)   // reaped: the pid may be reused from now on
        pidFD = nil   // closes it, once
        pidfd = -1
        ending = Self.describe(status: status)
        return ending
    }

    /// Sends `signal` to the child unless it has been reaped (then its pid may belong to another process).
    public func send(signal: Int32) {
        if ending == nil { kill(pid, signal) }
    }

    /// Sends `first` (if any), waits up to `graceMilliseconds` for the child to end by itself,
    /// then kills it; reaps it.
    public mutating func terminate(signal first: Int32? = SIGTERM, graceMilliseconds: Int32) -> String {
        if let ending { return ending }
        if let first { kill(pid, first) }
        var pfd = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
        let deadline = MonotonicClock.nanoseconds + UInt64(max(0, graceMilliseconds)) * 1_000_000
        var ready: Int32
        repeat {   // a signal must not cut the grace period short
            let now = MonotonicClock.nanoseconds
            let left = now < deadline ? Int32((deadline - now) / 1_000_000) : 0
            ready = poll(&pfd, 1, left)
        } while ready < 0 && errno == EINTR
        if ready <= 0 { kill(pid, SIGKILL) }
        return reap(wait: true) ?? "ended"
    }

    /// "exited with status N" or "killed by <signal name>", from a waitpid status.
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
