import Foundation
import Platform
import XCTest

/// `OutputFile`: what detview does with a path it was told to write (`--log`, `--record`).
final class OutputFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "detview-outputfile-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// Why `open` refused the path (nil: it opened it, and the descriptor is closed again).
    private func refusal(_ path: String, _ mode: OutputFile.Mode) -> OutputFile.Refusal? {
        do {
            _ = try OutputFile.open(path, mode)
            return nil
        } catch {
            return error
        }
    }

    private func write(_ fd: borrowing OwnedDescriptor, _ text: String) {
        XCTAssertTrue(writeAll(fd.rawValue, text))
    }

    func testASymbolicLinkIsRefusedAndItsTargetKeepsItsBytes() throws {
        let target = directory + "/precious.txt", link = directory + "/record.jsonl"
        try "keep me\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        for mode in [OutputFile.Mode.truncate, .append] {
            let text = refusal(link, mode).map(\.description) ?? "opened"
            XCTAssertTrue(text.hasPrefix(link + ": is a symbolic link"), text)
            XCTAssertEqual(try contents(target), "keep me\n", "\(mode): the target is neither truncated nor appended to")
        }
    }

    func testADanglingSymbolicLinkCreatesNothing() throws {
        let target = directory + "/not-yet", link = directory + "/out.log"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        XCTAssertNotNil(refusal(link, .append))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "O_CREAT did not follow the link")
    }

    func testTruncateEmptiesARegularFileAndAppendKeepsIt() throws {
        let path = directory + "/file"
        try "old line\n".write(toFile: path, atomically: false, encoding: .utf8)
        do {
            let fd = try OutputFile.open(path, .append)
            write(fd, "new line\n")
        }
        XCTAssertEqual(try contents(path), "old line\nnew line\n")
        do {
            let fd = try OutputFile.open(path, .truncate)
            write(fd, "only\n")
        }
        XCTAssertEqual(try contents(path), "only\n")
    }

    func testAMissingFileIsCreatedCloseOnExecAndBlocking() throws {
        let path = directory + "/new"
        let fd = try OutputFile.open(path, .truncate)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        XCTAssertNotEqual(fcntl(fd.rawValue, F_GETFD) & FD_CLOEXEC, 0)
        XCTAssertEqual(fcntl(fd.rawValue, F_GETFL) & O_NONBLOCK, 0, "O_NONBLOCK was only for the open")
    }

    func testAFifoIsRefusedWithoutHangingAndADeviceIsAccepted() throws {
        let fifo = directory + "/fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let text = refusal(fifo, .truncate).map(\.description) ?? "opened"
        XCTAssertTrue(text.contains("not a regular file"), text)
        let null = try OutputFile.open("/dev/null", .truncate)
        write(null, "discarded\n")
    }

    func testADirectoryIsRefused() throws {
        XCTAssertNotNil(refusal(directory, .append))
    }
}
