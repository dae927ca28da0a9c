import Platform
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// Asks the tmux the viewer runs in (its server from `$TMUX`, its pane from `$TMUX_PANE`) whether
/// it lets pictures through (`TmuxStatus.queryArguments`), with a bounded wait: a tmux that does
/// not answer in time (a stuck server, a stale `$TMUX`) is killed and counts as "no passthrough",
/// so the viewer's start never hangs on it. Run once at start and again on a resize (the pane
/// may have moved), on the main thread.
public enum TmuxQuery {
    /// `.outside` when `TMUX` is unset or empty; otherwise what tmux says.
    public static func status(environment: [String: String], timeoutMilliseconds: Int = 400) -> TmuxStatus {
        guard let variable = environment["TMUX"], !variable.isEmpty else { return .outside }
        // "socket,server pid,session": the socket names the server, whatever -L the user started it with.
        let socket = String(variable.split(separator: ",", omittingEmptySubsequences: false)[0])
        guard let executable = findTmux(path: environment["PATH"] ?? "/usr/bin:/bin") else {
            return .blocked(reason: "was not found on PATH to ask whether it passes pictures on")
        }
        let pane = environment["TMUX_PANE"].flatMap { $0.isEmpty ? nil : $0 }
        let answer = run(executable, ["tmux", "-S", socket] + TmuxStatus.queryArguments(pane: pane),
                         timeoutMilliseconds: timeoutMilliseconds)
        return TmuxStatus.parse(answer: answer)
    }

    private static func findTmux(path: String) -> String? {
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/tmux"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// The command's standard output, or nil when it failed, or did not end within the time.
    private static func run(_ executable: String, _ arguments: [String], timeoutMilliseconds: Int) -> String? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        // Only the child's dup2'd copy may stay open in a spawned process (pipe2 is not in Glibc's module).
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let readEnd = fds[0]
        defer { close(readEnd) }
        let nullDevice = open("/dev/null", O_RDWR | O_CLOEXEC)
        var child: ChildProcess
        do {
            defer {
                close(fds[1])   // the child has its copy: EOF comes when it ends
                if nullDevice >= 0 { close(nullDevice) }
            }
            let quiet = nullDevice >= 0 ? [(from: nullDevice, to: Int32(0)), (from: nullDevice, to: Int32(2))] : []
            child = try ChildProcess.spawn(executable: executable, arguments: arguments,
                                           environment: ChildProcess.currentEnvironment,
                                           descriptors: [(from: fds[1], to: 1)] + quiet)
        } catch {
            return nil
        }
        let deadline = MonotonicClock.nanoseconds + UInt64(timeoutMilliseconds) * 1_000_000
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        var finished = false
        while output.count < 65536 {
            let now = MonotonicClock.nanoseconds
            guard now < deadline else { break }
            var ready = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let waited = poll(&ready, 1, Int32((deadline - now) / 1_000_000) + 1)
            if waited < 0 && errno == EINTR { continue }
            guard waited > 0 else { break }
            let count = read(readEnd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                finished = true
                break
            }
            output += chunk[0..<count]
        }
        // Ended by itself (EOF) it is reaped at once; still running after the time it is killed.
        _ = child.terminate(signal: finished ? nil : SIGKILL, graceMilliseconds: finished ? 1000 : 0)
        // A failing command (tmux < 3.3 does not know the option) still printed its first line.
        return finished ? String(decoding: output, as: UTF8.self) : nil
    }
}
