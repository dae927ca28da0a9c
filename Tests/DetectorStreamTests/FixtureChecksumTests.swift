import Foundation
import XCTest

/// The DECTRIS messages in `Tests/Fixtures/dectris-stream2` are exactly the published ones:
/// `sha256sum -c SHA256SUMS` (coreutils, on every Linux this builds on) passes in their folder,
/// and every message in the folder is listed there.
final class FixtureChecksumTests: XCTestCase {
    func testEveryStream2FixtureMatchesItsRecordedChecksum() throws {
        let root = try Stream2Fixtures.root()
        let sums = try String(contentsOf: root.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        let listed = Set(sums.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) })
        XCTAssertEqual(listed.count, 13, "12 messages and expected.json")

        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        check.arguments = ["--check", "--strict", "SHA256SUMS"]
        check.currentDirectoryURL = root
        let output = Pipe()
        check.standardOutput = output
        check.standardError = output
        try check.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0, report)
        XCTAssertEqual(report.split(separator: "\n").filter { $0.hasSuffix(": OK") }.count, listed.count, report)

        let messages = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".cbor") }
        XCTAssertEqual(Set(messages), listed.filter { $0.hasSuffix(".cbor") }, "every message in the folder has a checksum")
    }
}
