import Foundation
import SharedMemory
import Viewer
import XCTest

final class EventLogTests: XCTestCase {
    private var path: String!

    override func setUp() {
        path = NSTemporaryDirectory() + "detview-eventlog-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
    }

    override func tearDown() {
        unlink(path)
    }

    private func lines() throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func testLinesCarryAUTCTimestampLevelAndText() throws {
        let log = try EventLog(path: path)
        log.write(.info, "viewing tcp://h:1")
        log.write(.warning, "bad frame: x")
        log.write(.error, "receiver stopped")
        let written = try lines()
        XCTAssertEqual(written.count, 3)
        let pattern = try NSRegularExpression(pattern: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO |WARN |ERROR) (.*)$"#)
        let expected = [("INFO ", "viewing tcp://h:1"), ("WARN ", "bad frame: x"), ("ERROR", "receiver stopped")]
        for (line, (level, text)) in zip(written, expected) {
            let match = try XCTUnwrap(pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), line)
            XCTAssertEqual((line as NSString).substring(with: match.range(at: 1)), level)
            XCTAssertEqual((line as NSString).substring(with: match.range(at: 2)), text)
        }
    }

    func testTimestampIsNow() throws {
        let log = try EventLog(path: path)
        let before = Date()
        log.write(.info, "x")
        let stamp = String(try XCTUnwrap(try lines().first).prefix(23)) + "Z"
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try XCTUnwrap(formatter.date(from: stamp), stamp)
        XCTAssertEqual(date.timeIntervalSince(before), 0, accuracy: 2)
    }

    func testLinesAreOnDiskAtOnceAndAppendedAcrossOpens() throws {
        let first = try EventLog(path: path)
        first.write(.info, "one")
        XCTAssertEqual(try lines().count, 1, "flushed at once, before the log is closed")
        let second = try EventLog(path: path)
        second.write(.info, "two")
        XCTAssertEqual(try lines().map { $0.split(separator: " ").last.map(String.init) }, ["one", "two"])
    }

    func testLinesFromManyThreadsAreNeverInterleaved() throws {
        let log = try EventLog(path: path)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for i in 0..<50 { log.write(.info, "thread \(thread) line \(i) " + String(repeating: "z", count: 200)) }
        }
        let written = try lines()
        XCTAssertEqual(written.count, 400)
        XCTAssertTrue(written.allSatisfy { $0.hasSuffix(String(repeating: "z", count: 200)) && $0.contains(" INFO  thread ") })
    }

    func testWithoutAPathNothingIsWrittenAndNothingFails() throws {
        let log = try EventLog(path: nil)
        log.write(.error, "discarded")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testUnopenableFileIsAnErrorNamingTheOptionAndThePath() {
        XCTAssertThrowsError(try EventLog(path: "/nonexistent-dir/detview.log")) { error in
            XCTAssertEqual("\(error)", "--log /nonexistent-dir/detview.log: \(String(cString: strerror(ENOENT)))")
        }
    }
}
