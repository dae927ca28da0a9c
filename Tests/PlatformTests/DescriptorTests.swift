import Glibc
import Platform
import SystemPackage
import XCTest

/// Every owned descriptor closes exactly once: at the end of its owner's life, or at an
/// explicit `close()` that consumes it (so nothing is left to close it again).
final class DescriptorTests: XCTestCase {
    private func isOpen(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) != -1 }

    func testEventFDClosesWhenItsOwnerEnds() throws {
        var number: Int32 = -1
        do {
            let event = try EventFD()
            number = event.fd
            XCTAssertTrue(isOpen(number))
        }
        XCTAssertFalse(isOpen(number), "closed when the value went away")
    }

    func testEventFDCountsSignalsAndDrainsToZero() throws {
        let event = try EventFD(nonBlocking: true)
        try event.signal()
        try EventFD.signal(event.fd)
        XCTAssertEqual(event.drain(), 2)
        XCTAssertEqual(event.drain(), 0)
    }

    func testExplicitCloseClosesOnceAndReportsNothingMore() throws {
        let event = try EventFD()
        let number = event.fd
        try event.close()   // consumes: `event` can no longer be used or closed again
        XCTAssertFalse(isOpen(number))
    }

    func testTimerFDFiresOnceArmedAndDrainsToZero() throws {
        let timer = try TimerFD()
        try timer.arm(afterNanoseconds: 1_000_000)
        var pfd = pollfd(fd: timer.fd, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&pfd, 1, 2000), 1, "readable after the expiry")
        XCTAssertEqual(timer.drain(), 1)
        XCTAssertEqual(timer.drain(), 0)
        try timer.disarm()
    }

    func testEpollReportsTheTokenOfTheReadyDescriptor() throws {
        let epoll = try Epoll()
        let quiet = try EventFD(), ready = try EventFD()
        try epoll.add(quiet.fd, token: 1)
        try epoll.add(ready.fd, token: 42)
        try ready.signal()
        XCTAssertEqual(try epoll.wait(timeoutMilliseconds: 1000).map(\.token), [42])
        XCTAssertEqual(try epoll.wait(timeoutMilliseconds: 0), [], "edge-triggered: no second report without news")
        epoll.remove(ready.fd)
        try ready.signal()
        XCTAssertEqual(try epoll.wait(timeoutMilliseconds: 0), [], "removed descriptors are not watched")
    }

    func testEpollAddOfAClosedDescriptorCarriesTheCallAndErrno() throws {
        let epoll = try Epoll()
        XCTAssertThrowsError(try epoll.add(-1, token: 7)) { error in
            let failure = error as? SystemCallError
            XCTAssertEqual(failure?.errno, .badFileDescriptor)
            XCTAssertEqual(failure?.call, "epoll_ctl(ADD, fd -1)")
        }
    }

    func testMemFDResizesAndCloses() throws {
        var number: Int32 = -1
        do {
            let memory = try MemFD(name: "detview-test")
            number = memory.fd
            try memory.resize(to: 8192)
            XCTAssertEqual(try memory.size(), 8192)
            XCTAssertEqual(fcntl(number, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC, "close-on-exec")
        }
        XCTAssertFalse(isOpen(number))
    }

    func testPidFDOfAMissingProcessCarriesTheCallAndErrno() {
        XCTAssertThrowsError(try PidFD(pid: 0x3fff_fff0).fd) { error in
            XCTAssertEqual((error as? SystemCallError)?.errno, .noSuchProcess)
            XCTAssertTrue((error as? SystemCallError)?.call.hasPrefix("pidfd_open") ?? false, "\(error)")
        }
    }

    func testSystemCallErrorNamesCallAndErrno() {
        let error = SystemCallError(call: "memfd_create", errno: EMFILE)
        XCTAssertEqual(error.errno, Errno.tooManyOpenFiles)
        XCTAssertEqual(error.description, "memfd_create: Too many open files (errno 24)")
    }

    func testWriteAllWritesEverythingAndFailsOnAClosedReader() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[1]) }
        let text = String(repeating: "detview ", count: 1000)   // above one pipe read
        XCTAssertTrue(writeAll(fds[1], text))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < text.utf8.count {
            let n = read(fds[0], &buffer, buffer.count)
            guard n > 0 else { break }
            received += buffer[0..<n]
        }
        XCTAssertEqual(String(decoding: received, as: UTF8.self), text)
        close(fds[0])
        signal(SIGPIPE, SIG_IGN)
        XCTAssertThrowsError(try writeAll(fds[1], bytes: Array("x".utf8))) { error in
            XCTAssertEqual((error as? SystemCallError)?.errno, .brokenPipe)
        }
    }

    func testSignalSelfPipeDeliversSignalNumbers() throws {
        let pipe = try SignalSelfPipe(signals: [SIGUSR1])
        raise(SIGUSR1)
        raise(SIGUSR1)
        XCTAssertEqual(pipe.drain(), [SIGUSR1, SIGUSR1])
        XCTAssertEqual(pipe.drain(), [])
    }

    func testFutexWaitTimesOutAndReturnsAtOnceWhenTheWordDiffers() {
        let word = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
        defer { word.deallocate() }
        word.pointee = 5
        XCTAssertFalse(Futex.wait(on: word, whileEqualTo: 5, timeoutNanoseconds: 1_000_000), "timed out")
        XCTAssertTrue(Futex.wait(on: word, whileEqualTo: 6, timeoutNanoseconds: 1_000_000), "word differs: no sleep")
        XCTAssertEqual(Futex.wake(word), 0, "nobody waits")
    }

    func testTimerEpollPidfdAndSignalPipeCloseWhenTheirOwnersEnd() throws {
        var numbers: [Int32] = []
        do {
            let timer = try TimerFD()
            let epoll = try Epoll()
            let pidfd = try PidFD(pid: getpid())
            let pipe = try SignalSelfPipe(signals: [SIGUSR2])
            numbers = [timer.fd, epoll.fd, pidfd.fd, pipe.readFD]
            XCTAssertTrue(numbers.allSatisfy(isOpen))
        }
        XCTAssertEqual(numbers.filter(isOpen), [], "every descriptor closed with its owner")
    }

    func testReleasedDescriptorIsNotClosedByItsFormerOwner() throws {
        let memory = try MemFD(name: "detview-release")
        let number = memory.release()
        defer { close(number) }
        XCTAssertTrue(isOpen(number), "release hands the descriptor over without closing it")
    }
}
