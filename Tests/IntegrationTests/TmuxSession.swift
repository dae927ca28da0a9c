import CLinux
import Foundation

/// A tmux server of its own running one window ("main") for a test: start it with a command,
/// send keys, read the screen. The client runs through posix_spawn + waitpid rather than
/// Foundation's Process, which never sees the client exit once it has started a tmux server
/// that inherited Process's bookkeeping descriptors. (TerminalTests keeps its own copy of
/// these few calls; new terminal tests use this.)
final class TmuxSession {
    private let server = "detview-test-\(getpid())-\(Int.random(in: 0..<1_000_000))"

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// Starts `command` in a `width × height` window.
    init(width: Int, height: Int, command: String) {
        run(["new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height), command])
    }

    deinit { run(["kill-server"]) }

    func send(_ keys: String...) { run(["send-keys", "-t", "main"] + keys) }
    func send(_ keys: [String]) { run(["send-keys", "-t", "main"] + keys) }

    /// Resizes the window, as a user's terminal would (the viewer gets SIGWINCH).
    func resize(width: Int, height: Int) {
        run(["resize-window", "-t", "main", "-x", String(width), "-y", String(height)])
    }

    /// The screen as text, one line per row.
    var screen: String { run(["capture-pane", "-p", "-t", "main"]) }

    /// A tmux format of the pane ("#{pane_pid}", "#{mouse_sgr_flag}"), trimmed.
    func format(_ format: String) -> String {
        run(["display-message", "-p", "-t", "main", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    private func run(_ arguments: [String]) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        let out = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer {
            close(out)
            close(null)
            unlink(path)
        }
        let argv = ["tmux", "-L", server, "-f", "/dev/null"] + arguments
        var pid: pid_t = 0
        let pointers: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        let variables = ProcessInfo.processInfo.environment.map { key, value in key + "=" + value }
        let environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { environment.forEach { free($0) } }
        guard dv_spawn(&pid, "/usr/bin/tmux", pointers, environment, [null, out, null], [0, 1, 2], 3) == 0 else { return "" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
