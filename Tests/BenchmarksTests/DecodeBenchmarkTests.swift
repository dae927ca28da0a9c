import Benchmarks
import DetectorStream
import Foundation
import XCTest

/// `detview bench decode` as a library: a user's frame is checked against its stated shape
/// before any decoding, with errors that name the file; a good frame gives a table row.
final class DecodeBenchmarkTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        var template = Array((NSTemporaryDirectory() + "/detview-bench-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw DecodeBenchError("mkdtemp failed: errno \(errno)") }
        directory = String(cString: made)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func write(_ bytes: [UInt8], _ name: String) -> String {
        let path = directory + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// The message of the DecodeBenchError `body` throws; nil when it throws nothing.
    private func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return (error as? DecodeBenchError)?.description ?? "not a DecodeBenchError: \(error)" }
    }

    private let pixels: [UInt8] = (0..<(64 * 32 * 2)).map { UInt8(truncatingIfNeeded: $0 * 7 % 13) }

    func testAUserFrameIsDecodedAgainstTheLZ4OnlyBaseline() throws {
        let file = write(pixels.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: 2) }, "f.bslz4")
        let frame = try DecodeBenchmark.Case.file(file, encoding: .bitshuffleLZ4, type: .uint16, width: 64, height: 32)
        XCTAssertEqual(frame.name, "bslz4 uint16")
        let result = try DecodeBenchmark(path: .scalar, secondsPerRound: 0.001).run(frame, rounds: 1)
        XCTAssertGreaterThan(result.decodedGBps, 0)
        XCTAssertNotNil(result.lz4OnlyGBps)
        XCTAssertTrue(result.tableRow.hasPrefix("bslz4 uint16"), result.tableRow)
    }

    func testAHeaderThatDisagreesWithTheShapeIsRefusedBeforeDecoding() {
        let file = write(pixels.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: 2) }, "g.bslz4")
        XCTAssertEqual(message { _ = try DecodeBenchmark.Case.file(file, encoding: .bitshuffleLZ4, type: .uint16,
                                                                   width: 64, height: 16) },
                       "\(file): the header says 4096 decoded bytes, but --shape 64,16 × uint16 is 2048 bytes")
    }

    func testRawFramesMustHoldExactlyTheShape() {
        let file = write(pixels, "r.raw")
        XCTAssertEqual(message { _ = try DecodeBenchmark.Case.file(file, encoding: .raw, type: .uint32, width: 64, height: 32) },
                       "\(file): 4096 bytes of raw pixels, but --shape 64,32 × uint32 is 8192 bytes")
    }

    func testAMissingFileNamesTheCallAndTheFile() {
        let file = directory + "/absent"
        XCTAssertEqual(message { _ = try DecodeBenchmark.Case.file(file, encoding: .lz4, type: .uint8, width: 1, height: 1) },
                       "open(\(file)): No such file or directory")
    }

    func testACorruptFrameFailsTheRunWithTheCodecsReason() throws {
        let file = write([0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 32, 0, 0, 0, 0, 9], "c.bslz4")
        let frame = try DecodeBenchmark.Case.file(file, encoding: .bitshuffleLZ4, type: .uint16, width: 64, height: 32)
        XCTAssertEqual(message { _ = try DecodeBenchmark(path: .best, secondsPerRound: 0.001).run(frame, rounds: 1) },
                       "bslz4 uint16: bslz4: block 0 says 9 bytes, only 0 left")
    }
}
