import CLinux
import Foundation
import XCTest

/// A tmux server of its own running one window ("main") for a test: start a command in it,
/// send keys, resize it, read the screen (as text or with its colour escapes), wait for text.
/// The one place the terminal tests talk to tmux. The client runs through posix_spawn +
/// waitpid rather than Foundation's Process, which never sees the client exit once it has
/// started a tmux server that inherited Process's bookkeeping descriptors.
final class TmuxSession {
    private let server = "detview-test-\(getpid())-\(Int.random(in: 0..<1_000_000))"
    /// Runs before each look at the screen while `waitForScreen` waits (a streamed session
    /// sends its next frame there).
    private let beforeEachLook: () -> Void
    /// The screen as `waitForScreen` last saw it.
    private(set) var last = ""

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// A server with no window yet: `start` opens it (for tests that start several in turn).
    init(beforeEachLook: @escaping () -> Void = {}) {
        self.beforeEachLook = beforeEachLook
    }

    /// Starts `command` in a `width × height` window.
    convenience init(width: Int, height: Int, command: String, beforeEachLook: @escaping () -> Void = {}) {
        self.init(beforeEachLook: beforeEachLook)
        start(width: width, height: height, command: command)
    }

    deinit { kill() }

    /// Opens the window running `command` (when it ends, the window and the server go).
    func start(width: Int, height: Int, command: String) {
        run(["new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height), command])
    }

    /// A bash with the prompt "$ " and nothing of the user's environment, for tests that type
    /// the viewer's command line and use the shell after it.
    func startShell(width: Int, height: Int) {
        start(width: width, height: height,
              command: "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=tmux-256color PS1='$ ' bash --norc --noprofile")
    }

    /// Ends the server and whatever runs in it.
    func kill() { run(["kill-server"]) }

    func send(_ keys: String...) { run(["send-keys", "-t", "main"] + keys) }
    func send(_ keys: [String]) { run(["send-keys", "-t", "main"] + keys) }

    /// Resizes the window, as a user's terminal would (the viewer gets SIGWINCH).
    func resize(width: Int, height: Int) {
        run(["resize-window", "-t", "main", "-x", String(width), "-y", String(height)])
    }

    /// The screen as text, one line per row.
    var screen: String { run(["capture-pane", "-p", "-t", "main"]) }

    /// The screen with its colour and attribute escapes (`capture-pane -e`).
    var screenWithEscapes: String { run(["capture-pane", "-p", "-e", "-t", "main"]) }

    /// The process the window runs (its command, or the shell).
    var panePID: pid_t? { pid_t(format("#{pane_pid}")) }

    /// The pane's terminal device.
    var paneTTY: String { format("#{pane_tty}") }

    /// A tmux format of the pane ("#{pane_pid}", "#{mouse_sgr_flag}"), trimmed.
    func format(_ format: String) -> String {
        run(["display-message", "-p", "-t", "main", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Looks at the screen (after `beforeEachLook`) every `interval` until `condition` holds, and
    /// fails the test with `what` and the last screen when `timeout` passes first. Returns
    /// whether it held; `last` keeps the screen it was decided on.
    @discardableResult
    func waitForScreen(_ what: String, timeout: TimeInterval = 20, interval: TimeInterval = 0.03,
                       file: StaticString = #filePath, line: UInt = #line, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            beforeEachLook()
            last = screen
            if condition(last) { return true }
            usleep(useconds_t(interval * 1_000_000))
        } while Date() < deadline
        XCTFail("\(what); the screen was:\n\(last)", file: file, line: line)
        return false
    }

    /// One tmux client command against this session's server; its standard output.
    @discardableResult
    func run(_ arguments: [String]) -> String {
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
