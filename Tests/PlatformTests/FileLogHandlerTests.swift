import Foundation
import Logging
import Platform
import XCTest

final class FileLogHandlerTests: XCTestCase {
    private var path = ""

    override func setUp() {
        path = NSTemporaryDirectory() + "detview-loghandler-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
    }

    override func tearDown() { unlink(path) }

    private func lines() throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func testAWorkersLineNamesItsLoggerAndCarriesMetadata() throws {
        let file = try LogFile(path: path)
        var logger = file.logger(label: "worker 3")
        logger[metadataKey: "slot"] = "7"
        logger.error("decode failed", metadata: ["frame": "12"])
        let line = try XCTUnwrap(try lines().first)
        XCTAssertTrue(line.hasSuffix(" ERROR worker 3: decode failed frame=12 slot=7"), line)
        XCTAssertEqual(line.count, "2026-12-07T16:04:55.123Z".count + " ERROR worker 3: decode failed frame=12 slot=7".count)
    }

    func testTheViewersOwnLinesHaveNoLabelAndDebugIsBelowTheLevel() throws {
        let file = try LogFile(path: path)
        let logger = file.logger()
        logger.debug("not written")
        logger.warning("ring full")
        XCTAssertEqual(try lines().map { String($0.dropFirst(25)) }, ["WARN  ring full"])
    }

    func testTwoOpensOfOneFileAppendWholeLines() throws {
        let first = try LogFile(path: path), second = try LogFile(path: path)
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let logger = (i % 2 == 0 ? first : second).logger(label: "w\(i)")
            for n in 0..<100 { logger.info("\(n) \(String(repeating: "x", count: 300))") }
        }
        let written = try lines()
        XCTAssertEqual(written.count, 400)
        XCTAssertTrue(written.allSatisfy { $0.hasSuffix(String(repeating: "x", count: 300)) && $0.contains(" INFO  w") })
    }

    func testLogFileIsCloseOnExecAndClosedOnce() throws {
        var fd: Int32 = -1
        do {
            let file = try LogFile(path: path)
            fd = file.fd
            XCTAssertEqual(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC)
        }
        XCTAssertEqual(fcntl(fd, F_GETFD), -1, "closed with its owner")
    }
}
