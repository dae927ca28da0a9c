import CursesBackend
import TerminalUI
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Asking a real tmux server (a private socket) whether it passes pictures on, and never waiting
/// long on one that does not answer.
final class TmuxQueryTests: XCTestCase {
    private let server = "detview-query-\(getpid())-\(Int.random(in: 0..<1_000_000))"

    override func tearDown() {
        tmux(["kill-server"])
    }

    /// Runs a tmux command on the private server and returns its output. Through the shell, with
    /// the output in a file: Foundation's Process never sees the client end once the client has
    /// started a server that inherited Process's descriptors.
    @discardableResult
    private func tmux(_ arguments: [String]) -> String {
        let path = NSTemporaryDirectory() + "detview-tmux-out-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        defer { unlink(path) }
        let quoted = (["tmux", "-L", server, "-f", "/dev/null"] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        _ = system(quoted + " </dev/null >" + path + " 2>/dev/null")
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// TMUX and TMUX_PANE as a process in the pane would see them.
    private func paneEnvironment() throws -> [String: String] {
        tmux(["new-session", "-d", "-s", "q", "-x", "100", "-y", "30", "sleep 60"])
        let fields = tmux(["display-message", "-p", "-t", "q", "#{socket_path},#{pid},0|#{pane_id}"])
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
        let socket = try XCTUnwrap(fields.first, "tmux says where its socket is (is tmux installed?)")
        let pane = try XCTUnwrap(fields.dropFirst().first, "and which pane is ours")
        return ["TMUX": socket, "TMUX_PANE": pane, "PATH": "/usr/bin:/bin"]
    }

    func testOffByDefaultOnWhenAllowedAndThePanesPlaceAfterASplit() throws {
        let environment = try paneEnvironment()
        XCTAssertEqual(TmuxQuery.status(environment: environment), .blocked(reason: "has allow-passthrough off, so it drops pictures"))
        tmux(["set", "-g", "allow-passthrough", "on"])
        XCTAssertEqual(TmuxQuery.status(environment: environment), .passthrough(.init(paneColumn: 0, paneRow: 0)))
        // A second pane on the left: ours moves right, by the new pane and the border.
        tmux(["split-window", "-h", "-b", "-t", "q", "-l", "30", "sleep 60"])
        XCTAssertEqual(TmuxQuery.status(environment: environment), .passthrough(.init(paneColumn: 31, paneRow: 0)))
        tmux(["set", "-g", "status-position", "top"])
        XCTAssertEqual(TmuxQuery.status(environment: environment), .passthrough(.init(paneColumn: 31, paneRow: 1)))
    }

    func testOutsideTmuxNothingIsAskedAndADeadServerIsNoPassthrough() {
        XCTAssertEqual(TmuxQuery.status(environment: ["PATH": "/usr/bin:/bin"]), .outside)
        XCTAssertEqual(TmuxQuery.status(environment: ["TMUX": "", "PATH": "/usr/bin:/bin"]), .outside)
        XCTAssertEqual(TmuxQuery.status(environment: ["TMUX": "/tmp/detview-no-such-tmux-socket,1,0", "PATH": "/usr/bin:/bin"]),
                       .blocked(reason: "did not answer whether it passes pictures on"))
    }

    /// A tmux that hangs (here a stand-in on PATH that never ends) costs the timeout, not the start.
    func testATmuxThatDoesNotAnswerIsKilledAtTheTimeout() throws {
        let directory = NSTemporaryDirectory() + "detview-hung-tmux-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "#!/bin/sh\nexec sleep 30\n".write(toFile: directory + "/tmux", atomically: true, encoding: .utf8)
        chmod(directory + "/tmux", 0o755)
        let started = Date()
        let status = TmuxQuery.status(environment: ["TMUX": "/tmp/x,1,0", "PATH": directory], timeoutMilliseconds: 300)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(status, .blocked(reason: "did not answer whether it passes pictures on"))
        XCTAssertLessThan(elapsed, 2, "bounded by the timeout (\(elapsed) s)")
        XCTAssertEqual(TmuxQuery.status(environment: ["TMUX": "/tmp/x,1,0", "PATH": directory + "/none"]),
                       .blocked(reason: "was not found on PATH to ask whether it passes pictures on"))
    }
}
