import Foundation
import Glibc
import Platform
import XCTest

/// Polls `condition` every millisecond (a process test: the condition is another thread's state).
private func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() && Date() < deadline { usleep(1000) }
    return condition()
}

final class ChildProcessTests: XCTestCase {
    private func spawn(_ arguments: [String], descriptors: [(from: Int32, to: Int32)] = []) throws -> ChildProcess {
        try ChildProcess.spawn(executable: arguments[0], arguments: arguments,
                               environment: ["PATH=/usr/bin:/bin"], descriptors: descriptors)
    }

    /// Waits until the pidfd says the child ended (at most 5 s).
    private func waitForExit(_ child: borrowing ChildProcess, file: StaticString = #filePath, line: UInt = #line) {
        var pfd = pollfd(fd: child.pidfd, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&pfd, 1, 5000), 1, "pidfd readable when the child ends", file: file, line: line)
    }

    func testExitStatusIsReportedAfterThePidfdBecomesReadable() throws {
        var child = try spawn(["/bin/sh", "-c", "exit 3"])
        XCTAssertGreaterThan(child.pid, 0)
        XCTAssertGreaterThanOrEqual(child.pidfd, 0)
        waitForExit(child)
        let pidfd = child.pidfd
        XCTAssertEqual(child.reap(), "exited with status 3")
        XCTAssertEqual(child.pidfd, -1, "reaping closes the pidfd")
        XCTAssertEqual(fcntl(pidfd, F_GETFD), -1, "the pidfd is closed")
        XCTAssertEqual(child.reap(), "exited with status 3", "a second reap repeats the answer and closes nothing")
    }

    /// Issue 12, defect 1: PR_SET_PDEATHSIG fires when the *thread* that spawned a child exits.
    /// Spawning goes through Platform's long-lived spawner thread, so a child asked for by a
    /// thread that then ends lives on.
    func testChildOutlivesTheThreadThatAskedForIt() throws {
        final class Box: @unchecked Sendable { var pid: pid_t = 0; var error: Error? }
        let box = Box()
        let thread = Thread {
            do {
                // setpriv makes the child ask for SIGKILL at its parent thread's death, as a worker does.
                let child = try ChildProcess.spawn(executable: "/usr/bin/setpriv",
                                                   arguments: ["setpriv", "--pdeathsig", "KILL", "--", "/bin/sleep", "30"],
                                                   environment: ["PATH=/usr/bin:/bin"])
                box.pid = child.pid
                _ = consume child   // the process runs on; this thread drops its handle (closing the pidfd)
            } catch { box.error = error }
        }
        thread.start()
        XCTAssertTrue(waitUntil(seconds: 5) { thread.isFinished }, "the requesting thread ended")
        XCTAssertNil(box.error)
        XCTAssertGreaterThan(box.pid, 0)
        usleep(300_000)   // time for a death signal to arrive, had it been sent
        var status: Int32 = 0
        XCTAssertEqual(waitpid(box.pid, &status, WNOHANG), 0, "the child still runs after its requester's thread ended")
        kill(box.pid, SIGKILL)
        waitpid(box.pid, &status, 0)
    }

    func testReapOfARunningChildIsNil() throws {
        var child = try spawn(["/bin/sleep", "10"])
        XCTAssertNil(child.reap())
        XCTAssertTrue(child.terminate(signal: SIGKILL, graceMilliseconds: 0).hasPrefix("killed by"))
    }

    func testTerminateEndsAChildWithSIGTERM() throws {
        var child = try spawn(["/bin/sleep", "10"])
        let cause = child.terminate(graceMilliseconds: 2000)
        XCTAssertEqual(cause, "killed by " + String(cString: strsignal(SIGTERM)))
        XCTAssertEqual(kill(child.pid, 0), -1, "the child is gone (reaped)")
    }

    func testTerminateKillsAChildThatIgnoresItsSignalAfterTheGrace() throws {
        // The shell says it has its trap (a marker file) before the signal comes.
        let marker = NSTemporaryDirectory() + "detview-trap-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(marker) }
        var child = try spawn(["/bin/sh", "-c", "trap '' TERM; : > \(marker); sleep 10 & wait"])
        XCTAssertTrue(waitUntil(seconds: 5) { access(marker, F_OK) == 0 }, "the shell installed its trap")
        let cause = child.terminate(graceMilliseconds: 100)
        XCTAssertEqual(cause, "killed by " + String(cString: strsignal(SIGKILL)))
    }

    func testMissingExecutableIsASystemCallErrorNamingPosixSpawn() {
        XCTAssertThrowsError(try spawn(["/nonexistent/detview-no-such-binary"]).pid) { error in
            guard let e = error as? SystemCallError else { return XCTFail("\(error)") }
            XCTAssertTrue(e.call.hasPrefix("posix_spawn"), e.call)
            XCTAssertTrue(e.call.contains("/nonexistent/detview-no-such-binary"), e.call)
            XCTAssertEqual(e.errno, .noSuchFileOrDirectory)
        }
    }

    func testDescribeNamesExitStatusOrSignal() {
        XCTAssertEqual(ChildProcess.describe(status: 0), "exited with status 0")
        XCTAssertEqual(ChildProcess.describe(status: 3 << 8), "exited with status 3")
        XCTAssertEqual(ChildProcess.describe(status: 255 << 8), "exited with status 255")
        XCTAssertEqual(ChildProcess.describe(status: SIGKILL), "killed by " + String(cString: strsignal(SIGKILL)))
        // With the core-dump bit set it is still the signal that killed it.
        XCTAssertEqual(ChildProcess.describe(status: SIGSEGV | 0x80), "killed by " + String(cString: strsignal(SIGSEGV)))
    }

    func testMappedDescriptorIsTheChildsFileDescriptor() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]) }
        var child = try spawn(["/bin/sh", "-c", "echo hi >&5"], descriptors: [(fds[1], 5)])
        close(fds[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            output += buffer[0..<n]
        }
        XCTAssertEqual(String(decoding: output, as: UTF8.self), "hi\n")
        XCTAssertEqual(child.reap(wait: true), "exited with status 0")
    }

    func testSwappedDescriptorMappingsEachReachTheirTarget() throws {
        var a: [Int32] = [0, 0], b: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&a), 0)
        XCTAssertEqual(pipe(&b), 0)
        // Two free descriptors of our own, x (pipe a) and y (pipe b); the child gets them swapped.
        let x = fcntl(a[1], F_DUPFD, 200), y = fcntl(b[1], F_DUPFD, 200)
        close(a[1])
        close(b[1])
        defer { close(a[0]); close(b[0]) }
        var child = try spawn(["/bin/sh", "-c", "printf A >/proc/self/fd/\(y); printf B >/proc/self/fd/\(x)"],
                              descriptors: [(x, y), (y, x)])
        close(x)
        close(y)
        XCTAssertEqual(child.reap(wait: true), "exited with status 0")
        var buffer = [UInt8](repeating: 0, count: 16)
        let na = read(a[0], &buffer, buffer.count)
        XCTAssertEqual(String(decoding: buffer[0..<max(0, na)], as: UTF8.self), "A", "child fd \(y) is pipe a")
        let nb = read(b[0], &buffer, buffer.count)
        XCTAssertEqual(String(decoding: buffer[0..<max(0, nb)], as: UTF8.self), "B", "child fd \(x) is pipe b")
    }

    func testSpawnLeavesNoDescriptorBehindInTheParent() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let before = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        var child = try spawn(["/bin/sh", "-c", "exit 0"], descriptors: [(fds[1], 5), (fds[0], 6)])
        XCTAssertEqual(child.reap(wait: true), "exited with status 0")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count, before)
    }

    func testClosedSourceDescriptorIsASystemCallError() {
        XCTAssertThrowsError(try spawn(["/bin/true"], descriptors: [(-1, 5)]).pid) { error in
            XCTAssertEqual((error as? SystemCallError)?.errno, .badFileDescriptor, "\(error)")
        }
    }

    func testUnmappedCloseOnExecDescriptorIsNotInherited() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        // `test` is a shell builtin: /proc/self is the shell itself.
        let probe = ["/bin/sh", "-c", "test -e /proc/self/fd/\(fds[1])"]
        var inheriting = try spawn(probe)
        XCTAssertEqual(inheriting.reap(wait: true), "exited with status 0", "without close-on-exec it is inherited")
        XCTAssertEqual(fcntl(fds[1], F_SETFD, FD_CLOEXEC), 0)
        var notInheriting = try spawn(probe)
        XCTAssertEqual(notInheriting.reap(wait: true), "exited with status 1", "with close-on-exec it is not")
    }

    func testEnvironmentIsPassedToTheChild() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]) }
        var child = try ChildProcess.spawn(executable: "/bin/sh", arguments: ["sh", "-c", "printf %s \"$DETVIEW_TEST\" >&5"],
                                           environment: ["DETVIEW_TEST=marker"], descriptors: [(fds[1], 5)])
        close(fds[1])
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(fds[0], &buffer, buffer.count)
        XCTAssertEqual(String(decoding: buffer[0..<max(0, n)], as: UTF8.self), "marker")
        XCTAssertEqual(child.reap(wait: true), "exited with status 0")
    }

    func testCurrentEnvironmentHoldsThisProcessesVariables() {
        setenv("DETVIEW_CHILD_TEST", "42", 1)
        XCTAssertTrue(ChildProcess.currentEnvironment.contains("DETVIEW_CHILD_TEST=42"))
    }
}
