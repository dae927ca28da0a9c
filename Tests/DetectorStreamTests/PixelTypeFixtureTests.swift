import DetectorStream
import XCTest

/// Messages written byte by byte from the specs (RFC 8949/8746 and DECTRIS stream v2; the
/// array-1.0 htype and ADZMQ's header), not by our encoders, and malformed variants of them.
final class PixelTypeFixtureTests: XCTestCase {
    /// `hex` over several lines: one CBOR item per line reads better.
    static func hexLines(_ text: String) -> [UInt8] { hex(text.split(whereSeparator: \.isWhitespace).joined()) }

    /// A stream v2 image, series 1, image 3, channel threshold_1: tag 40 [[2, 3], tag 65 (uint16
    /// big-endian) 12 bytes], pixels 1, 2, 0x0102, 0xFFFF, 256, 0x1234 in big-endian order.
    static let imageU16BE = hexLines("""
        d9d9f7 a4
        64 74797065 65 696d616765
        69 7365726965735f6964 01
        68 696d6167655f6964 03
        64 64617461 a1 6b 7468726573686f6c645f31
        d828 82 82 02 03 d841 4c 0001 0002 0102 ffff 0100 1234
        """)

    /// The same frame layout with tag 85 (float32 little-endian), dims [1, 4]: 1.5, -2.0, NaN, 0.25.
    static let imageF32LE = hexLines("""
        d9d9f7 a4
        64 74797065 65 696d616765
        69 7365726965735f6964 01
        68 696d6167655f6964 04
        64 64617461 a1 6b 7468726573686f6c645f31
        d828 82 82 01 04 d855 50 0000c03f 000000c0 0000c07f 0000803e
        """)

    private func onlyFrame(_ events: [Recorded], file: StaticString = #filePath, line: UInt = #line) throws
        -> (FrameDescriptor, [UInt8]) {
        XCTAssertEqual(events.compactMap(\.badError), [], file: file, line: line)
        let frames = events.compactMap { if case .frame(let d, let p) = $0 { (d, p) } else { nil } }
        XCTAssertEqual(frames.count, 1, "\(events)", file: file, line: line)
        return try XCTUnwrap(frames.first, file: file, line: line)
    }

    func testStream2Tag65ImageIsBigEndianUint16WithItsBytesUntouched() throws {
        var d = Stream2Decoder(maxFrameBytes: 1 << 20)
        let (frame, payload) = try onlyFrame(feed(&d, [[Self.imageU16BE]]))
        XCTAssertEqual(frame, FrameDescriptor(series: 1, frameNumber: 3, frameIndex: 3, width: 3, height: 2, pixelType: .uint16,
                                              encoding: .raw, byteCount: 12, complete: true, bigEndian: true))
        let values = stride(from: 0, to: payload.count, by: 2).map { UInt16(payload[$0]) << 8 | UInt16(payload[$0 + 1]) }
        XCTAssertEqual(values, [1, 2, 0x0102, 0xFFFF, 256, 0x1234])
    }

    func testStream2Tag85ImageIsLittleEndianFloat32() throws {
        var d = Stream2Decoder(maxFrameBytes: 1 << 20)
        let (frame, payload) = try onlyFrame(feed(&d, [[Self.imageF32LE]]))
        XCTAssertEqual(frame, FrameDescriptor(series: 1, frameNumber: 4, frameIndex: 4, width: 4, height: 1, pixelType: .float32,
                                              encoding: .raw, byteCount: 16, complete: true, bigEndian: false))
        let values = payload.withUnsafeBytes { raw in (0..<4).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) } }
        XCTAssertEqual(values[0], 1.5)
        XCTAssertEqual(values[1], -2.0)
        XCTAssertTrue(values[2].isNaN)
        XCTAssertEqual(values[3], 0.25)
    }

    func testArrayInt16HeaderGivesASignedLittleEndianFrame() throws {
        let header = bytes("{\"htype\":\"array-1.0\",\"shape\":[2,2],\"type\":\"int16\",\"frame\":5,\"endianness\":\"little\"}")
        let data: [UInt8] = [0xFF, 0xFF, 0x2C, 0x01, 0x00, 0x80, 0x07, 0x00]   // -1, 300, -32768, 7
        var d = ArrayStreamDecoder(maxFrameBytes: 1 << 20)
        let events = feed(&d, [[header, data]])
        XCTAssertEqual(events.first?.seriesInfo?.pixelType, .int16)
        let (frame, payload) = try onlyFrame(events)
        XCTAssertEqual(frame, FrameDescriptor(series: 1, frameNumber: 5, frameIndex: 0, width: 2, height: 2, pixelType: .int16,
                                              encoding: .raw, byteCount: 8, complete: true, bigEndian: false))
        let values = payload.withUnsafeBytes { raw in (0..<4).map { Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self)) } }
        XCTAssertEqual(values, [-1, 300, -32768, 7])
    }

    /// NDPluginZMQ's form: htype as an array, shape x first ([2, 1]: two pixels in one row).
    func testADZMQFloat64HeaderGivesAFloat64Frame() throws {
        let header = bytes("{\"htype\":[\"array-1.0\"], \"type\":\"float64\", \"shape\":[2,1], \"frame\":9, \"timeStamp\":1.5, \"encoding\":\"\", \"ndattr\":{}}")
        let data: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0xE0, 0xBF]   // 1.0, -0.5
        var d = ArrayStreamDecoder(maxFrameBytes: 1 << 20)
        let (frame, payload) = try onlyFrame(feed(&d, [[header, data]]))
        XCTAssertEqual(frame, FrameDescriptor(series: 1, frameNumber: 9, frameIndex: 0, width: 2, height: 1, pixelType: .float64,
                                              encoding: .raw, byteCount: 16, complete: true))
        let values = payload.withUnsafeBytes { raw in (0..<2).map { Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) } }
        XCTAssertEqual(values, [1.0, -0.5])
    }

    func testArrayBigEndianHeaderMarksTheFrameBigEndian() throws {
        let header = bytes("{\"htype\":\"array-1.0\",\"shape\":[1,2],\"type\":\"int32\",\"frame\":0,\"endianness\":\"big\"}")
        var d = ArrayStreamDecoder(maxFrameBytes: 1 << 20)
        let (frame, _) = try onlyFrame(feed(&d, [[header, [0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE]]]))
        XCTAssertEqual(frame.pixelType, .int32)
        XCTAssertTrue(frame.bigEndian)
    }

    // MARK: - Malformed

    private let goodArray = [bytes("{\"htype\":\"array-1.0\",\"shape\":[1,2],\"type\":\"uint8\",\"frame\":0}"), [1, 2]]

    private func arrayHeader(type: String) -> [UInt8] {
        bytes("{\"htype\":\"array-1.0\",\"shape\":[2,2],\"type\":\"\(type)\",\"frame\":1}")
    }

    func testArrayUnknownDtypeNamesAreBadAndListTheKnownOnes() {
        for name in ["uint12", "Float32", "int", "f4"] {
            var d = ArrayStreamDecoder(maxFrameBytes: 4096)
            assertRejected(&d, [arrayHeader(type: name), payload(count: 16)], kind: .badValue,
                           mentions: ["\"\(name)\"", "uint8–uint64, int8–int64, float32, float64"], thenDecodes: goodArray)
        }
    }

    func testArrayFloat128IsUnsupportedByName() {
        var d = ArrayStreamDecoder(maxFrameBytes: 4096)
        assertRejected(&d, [arrayHeader(type: "float128"), payload(count: 64)], kind: .unsupported,
                       mentions: ["pixel type float128 not supported"], thenDecodes: goodArray)
    }

    func testArrayRawDataOfTheWrongSizeForAWideTypeIsASizeMismatch() {
        var d = ArrayStreamDecoder(maxFrameBytes: 4096)
        assertRejected(&d, [arrayHeader(type: "float64"), payload(count: 16)], kind: .sizeMismatch,
                       mentions: ["16 bytes", "32"], thenDecodes: goodArray)
    }

    private typealias M = Stream2DecoderTests

    private func assertStream2Rejected(_ messages: [[UInt8]], _ kind: StreamError.Kind, _ phrases: [String],
                                       file: StaticString = #filePath, line: UInt = #line) {
        var d = Stream2Decoder(maxFrameBytes: 1 << 20)
        let errors = feed(&d, messages.map { [$0] }).compactMap(\.badError)
        XCTAssertEqual(errors.map(\.kind), [kind], "\(errors)", file: file, line: line)
        for phrase in phrases {
            XCTAssertTrue(errors.first?.message.contains(phrase) == true, "\(errors) lacks \(phrase)", file: file, line: line)
        }
        let after = feed(&d, [[Self.imageU16BE]])
        XCTAssertEqual(after.compactMap(\.frameDescriptor).count, 1, "the next message decodes: \(after)", file: file, line: line)
    }

    func testStream2UnknownImageDtypeWithoutATypedArrayTagIsUnsupportedByName() {
        let untagged = CBORTestItem.tag(40, .array([.array([.u(2), .u(3)]), .bytes([UInt8](repeating: 0, count: 12))]))
        assertStream2Rejected([M.start(dtype: "uint12"), M.image(id: 1, channels: [("t", untagged)])], .unsupported,
                              ["image_dtype \"uint12\""])
    }

    func testStream2Float128IsUnsupportedByName() {
        assertStream2Rejected([M.image(id: 1, channels: [("t", M.rawArray(1, 1, tag: 87, bytes: [UInt8](repeating: 0, count: 16)))])],
                              .unsupported, ["float128", "not supported"])
    }

    func testStream2TypedArrayThatIsNotWholeElementsIsNamed() {
        for (tag, count, words) in [(UInt64(70), 10, ["10-byte typed array", "4-byte uint32"]), (86, 20, ["20-byte", "8-byte float64"]),
                                    (73, 5, ["5-byte", "2-byte int16"])] {
            assertStream2Rejected([M.image(id: 1, channels: [("t", M.rawArray(1, 2, tag: tag, bytes: [UInt8](repeating: 1, count: count)))])],
                                  .sizeMismatch, words)
        }
    }

    /// Tag 56500's element size decides the bitshuffle width: it must be the tag's element size.
    func testStream2CompressionElementSizeDisagreeingWithTheTagIsASizeMismatch() {
        for (tag, algorithm, size, type) in [(UInt64(78), "bslz4", UInt64(2), "int32"), (86, "bslz4", 4, "float64"),
                                             (85, "lz4", 8, "float32"), (65, "bslz4", 1, "uint16")] {
            var framing = [UInt8](repeating: 0, count: 12)
            let bytesPerPixel: UInt8 = type == "float64" ? 8 : type == "uint16" ? 2 : 4
            framing[7] = 4 * bytesPerPixel   // 2 × 2 pixels
            framing[10] = 0x20
            let array = CBORTestItem.tag(40, .array([.array([.u(2), .u(2)]),
                                                     .tag(tag, .tag(56500, .array([.text(algorithm), .u(size), .bytes(framing + [0, 0, 0, 0])])))]))
            assertStream2Rejected([M.image(id: 1, channels: [("t", array)])], .sizeMismatch,
                                  ["\(algorithm) element size \(size)", "pixel type \(type) has \(bytesPerPixel)"])
        }
    }
}
