import Foundation
import XCTest

/// Issue 12, defect 6: SIGTERM, SIGINT and SIGHUP end the viewer promptly also while nothing
/// reads its terminal (a frozen SSH session, XOFF). The main thread, which serves the signal
/// pipe, then waits in a write to the terminal; the signals waited for the terminal to be read.
final class BlockedTerminalQuitTests: XCTestCase {
    /// A pty of our own: tmux always reads its panes, so it cannot stand for a stalled reader.
    private struct PseudoTerminal {
        let master: Int32
        let slave: Int32

        init() throws {
            // Swift's Glibc module leaves out the XSI pty calls: look them up in the C library.
            typealias IntCall = @convention(c) (Int32) -> Int32
            typealias NameCall = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
            guard let openSymbol = dlsym(nil, "posix_openpt"), let grantSymbol = dlsym(nil, "grantpt"),
                  let unlockSymbol = dlsym(nil, "unlockpt"), let nameSymbol = dlsym(nil, "ptsname") else {
                throw MissingTestInput("the C library has no posix_openpt/grantpt/unlockpt/ptsname")
            }
            let openMaster = unsafeBitCast(openSymbol, to: IntCall.self)
            let grant = unsafeBitCast(grantSymbol, to: IntCall.self)
            let unlock = unsafeBitCast(unlockSymbol, to: IntCall.self)
            let slaveName = unsafeBitCast(nameSymbol, to: NameCall.self)
            master = openMaster(O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard master >= 0, grant(master) == 0, unlock(master) == 0, let name = slaveName(master) else {
                throw MissingTestInput("cannot open a pseudo-terminal: errno \(errno)")
            }
            slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard slave >= 0 else { throw MissingTestInput("cannot open \(String(cString: name)): errno \(errno)") }
        }

        /// Reads whatever the viewer writes for `seconds`, so its first frames get through.
        func drain(for seconds: TimeInterval) {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while Date() < deadline {
                var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 50) > 0 { _ = read(master, &buffer, buffer.count) }
            }
        }
    }

    /// True when one of the process's threads waits in a write to fd 1 (/proc/PID/task/*/syscall:
    /// the main actor's jobs do not necessarily run on the process's first thread).
    private func waitsInTerminalWrite(_ pid: pid_t) -> Bool {
        #if arch(x86_64)
        let writeCall: Substring = "1"
        #else
        let writeCall: Substring = "64"
        #endif
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.contains { task in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/syscall", encoding: .utf8)) ?? ""
            let fields = text.split(separator: " ")
            return fields.count > 1 && fields[0] == writeCall && fields[1] == "0x1"
        }
    }

    private func checkQuitsPromptly(on signal: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        let terminal = try PseudoTerminal()
        defer { close(terminal.master) }
        let viewer = Process()
        viewer.executableURL = try DetviewProcess.executable
        viewer.arguments = ["view", "--demo", "--workers", "2"]
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["LANG"] = "C.UTF-8"
        environment["LINES"] = "40"   // the pty has no size of its own
        environment["COLUMNS"] = "120"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        viewer.environment = environment
        let slave = FileHandle(fileDescriptor: terminal.slave, closeOnDealloc: true)
        viewer.standardInput = slave
        viewer.standardOutput = slave
        viewer.standardError = slave
        let exited = DispatchSemaphore(value: 0)
        viewer.terminationHandler = { _ in exited.signal() }
        try viewer.run()
        try slave.close()   // the viewer holds the only writer now
        let pid = viewer.processIdentifier
        defer { if viewer.isRunning { kill(pid, SIGKILL); viewer.waitUntilExit() } }

        terminal.drain(for: 1)
        // Nobody reads any more: the kernel's buffer fills and the viewer's next write waits.
        XCTAssertTrue(eventually(timeout: 20) { waitsInTerminalWrite(pid) },
                      "the viewer waits in a write to the terminal", file: file, line: line)
        let children = children(of: pid)
        XCTAssertGreaterThanOrEqual(children.count, 3, "two workers and the demo simulator", file: file, line: line)

        let sent = Date()
        kill(pid, signal)
        let ended = exited.wait(timeout: .now() + 3) == .success
        XCTAssertTrue(ended, "the viewer ends within 3 s of signal \(signal) (took longer)", file: file, line: line)
        guard ended else { return }
        viewer.waitUntilExit()
        XCTAssertEqual(viewer.terminationReason, .exit, file: file, line: line)
        XCTAssertEqual(viewer.terminationStatus, 128 + signal, file: file, line: line)
        XCTAssertLessThan(Date().timeIntervalSince(sent), 3, file: file, line: line)
        XCTAssertTrue(eventually(timeout: 1) { children.allSatisfy { !isAlive($0) } },
                      "no worker or simulator left: \(children.filter(isAlive))", file: file, line: line)
    }

    func testSigtermEndsAViewerWhoseTerminalIsNotRead() throws {
        try checkQuitsPromptly(on: SIGTERM)
    }

    func testSigintEndsAViewerWhoseTerminalIsNotRead() throws {
        try checkQuitsPromptly(on: SIGINT)
    }

    func testSighupEndsAViewerWhoseTerminalIsNotRead() throws {
        try checkQuitsPromptly(on: SIGHUP)
    }
}
