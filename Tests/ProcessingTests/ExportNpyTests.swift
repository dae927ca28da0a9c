import Foundation
import XCTest
@testable import Processing

/// A fresh directory per test, removed afterwards, and small file helpers for the export tests.
final class ExportScratch {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/detview-export-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ParseError("mkdtemp failed: errno \(errno)") }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func bytes(_ name: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file(name)) else {
            throw NSError(domain: "ExportScratch", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot read \(name)"])
        }
        return Array(data)
    }

    /// Names in the directory, hidden ones included, sorted.
    func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}

/// `ImageFileWriter.write` on an array, keeping the typed error (withUnsafeBufferPointer only rethrows).
@discardableResult
func save(_ pixels: [Float], width: Int, height: Int, to path: String, description: String = "") throws(ExportError)
    -> ImageFileWriter.Placement {
    try pixels.withUnsafeBufferPointer { p in
        Result { () throws(ExportError) in
            try ImageFileWriter.write(path: path, width: width, height: height, pixels: p, description: description)
        }
    }.get()
}

@discardableResult
func save(_ pixels: [Double], width: Int, height: Int, to path: String, description: String = "") throws(ExportError)
    -> ImageFileWriter.Placement {
    try pixels.withUnsafeBufferPointer { p in
        Result { () throws(ExportError) in
            try ImageFileWriter.write(path: path, width: width, height: height, pixels: p, description: description)
        }
    }.get()
}

/// Bits of a value, so NaN, -0.0 and 0.0 compare exactly.
func bitsOf(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }
func bitsOf(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

/// The .npy format read back independently of the writer: magic, version, header length, the
/// dict's fields by text search, and the data as little-endian bit patterns.
struct ParsedNpy {
    var version: (UInt8, UInt8)
    var headerLength: Int
    var dict: String
    var descr: String
    var shape: [Int]
    var data: [UInt8]

    init(_ bytes: [UInt8]) throws {
        guard bytes.count >= 10, bytes[0..<6] == [0x93] + Array("NUMPY".utf8)[...] else { throw ParseError("no .npy magic") }
        version = (bytes[6], bytes[7])
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + headerLength else { throw ParseError("header longer than file") }
        dict = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        guard dict.hasSuffix("\n") else { throw ParseError("header does not end in a newline") }
        descr = try Self.field(dict, after: "'descr': '", until: "'")
        shape = try Self.field(dict, after: "'shape': (", until: ")")
            .split(separator: ",").map { try Self.int($0.trimmingCharacters(in: .whitespaces)) }
        guard try Self.field(dict, after: "'fortran_order': ", until: ",") == "False" else { throw ParseError("fortran order") }
        data = Array(bytes[(10 + headerLength)...])
    }

    var floats: [Float] {
        stride(from: 0, to: data.count - 3, by: 4).map { i in
            Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[i + $1]) << (8 * UInt32($1)) })
        }
    }

    var doubles: [Double] {
        stride(from: 0, to: data.count - 7, by: 8).map { i in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[i + $1]) << (8 * UInt64($1)) })
        }
    }

    private static func field(_ text: String, after start: String, until end: String) throws -> String {
        guard let from = text.range(of: start), let to = text.range(of: end, range: from.upperBound..<text.endIndex) else {
            throw ParseError("no \(start) in \(text)")
        }
        return String(text[from.upperBound..<to.lowerBound])
    }

    private static func int(_ text: String) throws -> Int {
        guard let value = Int(text) else { throw ParseError("not a number: \(text)") }
        return value
    }
}

struct ParseError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Asserts that `body` throws exactly `expected`.
func assertExportError(_ expected: ExportError, file: StaticString = #filePath, line: UInt = #line,
                       _ body: () throws(ExportError) -> Void) {
    do {
        try body()
        XCTFail("no error, expected \(expected)", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, file: file, line: line)
    }
}

final class ExportNpyTests: XCTestCase {
    func testFloatImageIsTheExactNpyVersion1ByteSequence() throws {
        let scratch = try ExportScratch()
        let pixels: [Float] = [1.0, -2.5, 0.0, -0.0, .nan, 0.5]
        try save(pixels, width: 3, height: 2, to: scratch.file("a.npy"))

        // Spelled out from the format description: preamble 10 bytes + dict 59 + "\n" = 70, so the
        // header is padded to 128 bytes: HEADER_LEN = 118 with 58 spaces.
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        var expected: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00]
        expected += Array(dict.utf8) + Array(repeating: 0x20, count: 58) + [0x0A]
        expected += [0x00, 0x00, 0x80, 0x3F] // 1.0
        expected += [0x00, 0x00, 0x20, 0xC0] // -2.5
        expected += [0x00, 0x00, 0x00, 0x00] // 0.0
        expected += [0x00, 0x00, 0x00, 0x80] // -0.0
        expected += [0x00, 0x00, 0xC0, 0x7F] // the canonical quiet NaN
        expected += [0x00, 0x00, 0x00, 0x3F] // 0.5
        XCTAssertEqual(try scratch.bytes("a.npy"), expected)
    }

    func testHeaderIsPaddedToAMultipleOf64AndEndsInANewline() throws {
        // Shapes whose dict lengths cross the 64-byte boundaries differently.
        for (width, height) in [(1, 1), (3, 2), (2068, 2162), (123_456_789, 7), (1, 99_999_999_999)] {
            for sample in [ExportSample.float32, .float64] {
                let header = try NpyWriter(width: width, height: height, sample: sample).header
                XCTAssertEqual(header.count % 64, 0, "\(width)×\(height)")
                XCTAssertEqual(header.last, 0x0A)
                let parsed = try ParsedNpy(header)
                XCTAssertEqual(parsed.shape, [height, width])
                XCTAssertEqual(parsed.descr, sample == .float32 ? "<f4" : "<f8")
                XCTAssertEqual(parsed.headerLength, header.count - 10)
                XCTAssertTrue(parsed.version == (1, 0))
            }
        }
    }

    func testFloatRoundTripKeepsEveryBitIncludingNaNAndNegativeZero() throws {
        let scratch = try ExportScratch()
        // Over one write chunk (32768 values), with specials spread through it.
        let width = 300, height = 211
        var random = TestRandom(seed: 42)
        var pixels = (0..<(width * height)).map { _ in Float(Int(random.below(2_000_001)) - 1_000_000) / 7 }
        for i in stride(from: 5, to: pixels.count, by: 997) { pixels[i] = .nan }
        for i in stride(from: 11, to: pixels.count, by: 1009) { pixels[i] = -0.0 }
        pixels[0] = -.infinity
        pixels[pixels.count - 1] = Float(bitPattern: 0x7FC0_1234) // NaN with a payload
        try save(pixels, width: width, height: height, to: scratch.file("sum.npy"))

        let parsed = try ParsedNpy(try scratch.bytes("sum.npy"))
        XCTAssertEqual(parsed.shape, [height, width])
        XCTAssertEqual(parsed.descr, "<f4")
        XCTAssertEqual((10 + parsed.headerLength) % 64, 0)
        XCTAssertEqual(parsed.data.count, width * height * 4)
        XCTAssertEqual(bitsOf(parsed.floats), bitsOf(pixels))
    }

    func testDoubleRoundTripWritesF8() throws {
        let scratch = try ExportScratch()
        let pixels: [Double] = [1e300, -1e-300, -0.0, .nan, 12_345_678.901234567, -3]
        try save(pixels, width: 2, height: 3, to: scratch.file("m.npy"))

        let parsed = try ParsedNpy(try scratch.bytes("m.npy"))
        XCTAssertEqual(parsed.descr, "<f8")
        XCTAssertEqual(parsed.shape, [3, 2])
        XCTAssertEqual(bitsOf(parsed.doubles), bitsOf(pixels))
    }

    func testUpperCaseExtensionStillWritesNpy() throws {
        let scratch = try ExportScratch()
        let pixels: [Float] = [7]
        try save(pixels, width: 1, height: 1, to: scratch.file("IMAGE.NPY"))
        XCTAssertEqual(try ParsedNpy(try scratch.bytes("IMAGE.NPY")).floats, [7])
    }

    func testDoubleImageIsTheExactNpyVersion1ByteSequence() throws {
        let scratch = try ExportScratch()
        try save([0.1, 0.2, 0.3] as [Double], width: 3, height: 1, to: scratch.file("d.npy"))

        // As the float case: the dict is 59 bytes, so HEADER_LEN = 118 with 58 spaces of padding.
        // numpy reads a row-major (height, width) array: shape (1, 3).
        let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }"
        var expected: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00]
        expected += Array(dict.utf8) + Array(repeating: 0x20, count: 58) + [0x0A]
        expected += [0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0x3F] // 0.1 = 0x3FB999999999999A
        expected += [0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xC9, 0x3F] // 0.2 = 0x3FC999999999999A
        expected += [0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0xD3, 0x3F] // 0.3 = 0x3FD3333333333333
        XCTAssertEqual(try scratch.bytes("d.npy"), expected)
    }
}

/// What `ImageFileWriter` does with bad arguments and failing system calls: a typed error, and
/// never a file (final or temporary) left behind.
final class ExportFailureTests: XCTestCase {
    private let one: [Float] = [1]

    func testUnknownExtensionIsRefusedNamingIt() throws {
        let scratch = try ExportScratch()
        for (name, ext) in [("a.png", ".png"), ("a.npy.gz", ".gz"), ("noextension", ""), (".npy", ""), ("dir.npy/", "")] {
            let path = scratch.file(name)
            assertExportError(.unknownExtension(path: path, extension: ext)) { () throws(ExportError) in
                try save(one, width: 1, height: 1, to: path)
            }
        }
        XCTAssertEqual(try scratch.listing(), [])
        XCTAssertTrue(ExportError.unknownExtension(path: "x.png", extension: ".png").description.contains("'.png'"))
    }

    func testEmptyOrNegativeSizeIsRefused() throws {
        let scratch = try ExportScratch()
        let empty: [Float] = []
        for (width, height) in [(0, 0), (0, 5), (5, 0), (-1, -1)] {
            assertExportError(.invalidSize(width: width, height: height)) { () throws(ExportError) in
                try save(empty, width: width, height: height, to: scratch.file("e.tiff"))
            }
        }
        XCTAssertEqual(try scratch.listing(), [])
    }

    func testSizeWhoseByteCountOverflowsIsRefused() throws {
        assertExportError(.invalidSize(width: Int.max / 4, height: 2)) { () throws(ExportError) in
            _ = try NpyWriter(width: Int.max / 4, height: 2, sample: .float32)
        }
        assertExportError(.invalidSize(width: 1 << 32, height: 1 << 31)) { () throws(ExportError) in
            _ = try TiffWriter(width: 1 << 32, height: 1 << 31)
        }
    }

    func testPixelCountOtherThanWidthTimesHeightIsRefused() throws {
        let scratch = try ExportScratch()
        let six: [Double] = [1, 2, 3, 4, 5, 6]
        for (width, height) in [(2, 2), (4, 2), (6, 6)] {
            assertExportError(.pixelCountMismatch(width: width, height: height, pixels: 6)) { () throws(ExportError) in
                try save(six, width: width, height: height, to: scratch.file("m.npy"))
            }
        }
        XCTAssertEqual(try scratch.listing(), [])
    }

    func testMissingDirectoryReportsOpenWithENOENT() throws {
        let scratch = try ExportScratch()
        let path = scratch.file("not-there/x.npy")
        do {
            try save(one, width: 1, height: 1, to: path)
            XCTFail("wrote into a missing directory")
        } catch {
            guard case let .systemCall(call, failedPath, code) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(call, "open")
            XCTAssertEqual(code, ENOENT)
            XCTAssertTrue(failedPath.hasPrefix(scratch.file("not-there/.x.npy.")), failedPath)
            XCTAssertTrue(error.description.hasPrefix("open(\(scratch.file("not-there/"))"), error.description)
            XCTAssertTrue(error.description.contains("No such file or directory (errno \(ENOENT))"), error.description)
        }
        XCTAssertEqual(try scratch.listing(), [])
    }

    /// Permission bits do not stop root (these tests run as root in CI), so the unwritable
    /// directory is one no user can create files in: /proc (ENOENT) and /sys (EACCES or EROFS).
    func testDirectoryNobodyCanWriteReportsOpenAndErrno() throws {
        for path in ["/proc/detview-export-test.npy", "/sys/detview-export-test.tiff"] {
            do {
                try save(one, width: 1, height: 1, to: path)
                XCTFail("wrote \(path)")
            } catch {
                guard case let .systemCall(call, _, code) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(call, "open", path)
                XCTAssertNotEqual(code, 0, path)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        }
    }

    func testReadOnlyDirectoryReportsEACCESForOrdinaryUsers() throws {
        try XCTSkipIf(geteuid() == 0, "root writes into a mode 0555 directory; the /proc test covers this case")
        let scratch = try ExportScratch()
        XCTAssertEqual(chmod(scratch.path, 0o555), 0)
        defer { chmod(scratch.path, 0o755) }
        assertExportError(.systemCall(call: "open", path: "", errno: EACCES)) { () throws(ExportError) in
            do throws(ExportError) {
                try save(one, width: 1, height: 1, to: scratch.file("r.npy"))
            } catch {
                // The temporary name is random: compare the rest.
                guard case let .systemCall(call, _, code) = error else { throw error }
                throw ExportError.systemCall(call: call, path: "", errno: code)
            }
        }
    }

    func testSuccessfulWriteLeavesOnlyTheFinalFile() throws {
        let scratch = try ExportScratch()
        try save(one, width: 1, height: 1, to: scratch.file("a.npy"))
        try save(one, width: 1, height: 1, to: scratch.file("b.tif"))
        XCTAssertEqual(try scratch.listing(), ["a.npy", "b.tif"])
    }

    func testFailedRenameRemovesTheTemporaryFile() throws {
        // A directory under the target name makes the last step (rename) fail, after the whole
        // temporary file was written.
        let scratch = try ExportScratch()
        try FileManager.default.createDirectory(atPath: scratch.file("busy.npy"), withIntermediateDirectories: false)
        assertExportError(.systemCall(call: "rename", path: scratch.file("busy.npy"), errno: EISDIR)) { () throws(ExportError) in
            try save(one, width: 1, height: 1, to: scratch.file("busy.npy"))
        }
        XCTAssertEqual(try scratch.listing(), ["busy.npy"])
    }

    func testFailedWriteReportsErrnoAndRemovesTheTemporaryFile() throws {
        // A file-size limit makes write() fail with EFBIG part-way (SIGXFSZ ignored so it does
        // not kill the test process); both are restored before any other test runs.
        let scratch = try ExportScratch()
        let fileSizeLimit = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
        var saved = rlimit()
        XCTAssertEqual(getrlimit(fileSizeLimit, &saved), 0)
        var limited = saved
        limited.rlim_cur = 4096
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        XCTAssertEqual(setrlimit(fileSizeLimit, &limited), 0)
        defer {
            setrlimit(fileSizeLimit, &saved)
            signal(SIGXFSZ, previousHandler)
        }
        let pixels = [Float](repeating: 1, count: 100 * 100)
        do {
            try save(pixels, width: 100, height: 100, to: scratch.file("big.npy"))
            XCTFail("wrote 40 kB under a 4 kB file size limit")
        } catch {
            guard case let .systemCall(call, path, code) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(call, "write")
            XCTAssertEqual(code, EFBIG)
            XCTAssertTrue(path.hasPrefix(scratch.file(".big.npy.detview-")), path)
        }
        XCTAssertEqual(try scratch.listing(), [])
    }

    func testWritingAgainReplacesTheOldFile() throws {
        let scratch = try ExportScratch()
        let first: [Float] = [1, 2, 3, 4], second: [Float] = [9, 8]
        XCTAssertEqual(try save(first, width: 2, height: 2, to: scratch.file("r.npy")), .created)
        XCTAssertEqual(try save(second, width: 1, height: 2, to: scratch.file("r.npy")), .replaced,
                       "the caller learns that a file was replaced, to say so")
        let parsed = try ParsedNpy(try scratch.bytes("r.npy"))
        XCTAssertEqual(parsed.shape, [2, 1])
        XCTAssertEqual(parsed.floats, second)
        XCTAssertEqual(try scratch.listing(), ["r.npy"])
    }

    func testASymbolicLinkAtTheTargetIsReplacedNotWrittenThrough() throws {
        let scratch = try ExportScratch()
        try "keep".write(toFile: scratch.file("elsewhere.txt"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: scratch.file("l.npy"), withDestinationPath: scratch.file("elsewhere.txt"))
        XCTAssertEqual(try save(one, width: 1, height: 1, to: scratch.file("l.npy")), .replaced)
        XCTAssertEqual(try String(contentsOfFile: scratch.file("elsewhere.txt"), encoding: .utf8), "keep")
        XCTAssertEqual(try ParsedNpy(try scratch.bytes("l.npy")).floats, one)
    }

    func testRelativePathWritesIntoTheWorkingDirectory() throws {
        let scratch = try ExportScratch()
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(scratch.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        try save(one, width: 1, height: 1, to: "here.npy")
        XCTAssertEqual(try scratch.listing(), ["here.npy"])
        XCTAssertTrue(ImageFileWriter.split("/x.npy") == ("/", "x.npy"))
    }
}
