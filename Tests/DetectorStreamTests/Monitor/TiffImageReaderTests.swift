@testable import DetectorStream
import XCTest

/// The baseline TIFF the DECTRIS monitor serves, read into pixels: every supported sample type in
/// both byte orders and in several strips, and each malformed file refused with its own reason.
final class TiffImageReaderTests: XCTestCase {
    /// The reader's result for `bytes`, with the pixels it copied (stale contents must not survive).
    private func result(_ bytes: [UInt8], maxPixelBytes: Int = 1 << 20) -> (Result<TiffImage, TiffError>, [UInt8]) {
        var pixels: [UInt8] = [0xAA]
        let result = bytes.withUnsafeBytes { body in
            Result { () throws(TiffError) in try TiffImageReader.read(body, maxPixelBytes: maxPixelBytes, into: &pixels) }
        }
        return (result, pixels)
    }

    private func read(_ tiff: TestTiff) throws -> (TiffImage, [UInt8]) {
        let (result, pixels) = result(tiff.bytes)
        return (try result.get(), pixels)
    }

    private func refusal(_ tiff: TestTiff, maxPixelBytes: Int = 1 << 20) -> String? {
        refusal(of: tiff.bytes, maxPixelBytes: maxPixelBytes)
    }

    private func refusal(of bytes: [UInt8], maxPixelBytes: Int = 1 << 20) -> String? {
        guard case .failure(let error) = result(bytes, maxPixelBytes: maxPixelBytes).0 else { return nil }
        return error.description
    }

    func testUInt16LittleEndianInOneStrip() throws {
        let values: [UInt16] = [1, 2, 3, 4, 5, 6, 65535, 300, 0, 7, 8, 9]
        let (image, pixels) = try read(.uint16(values, width: 4, height: 3))
        XCTAssertEqual(image, TiffImage(width: 4, height: 3, pixelType: .uint16, bigEndian: false))
        XCTAssertEqual(pixels, values.flatMap { TestTiff.bytes(UInt64($0), 2, false) })
    }

    func testUInt16BigEndianInManyStripsKeepsTheFilesByteOrder() throws {
        let values = (0..<35).map { UInt16($0 * 1000) }
        // 5 rows of 7, strips of 2 rows: 3 strips, the last one short.
        let (image, pixels) = try read(.uint16(values, width: 7, height: 5, bigEndian: true, rowsPerStrip: 2))
        XCTAssertEqual(image, TiffImage(width: 7, height: 5, pixelType: .uint16, bigEndian: true))
        XCTAssertEqual(pixels, values.flatMap { TestTiff.bytes(UInt64($0), 2, true) }, "strips joined in order, unswapped")
    }

    func testUInt8UInt32AndFloat32() throws {
        let (u8, u8Pixels) = try read(.uint8([0, 1, 254, 255], width: 2, height: 2))
        XCTAssertEqual(u8.pixelType, .uint8)
        XCTAssertEqual(u8Pixels, [0, 1, 254, 255])

        let words: [UInt32] = [0, 1, 4_000_000_000, 0xFFFF_FFFF, 17, 18]
        for bigEndian in [false, true] {
            let (u32, u32Pixels) = try read(.uint32(words, width: 3, height: 2, bigEndian: bigEndian))
            XCTAssertEqual(u32, TiffImage(width: 3, height: 2, pixelType: .uint32, bigEndian: bigEndian))
            XCTAssertEqual(u32Pixels, words.flatMap { TestTiff.bytes(UInt64($0), 4, bigEndian) })
        }

        let floats: [Float] = [0.5, -1.25, 3e7, .nan]
        let (f32, f32Pixels) = try read(.float32(floats, width: 2, height: 2))
        XCTAssertEqual(f32.pixelType, .float32)
        let decoded = f32Pixels.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(Array(decoded.prefix(3)), [0.5, -1.25, 3e7])
        XCTAssertTrue(decoded[3].isNaN)
    }

    func testSignedAndDoubleSampleFormats() throws {
        var tiff = TestTiff.image(width: 2, height: 1, bits: 16, sampleFormat: 2, samples: [0xFF, 0xFF, 1, 0])
        XCTAssertEqual(try read(tiff).0.pixelType, .int16)
        tiff = TestTiff.image(width: 1, height: 1, bits: 64, sampleFormat: 3, samples: TestTiff.bytes(2.5.bitPattern, 8, false))
        XCTAssertEqual(try read(tiff).0.pixelType, .float64)
    }

    func testSampleFormatDefaultsToUnsignedAndShortWidthsAreRead() throws {
        var tiff = TestTiff.uint16([10, 20], width: 2, height: 1)
        tiff.remove(339)
        tiff.set(256, type: 3, [2])   // SHORT instead of LONG
        let (image, _) = try read(tiff)
        XCTAssertEqual(image, TiffImage(width: 2, height: 1, pixelType: .uint16, bigEndian: false))
    }

    func testNotATiffIsNamedWithItsFirstBytes() {
        XCTAssertEqual(refusal(of: Array("<html>not found</html>".utf8)), "not a TIFF: it starts with 3c 68 74 6d, not II or MM")
        XCTAssertEqual(refusal(of: [0x49, 0x49, 42]), "not a TIFF: 3 bytes, shorter than a TIFF header")
        XCTAssertEqual(refusal(of: [0x49, 0x49, 7, 0, 8, 0, 0, 0]), "not a TIFF: magic number 7, not 42")
        XCTAssertEqual(refusal(of: [0x49, 0x49, 43, 0, 8, 0, 0, 0]), "BigTIFF is not supported (a monitor image is a classic TIFF)")
    }

    func testDirectoryOutsideTheBodyIsRefused() {
        var tiff = TestTiff.uint16([1, 2], width: 2, height: 1)
        tiff.directoryOffset = 0xFFFF_FFF0
        XCTAssertEqual(refusal(tiff), "TIFF image directory at 4294967280 lies outside the \(tiff.bytes.count)-byte body")
    }

    func testTruncatedDirectoryIsRefused() {
        let bytes = TestTiff.uint16([1, 2], width: 2, height: 1).bytes
        let cut = Array(bytes.prefix(8 + 4 + 2 + 12 * 3))   // header, pixels, count, three entries of ten
        XCTAssertTrue(refusal(of: cut)?.contains("lies outside the \(cut.count)-byte body") == true, refusal(of: cut) ?? "read")
    }

    func testStripOutsideTheBodyIsRefused() {
        var tiff = TestTiff.uint16([1, 2, 3, 4], width: 2, height: 2)
        tiff.set(273, type: 4, [100_000])
        XCTAssertEqual(refusal(tiff), "TIFF strip of 8 bytes at 100000 lies outside the \(tiff.bytes.count)-byte body")
    }

    func testStripsShorterThanTheImageAreRefused() {
        var tiff = TestTiff.uint16([1, 2, 3, 4], width: 2, height: 2)
        tiff.set(279, type: 4, [6])
        XCTAssertEqual(refusal(tiff), "TIFF strips hold 6 bytes; a 2×2 uint16 image needs 8")
    }

    func testAbsurdSizeIsRefusedBeforeAnyCopy() {
        var tiff = TestTiff.uint16([1, 2], width: 2, height: 1)
        tiff.set(256, type: 4, [100_000])
        tiff.set(257, type: 4, [100_000])
        XCTAssertEqual(refusal(tiff, maxPixelBytes: 80 << 20),
                       "TIFF image of 100000×100000 uint16 exceeds --max-frame-bytes 83886080")
        tiff.set(256, type: 4, [0])
        XCTAssertEqual(refusal(tiff), "TIFF image of 0×100000 pixels")
    }

    func testUnsupportedLayoutsSayWhich() {
        var compressed = TestTiff.uint16([1, 2], width: 2, height: 1)
        compressed.set(259, [5])
        XCTAssertEqual(refusal(compressed), "TIFF compression 5 is not supported (uncompressed only)")

        var rgb = TestTiff.uint16([1, 2], width: 2, height: 1)
        rgb.set(277, [3])
        XCTAssertEqual(refusal(rgb), "TIFF with 3 samples per pixel is not supported (one expected)")

        var tiled = TestTiff.uint16([1, 2], width: 2, height: 1)
        tiled.set(322, [16])
        XCTAssertEqual(refusal(tiled), "tiled TIFF is not supported (strips only)")

        var twelveBit = TestTiff.uint16([1, 2], width: 2, height: 1)
        twelveBit.set(258, [12])
        XCTAssertEqual(refusal(twelveBit), "TIFF samples of 12 bits in sample format 1 are not supported")

        var planar = TestTiff.uint16([1, 2], width: 2, height: 1)
        planar.set(284, [2])
        XCTAssertEqual(refusal(planar), "TIFF planar configuration 2 is not supported")
    }

    func testMissingOrInconsistentTagsAreNamed() {
        var noWidth = TestTiff.uint16([1, 2], width: 2, height: 1)
        noWidth.remove(256)
        XCTAssertEqual(refusal(noWidth), "TIFF lacks its ImageWidth tag")

        var noStrips = TestTiff.uint16([1, 2], width: 2, height: 1)
        noStrips.remove(273)
        XCTAssertEqual(refusal(noStrips), "TIFF lacks its StripOffsets tag")

        var mismatched = TestTiff.uint16([1, 2, 3, 4], width: 2, height: 2, rowsPerStrip: 1)
        mismatched.set(279, type: 4, [4])
        XCTAssertEqual(refusal(mismatched), "TIFF has 2 strip offsets but 1 strip byte counts")

        var rational = TestTiff.uint16([1, 2], width: 2, height: 1)
        rational.set(256, type: 5, [2])
        XCTAssertEqual(refusal(rational), "TIFF tag ImageWidth has field type 5, not BYTE, SHORT or LONG")

        var hugeCount = TestTiff.uint16([1, 2], width: 2, height: 1)
        hugeCount.set(273, type: 4, [8, 8])
        var bytes = hugeCount.bytes
        // The StripOffsets entry (the sixth in tag order) gets a count of 2^31.
        let directory = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
        let entry = directory + 2 + 12 * 5
        bytes.replaceSubrange((entry + 4)..<(entry + 8), with: [0, 0, 0, 0x80])
        XCTAssertEqual(refusal(of: bytes), "TIFF tag StripOffsets has 2147483648 values")
    }

    func testStalePixelsOfAnEarlierImageAreReplaced() throws {
        let (image, pixels) = result(TestTiff.uint8([1, 2], width: 2, height: 1).bytes)
        XCTAssertNoThrow(try image.get())
        XCTAssertEqual(pixels, [1, 2], "the buffer held 0xAA before")
    }
}
