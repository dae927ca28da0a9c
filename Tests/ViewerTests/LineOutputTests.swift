import CLinux
import Glibc
import Platform
@testable import Viewer
import XCTest

final class LineOutputTests: XCTestCase {
    private var fds: [Int32] = [-1, -1]

    override func setUp() {
        signal(SIGPIPE, SIG_IGN)   // as SignalPipe does in the viewer
        fds = [-1, -1]
        XCTAssertEqual(dv_pipe(&fds), 0)
    }

    override func tearDown() {
        for fd in fds where fd >= 0 { close(fd) }
    }

    func testLinesAreHeldUntilFlushAndThenArriveTogether() {
        var output = LineOutput()
        output.append(#"{"event":"frame","frame":1}"#)
        output.append(#"{"event":"frame","frame":2}"#)
        output.append(#"{"event":"stats"}"#)
        XCTAssertFalse(isReadable(fds[0]), "nothing written before the flush")
        XCTAssertTrue(output.flush(to: fds[1]))
        XCTAssertEqual(String(decoding: readAvailable(fds[0]), as: UTF8.self),
                       "{\"event\":\"frame\",\"frame\":1}\n{\"event\":\"frame\",\"frame\":2}\n{\"event\":\"stats\"}\n")
    }

    func testFlushWithNothingPendingWritesNothing() {
        var output = LineOutput()
        XCTAssertTrue(output.flush(to: fds[1]))
        XCTAssertFalse(isReadable(fds[0]))
    }

    func testFlushedLinesAreNotWrittenAgain() {
        var output = LineOutput()
        output.append("one")
        XCTAssertTrue(output.flush(to: fds[1]))
        output.append("two")
        XCTAssertTrue(output.flush(to: fds[1]))
        XCTAssertEqual(String(decoding: readAvailable(fds[0]), as: UTF8.self), "one\ntwo\n")
    }

    func testClosedReaderFailsTheFlushWithoutKillingTheProcess() {
        close(fds[0])
        fds[0] = -1
        var output = LineOutput()
        output.append("nobody listens")
        XCTAssertFalse(output.flush(to: fds[1]))
        XCTAssertTrue(output.failed)
        output.append("more")
        XCTAssertFalse(output.flush(to: fds[1]), "once failed, it stays failed")
    }

    func testWriteAllWritesEverythingOrReportsFailure() {
        let big = String(repeating: "x", count: 10_000) + "\n"
        XCTAssertTrue(writeAll(fds[1], big))
        XCTAssertEqual(readAvailable(fds[0]).count, big.utf8.count)
        XCTAssertTrue(writeAll(fds[1], ""), "an empty write succeeds")
        close(fds[0])
        fds[0] = -1
        XCTAssertFalse(writeAll(fds[1], "x"), "EPIPE is a failure, not a signal")
        XCTAssertFalse(writeAll(-1, "x"), "a bad descriptor is a failure")
    }

    func testWriteAllFinishesALargeWriteToABlockingPipe() throws {
        // Larger than the pipe buffer: short writes have to be continued while the reader reads.
        var blocking: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&blocking), 0)
        defer { close(blocking[0]) }
        let size = 1 << 20
        let readEnd = blocking[0]
        let done = expectation(description: "reader read everything")
        Thread {
            var total = 0
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(readEnd, &buffer, buffer.count)
                if n <= 0 { break }
                total += n
            }
            if total == size { done.fulfill() }
        }.start()
        XCTAssertTrue(writeAll(blocking[1], String(repeating: "y", count: size)))
        close(blocking[1])
        wait(for: [done], timeout: 5)
    }
}
