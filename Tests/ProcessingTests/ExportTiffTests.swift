import Foundation
import XCTest
@testable import Processing

/// A tiny little-endian TIFF reader written from the TIFF 6.0 spec, independent of the writer:
/// the header, the first IFD's entries (inline or at their offset) and the image from its strips.
struct ParsedTiff {
    struct Entry {
        var tag: UInt16
        var type: UInt16
        var count: Int
        /// The raw 4 bytes of the value field.
        var field: [UInt8]
        /// SHORT, LONG and ASCII bytes as numbers; RATIONAL as numerator, denominator pairs.
        var values: [UInt64]
    }

    var bytes: [UInt8]
    var ifdOffset: Int
    var entries: [Entry]
    var nextIFD: UInt32

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        guard bytes.count >= 8, bytes[0..<4] == [0x49, 0x49, 0x2A, 0x00] else { throw ParseError("not a little-endian TIFF") }
        ifdOffset = Int(Self.u32(bytes, 4))
        let count = Int(Self.u16(bytes, ifdOffset))
        entries = []
        for i in 0..<count {
            let at = ifdOffset + 2 + 12 * i
            let tag = Self.u16(bytes, at), type = Self.u16(bytes, at + 2), n = Int(Self.u32(bytes, at + 4))
            let size: Int
            switch type {
            case 2: size = 1
            case 3: size = 2
            case 4: size = 4
            case 5: size = 8
            default: throw ParseError("unexpected field type \(type) for tag \(tag)")
            }
            let start = n * size <= 4 ? at + 8 : Int(Self.u32(bytes, at + 8))
            guard start + n * size <= bytes.count else { throw ParseError("tag \(tag) values beyond the file") }
            let values: [UInt64] = (0..<n).flatMap { k -> [UInt64] in
                let p = start + k * size
                switch type {
                case 2: return [UInt64(bytes[p])]
                case 3: return [UInt64(Self.u16(bytes, p))]
                case 4: return [UInt64(Self.u32(bytes, p))]
                default: return [UInt64(Self.u32(bytes, p)), UInt64(Self.u32(bytes, p + 4))]
                }
            }
            entries.append(Entry(tag: tag, type: type, count: n, field: Array(bytes[(at + 8)..<(at + 12)]), values: values))
        }
        nextIFD = Self.u32(bytes, ifdOffset + 2 + 12 * count)
    }

    func entry(_ tag: UInt16) throws -> Entry {
        guard let found = entries.first(where: { $0.tag == tag }) else { throw ParseError("no tag \(tag)") }
        return found
    }

    func value(_ tag: UInt16) throws -> UInt64 { try entry(tag).values[0] }

    var description: String? {
        guard let e = entries.first(where: { $0.tag == 270 }) else { return nil }
        return String(decoding: e.values.dropLast().map { UInt8($0) }, as: UTF8.self)
    }

    /// The strips, in order, concatenated.
    func imageData() throws -> [UInt8] {
        let offsets = try entry(273).values, counts = try entry(279).values
        guard offsets.count == counts.count else { throw ParseError("strip tables differ in length") }
        return try zip(offsets, counts).flatMap { offset, count -> ArraySlice<UInt8> in
            guard Int(offset + count) <= bytes.count else { throw ParseError("strip beyond the file") }
            return bytes[Int(offset)..<Int(offset + count)]
        }
    }

    func floats() throws -> [Float] {
        let data = try imageData()
        return stride(from: 0, to: data.count, by: 4).map { Float(bitPattern: UInt32(Self.u32(data, $0))) }
    }

    func doubles() throws -> [Double] {
        let data = try imageData()
        return stride(from: 0, to: data.count, by: 8).map {
            Double(bitPattern: UInt64(Self.u32(data, $0)) | UInt64(Self.u32(data, $0 + 4)) << 32)
        }
    }

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 { UInt32(u16(b, at)) | UInt32(u16(b, at + 2)) << 16 }
}

final class ExportTiffTests: XCTestCase {
    private func write(_ pixels: [Float], width: Int, height: Int, to path: String, description: String = "") throws {
        try save(pixels, width: width, height: height, to: path, description: description)
    }

    /// Writes through one TiffWriter directly (to choose the strips), without the rename step.
    private func write(_ pixels: [Float], with writer: TiffWriter, to path: String) throws {
        var file = try ExportFile.createNew(path)
        let failure: ExportError? = pixels.withUnsafeBufferPointer { p in
            do throws(ExportError) { try writer.write(.float(p), to: &file); return nil } catch { return error }
        }
        if let failure { throw failure }
        try file.close()
    }

    func testTwoByTwoFloatImageHasTheBaselineTagsAndData() throws {
        let scratch = try ExportScratch()
        try write([1.0, -2.5, -0.0, .nan], width: 2, height: 2, to: scratch.file("a.tiff"))
        let bytes = try scratch.bytes("a.tiff")
        XCTAssertEqual(Array(bytes[0..<8]), [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00])

        let tiff = try ParsedTiff(bytes)
        // (tag, type, count, value) from TIFF 6.0: 3 = SHORT, 4 = LONG, 5 = RATIONAL.
        let expected: [(UInt16, UInt16, Int, [UInt64])] = [
            (256, 4, 1, [2]),        // ImageWidth
            (257, 4, 1, [2]),        // ImageLength
            (258, 3, 1, [32]),       // BitsPerSample
            (259, 3, 1, [1]),        // Compression: none
            (262, 3, 1, [1]),        // PhotometricInterpretation: BlackIsZero
            (273, 4, 1, [208]),      // StripOffsets
            (277, 3, 1, [1]),        // SamplesPerPixel
            (278, 4, 1, [2]),        // RowsPerStrip
            (279, 4, 1, [16]),       // StripByteCounts
            (282, 5, 1, [1, 1]),     // XResolution
            (283, 5, 1, [1, 1]),     // YResolution
            (284, 3, 1, [1]),        // PlanarConfiguration: chunky
            (296, 3, 1, [1]),        // ResolutionUnit: none
            (339, 3, 1, [3]),        // SampleFormat: IEEE floating point
        ]
        XCTAssertEqual(tiff.entries.map(\.tag), expected.map(\.0))
        for ((tag, type, count, values), entry) in zip(expected, tiff.entries) {
            XCTAssertEqual(entry.type, type, "tag \(tag)")
            XCTAssertEqual(entry.count, count, "tag \(tag)")
            XCTAssertEqual(entry.values, values, "tag \(tag)")
        }
        // A SHORT sits in the first two bytes of its value field.
        XCTAssertEqual(try tiff.entry(258).field, [32, 0, 0, 0])
        XCTAssertEqual(tiff.nextIFD, 0)
        // 8 (header) + 2 + 14 × 12 + 4 (IFD) = 182, the RATIONALs at the next multiple of 4 (184),
        // ending at 200; the data at the next multiple of 16.
        XCTAssertEqual(try tiff.entry(282).field, [184, 0, 0, 0])
        XCTAssertEqual(try tiff.entry(283).field, [192, 0, 0, 0])
        XCTAssertEqual(Array(bytes[208...]), [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0,
                                              0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0xC0, 0x7F])
        XCTAssertEqual(bytes.count, 224)
    }

    func testDescriptionIsNulTerminatedAsciiOutOfLine() throws {
        let scratch = try ExportScratch()
        try write([1, 2, 3, 4], width: 2, height: 2, to: scratch.file("d.tif"), description: "detview sum of 1234 frames")
        let tiff = try ParsedTiff(try scratch.bytes("d.tif"))
        let entry = try tiff.entry(270)
        XCTAssertEqual(entry.type, 2)
        XCTAssertEqual(entry.count, 27)
        XCTAssertEqual(entry.values.last, 0)
        XCTAssertEqual(tiff.description, "detview sum of 1234 frames")
        XCTAssertEqual(Array(tiff.entries.map(\.tag)), tiff.entries.map(\.tag).sorted())
        XCTAssertEqual(try tiff.floats(), [1, 2, 3, 4])
    }

    func testShortDescriptionFitsInTheEntry() throws {
        let scratch = try ExportScratch()
        try write([5], width: 1, height: 1, to: scratch.file("s.tiff"), description: "sum")
        let tiff = try ParsedTiff(try scratch.bytes("s.tiff"))
        XCTAssertEqual(try tiff.entry(270).field, Array("sum".utf8) + [0])
        XCTAssertEqual(tiff.description, "sum")
        XCTAssertEqual(try tiff.floats(), [5])
    }

    func testNonAsciiDescriptionBecomesQuestionMarks() throws {
        let scratch = try ExportScratch()
        try write([5], width: 1, height: 1, to: scratch.file("u.tiff"), description: "sum × 2\u{0}!")
        XCTAssertEqual(try ParsedTiff(try scratch.bytes("u.tiff")).description, "sum ? 2?!")
    }

    func testNpyIgnoresTheDescription() throws {
        let scratch = try ExportScratch()
        try write([5], width: 1, height: 1, to: scratch.file("n.npy"), description: "ignored")
        XCTAssertFalse(String(decoding: try scratch.bytes("n.npy"), as: UTF8.self).contains("ignored"))
    }

    func testOneRowPerStripStoresBothStripTablesOutOfLine() throws {
        let scratch = try ExportScratch()
        let pixels: [Float] = [1, 2, 3, 4, 5, 6]
        let writer = try TiffWriter(width: 2, height: 3, rowsPerStrip: 1)
        try write(pixels, with: writer, to: scratch.file("strips.tiff"))

        let tiff = try ParsedTiff(try scratch.bytes("strips.tiff"))
        XCTAssertEqual(try tiff.value(278), 1)
        let offsets = try tiff.entry(273), counts = try tiff.entry(279)
        XCTAssertEqual(offsets.count, 3)
        XCTAssertEqual(counts.values, [8, 8, 8])
        XCTAssertEqual(offsets.values[1] - offsets.values[0], 8)
        XCTAssertEqual(offsets.values[0], UInt64(writer.dataOffset))
        XCTAssertEqual(writer.dataOffset % 16, 0)
        // The value field holds the table's offset, which must lie after the IFD and be word aligned.
        let tableOffset = ParsedTiff.u32(offsets.field, 0)
        XCTAssertEqual(tableOffset % 2, 0)
        XCTAssertGreaterThan(Int(tableOffset), tiff.ifdOffset + 2 + 12 * tiff.entries.count)
        XCTAssertEqual(try tiff.floats(), pixels)
    }

    func testLastStripIsShorter() throws {
        let scratch = try ExportScratch()
        let writer = try TiffWriter(width: 3, height: 5, rowsPerStrip: 2)
        let pixels = (0..<15).map(Float.init)
        try write(pixels, with: writer, to: scratch.file("short.tiff"))
        let tiff = try ParsedTiff(try scratch.bytes("short.tiff"))
        XCTAssertEqual(try tiff.entry(279).values, [24, 24, 12])
        XCTAssertEqual(try tiff.floats(), pixels)
    }

    func testDefaultStripsStayNearTheTargetSize() throws {
        let writer = try TiffWriter(width: 2068, height: 2162)
        XCTAssertLessThanOrEqual(writer.rowsPerStrip * 2068 * 4, TiffWriter.stripBytesTarget)
        XCTAssertGreaterThan((writer.rowsPerStrip + 1) * 2068 * 4, TiffWriter.stripBytesTarget)
        XCTAssertEqual(try TiffWriter(width: 10, height: 3).rowsPerStrip, 3)
        XCTAssertEqual(try TiffWriter(width: 100_000, height: 3).rowsPerStrip, 1)
        XCTAssertEqual(try TiffWriter(width: 2, height: 9, rowsPerStrip: 0).rowsPerStrip, 1)
        XCTAssertEqual(try TiffWriter(width: 2, height: 9, rowsPerStrip: 50).rowsPerStrip, 9)
    }

    func testFloatRoundTripOverSeveralStripsKeepsEveryBit() throws {
        let scratch = try ExportScratch()
        let width = 600, height = 130 // 2400-byte rows: 109 rows per strip, two strips
        var random = TestRandom(seed: 7)
        var pixels = (0..<(width * height)).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: random.next())) }
        pixels[3] = -0.0
        pixels[4] = .nan
        pixels[5] = -1.5
        try write(pixels, width: width, height: height, to: scratch.file("big.tiff"), description: "detview max")
        let tiff = try ParsedTiff(try scratch.bytes("big.tiff"))
        XCTAssertEqual(try tiff.entry(273).count, 2)
        XCTAssertEqual(try tiff.value(256), UInt64(width))
        XCTAssertEqual(try tiff.value(257), UInt64(height))
        XCTAssertEqual(bitsOf(try tiff.floats()), bitsOf(pixels))
    }

    func testDoubleImageIsRoundedTo32BitFloatSamples() throws {
        let scratch = try ExportScratch()
        let pixels: [Double] = [1e300, -0.0, .nan, -7.25, 0.1, 16_777_217]
        try save(pixels, width: 3, height: 2, to: scratch.file("d.tiff"))
        let tiff = try ParsedTiff(try scratch.bytes("d.tiff"))
        XCTAssertEqual(try tiff.value(258), 32)
        XCTAssertEqual(try tiff.value(339), 3)
        XCTAssertEqual(try tiff.value(279), 24)
        let read = try tiff.floats()
        XCTAssertEqual(read[0], .infinity)
        XCTAssertEqual(read[1].bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertTrue(read[2].isNaN)
        XCTAssertEqual(Array(read[3...]), [-7.25, 0.1, 16_777_216])
    }

    func testFileOver4GiBIsRefused() throws {
        // 65536 × 16384 float32 samples are exactly 4 GiB of data: too many with any header. With
        // 256 KiB rows, one row per strip: two tables of 16384 LONGs after the RATIONALs (184..<200),
        // so the data starts at 200 + 131072 rounded up to 16 = 131280.
        assertExportError(.tooLargeForTiff(bytes: 131_280 + 65536 * 16384 * 4)) { () throws(ExportError) in
            _ = try TiffWriter(width: 65536, height: 16384)
        }
        XCTAssertTrue(ExportError.tooLargeForTiff(bytes: 5 << 30).description.contains("4 GiB"))
        let largest = try TiffWriter(width: 65536, height: 16383)
        XCTAssertEqual(largest.fileSize, UInt64(largest.dataOffset) + 65536 * 16383 * 4)
        XCTAssertLessThanOrEqual(largest.fileSize, UInt64(UInt32.max))
    }

    /// The whole file of a small image with a description, spelled out from TIFF 6.0 rather
    /// than read back by the parser above: what any baseline reader (Pillow, tifffile) gets.
    func testSmallImageWithDescriptionIsTheExactByteSequence() throws {
        let scratch = try ExportScratch()
        let pixels: [Float] = [0.5, -2, 3.25, .nan, -0.0, 1e30]
        try write(pixels, width: 3, height: 2, to: scratch.file("p.tiff"), description: "detview sum of 2 frames")

        var expected: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00] // "II", 42, IFD at 8
        func short(_ v: UInt16) { expected += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func long(_ v: UInt32) { expected += (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        func entry(_ tag: UInt16, _ type: UInt16, _ count: UInt32, _ value: UInt32) {
            short(tag); short(type); long(count); long(value)
        }
        // The IFD: 15 entries end at 8 + 2 + 15 × 12 + 4 = 194. After it, on 4-byte boundaries:
        // XResolution at 196, YResolution at 204, the description (23 characters and a NUL) at
        // 212 up to 236; the data at the next multiple of 16, 240, one strip of 24 bytes.
        short(15)
        entry(256, 4, 1, 3)      // ImageWidth
        entry(257, 4, 1, 2)      // ImageLength
        entry(258, 3, 1, 32)     // BitsPerSample
        entry(259, 3, 1, 1)      // Compression: none
        entry(262, 3, 1, 1)      // PhotometricInterpretation: BlackIsZero
        entry(270, 2, 24, 212)   // ImageDescription
        entry(273, 4, 1, 240)    // StripOffsets
        entry(277, 3, 1, 1)      // SamplesPerPixel
        entry(278, 4, 1, 2)      // RowsPerStrip
        entry(279, 4, 1, 24)     // StripByteCounts
        entry(282, 5, 1, 196)    // XResolution
        entry(283, 5, 1, 204)    // YResolution
        entry(284, 3, 1, 1)      // PlanarConfiguration: chunky
        entry(296, 3, 1, 1)      // ResolutionUnit: none
        entry(339, 3, 1, 3)      // SampleFormat: IEEE floating point
        long(0)                  // no next IFD
        expected += [0, 0]       // to 196
        long(1); long(1)         // XResolution 1/1
        long(1); long(1)         // YResolution 1/1
        expected += Array("detview sum of 2 frames".utf8) + [0]
        expected += [0, 0, 0, 0] // to 240
        expected += [0x00, 0x00, 0x00, 0x3F] // 0.5
        expected += [0x00, 0x00, 0x00, 0xC0] // -2
        expected += [0x00, 0x00, 0x50, 0x40] // 3.25
        expected += [0x00, 0x00, 0xC0, 0x7F] // NaN
        expected += [0x00, 0x00, 0x00, 0x80] // -0.0
        expected += [0xCA, 0xF2, 0x49, 0x71] // 1e30 rounded to float32
        XCTAssertEqual(expected.count, 264)
        XCTAssertEqual(try scratch.bytes("p.tiff"), expected)
    }
}
