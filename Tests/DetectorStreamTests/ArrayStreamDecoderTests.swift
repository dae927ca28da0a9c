import DetectorStream
import XCTest

final class ArrayStreamDecoderTests: XCTestCase {
    /// Exactly as NDPluginZMQ (ADZMQ before 1.4) writes it: htype as an array, shape x first,
    /// ", " separators, timeStamp with 17 digits, the codec name, ndattr unescaped.
    static func ndPluginZMQHeader(frame: Int = 17, shape: String = "[4,3]", type: String = "uint16",
                                  ndattr: String = "{\"ColorMode\":0,\"AcquireTime\":0.10000000000000001,\"FilePath\":\"C:\\data\\scan 1\"}") -> [UInt8] {
        bytes("{\"htype\":[\"array-1.0\"], \"type\":\"\(type)\", \"shape\":\(shape), \"frame\":\(frame), \"timeStamp\":1016551513.1234567, \"encoding\":\"\", \"ndattr\":\(ndattr)}")
    }

    /// A PSI std-detector-buffer header: htype a string, shape slowest axis first.
    static func stdDetectorBufferHeader(frame: Int = 1001, shape: String = "[3,4]", type: String = "uint16",
                                        endianness: String = "little") -> [UInt8] {
        bytes("{\"htype\":\"array-1.0\",\"shape\":\(shape),\"type\":\"\(type)\",\"frame\":\(frame),\"endianness\":\"\(endianness)\",\"source\":\"JF07T32V01\"}")
    }

    private func decoder(transpose: Bool = false) -> ArrayStreamDecoder {
        ArrayStreamDecoder(maxFrameBytes: 1 << 20, transpose: transpose)
    }

    func testNDPluginZMQHeaderListsShapeXFirst() {
        var d = decoder()
        let data = payload(count: 24)
        let events = feed(&d, [[Self.ndPluginZMQHeader(), data]])
        XCTAssertEqual(events.count, 2, "\(events)")
        XCTAssertEqual(events.first?.seriesInfo?.format, .array)
        XCTAssertEqual(events.last, .frame(FrameDescriptor(series: 1, frameNumber: 17, frameIndex: 0, width: 4, height: 3,
                                                           pixelType: .uint16, encoding: .raw, byteCount: 24, complete: true),
                                           payload: data))
        XCTAssertEqual(d.notes, [])
    }

    func testStdDetectorBufferHeaderListsShapeSlowestFirst() {
        var d = decoder()
        let events = feed(&d, [[Self.stdDetectorBufferHeader(), payload(count: 24)]])
        let frame = events.compactMap(\.frameDescriptor).first
        XCTAssertEqual(frame?.width, 4)
        XCTAssertEqual(frame?.height, 3)
        XCTAssertEqual(frame?.frameNumber, 1001)
    }

    func testTransposeFlipsTheAxisOrderOfBothHtypeForms() {
        var a = decoder(transpose: true), b = decoder(transpose: true)
        let nd = feed(&a, [[Self.ndPluginZMQHeader(), payload(count: 24)]]).compactMap(\.frameDescriptor).first
        let psi = feed(&b, [[Self.stdDetectorBufferHeader(), payload(count: 24)]]).compactMap(\.frameDescriptor).first
        XCTAssertEqual([nd?.width, nd?.height], [3, 4])
        XCTAssertEqual([psi?.width, psi?.height], [3, 4])
    }

    func testSizeOneAxesAreDroppedAndOneAxisIsARow() {
        var d = decoder()
        let events = feed(&d, [[Self.stdDetectorBufferHeader(shape: "[1,3,4]"), payload(count: 24)],
                               [Self.stdDetectorBufferHeader(frame: 1002, shape: "[12]"), payload(count: 24)]])
        let frames = events.compactMap(\.frameDescriptor)
        XCTAssertEqual(frames.map { [$0.width, $0.height] }, [[4, 3], [12, 1]])
    }

    func testUnreadableNdattrIsToleratedWithOneNote() {
        var d = decoder()
        // NDPluginZMQ prints an int8 attribute as a raw character.
        let broken = Self.ndPluginZMQHeader(ndattr: "{\"Gain\":\u{05}}")
        let events = feed(&d, [[broken, payload(count: 24)], [Self.ndPluginZMQHeader(frame: 18, ndattr: "{\"Gain\":\u{05}}"), payload(count: 24)]])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 2)
        XCTAssertEqual(d.notes.count, 1)
        XCTAssertTrue(d.notes[0].contains("ndattr"), d.notes[0])
    }

    func testConsecutiveFramesFormOneSeriesUntilTheShapeChanges() {
        var d = decoder()
        let events = feed(&d, [[Self.stdDetectorBufferHeader(frame: 1), payload(count: 24)],
                               [Self.stdDetectorBufferHeader(frame: 2), payload(count: 24)],
                               [Self.stdDetectorBufferHeader(frame: 3, shape: "[2,4]"), payload(count: 16)]])
        XCTAssertEqual(events.compactMap(\.seriesInfo).map(\.series), [1, 2])
        XCTAssertEqual(events.compactMap(\.seriesEnd), [[1, 2]])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.frameIndex), [0, 1, 0])
    }

    func testTypeChangeEndsTheSeries() {
        var d = decoder()
        let events = feed(&d, [[Self.stdDetectorBufferHeader(frame: 1), payload(count: 24)],
                               [Self.stdDetectorBufferHeader(frame: 2, type: "uint8"), payload(count: 12)]])
        XCTAssertEqual(events.compactMap(\.seriesEnd), [[1, 1]])
        XCTAssertEqual(events.compactMap(\.seriesInfo).map(\.pixelType), [.uint16, .uint8])
    }

    func testIdleEndsTheSeries() {
        var d = decoder()
        _ = feed(&d, [[Self.stdDetectorBufferHeader(), payload(count: 24)]])
        var events: [StreamEvent] = []
        d.idle { events.append($0) }
        XCTAssertEqual(events.map(Recorded.init), [.seriesEnd(series: 1, frames: 1)])
    }

    func testFrameJumpIsAGap() {
        var d = decoder()
        let events = feed(&d, [[Self.stdDetectorBufferHeader(frame: 10), payload(count: 24)],
                               [Self.stdDetectorBufferHeader(frame: 13), payload(count: 24)]])
        XCTAssertTrue(events.contains(.gap(series: 1, missing: 2)), "\(events)")
    }

    func testCodecNamesMapToPayloadEncodings() {
        var d = decoder()
        let header = bytes("{\"htype\":[\"array-1.0\"], \"type\":\"uint16\", \"shape\":[4,3], \"frame\":1, \"timeStamp\":0, \"encoding\":\"bslz4\", \"ndattr\":{}}")
        let frame = feed(&d, [[header, payload(count: 17)]]).compactMap(\.frameDescriptor).first
        XCTAssertEqual(frame?.encoding, .bitshuffleLZ4)
        XCTAssertEqual(frame?.byteCount, 17)
    }

    func testMisspelledEndiannessKeyIsRead() {
        var d = decoder()
        let header = bytes("{\"htype\":[\"array-1.0\"],\"tag\":\"\",\"source\":\"\",\"shape\":[4,3] ,\"frame\":1,\"type\":\"uint16\",\"endianess\":\"big\"}")
        let frames = feed(&d, [[header, payload(count: 24)]]).compactMap(\.frameDescriptor)
        XCTAssertEqual(frames.map(\.bigEndian), [true])
    }
}

/// Each malformed array-1.0 message is rejected with the right kind and a message naming the
/// problem, and the next good message still decodes.
final class ArrayMalformedInputTests: XCTestCase {
    private var d = ArrayStreamDecoder(maxFrameBytes: 4096)
    private let good = [ArrayStreamDecoderTests.stdDetectorBufferHeader(), payload(count: 24)]

    private func header(_ shape: String = "[3,4]", type: String = "uint16", endianness: String = "little") -> [UInt8] {
        ArrayStreamDecoderTests.stdDetectorBufferHeader(shape: shape, type: type, endianness: endianness)
    }

    func testHalfPrecisionFloatIsUnsupportedByName() {
        assertRejected(&d, [header(type: "float16"), payload(count: 24)], kind: .unsupported, mentions: ["pixel type float16 not supported"], thenDecodes: good)
    }

    func testUnknownTypeNameIsBad() {
        assertRejected(&d, [header(type: "complex"), payload(count: 24)], kind: .badValue, mentions: ["\"complex\""], thenDecodes: good)
    }

    func testEndiannessOtherThanLittleOrBigIsBad() {
        assertRejected(&d, [header(endianness: "middle"), payload(count: 24)], kind: .badValue, mentions: ["endianness \"middle\""], thenDecodes: good)
    }

    func testOtherHtypeIsNamed() {
        assertRejected(&d, [bytes("{\"htype\":\"chunk-1.0\",\"shape\":[3,4],\"type\":\"uint16\"}"), payload(count: 24)], kind: .badValue,
                       mentions: ["chunk-1.0", "not array-1.0"], thenDecodes: good)
    }

    func testMissingHtypeIsNamed() {
        assertRejected(&d, [bytes("{\"shape\":[3,4],\"type\":\"uint16\"}"), payload(count: 24)], kind: .missingKey, mentions: ["\"htype\""], thenDecodes: good)
    }

    func testMissingShapeIsNamed() {
        assertRejected(&d, [bytes("{\"htype\":\"array-1.0\",\"type\":\"uint16\"}"), payload(count: 24)], kind: .missingKey, mentions: ["\"shape\""], thenDecodes: good)
    }

    func testThreeDimensionalStackIsBad() {
        assertRejected(&d, [header("[2,3,4]"), payload(count: 48)], kind: .badValue, mentions: ["shape [2, 3, 4]", "2-D"], thenDecodes: good)
    }

    func testRawDataOfTheWrongSizeIsASizeMismatch() {
        assertRejected(&d, [header(), payload(count: 23)], kind: .sizeMismatch, mentions: ["23 bytes", "say 24"], thenDecodes: good)
    }

    func testHeaderWithoutDataIsMissingData() {
        assertRejected(&d, [header()], kind: .missingData, mentions: ["frame 1001", "without its data"], thenDecodes: good)
    }

    func testThreePartsAreUnexpectedData() {
        assertRejected(&d, good + [payload(count: 4)], kind: .unexpectedData, mentions: ["3 parts"], thenDecodes: good)
    }

    func testBinaryHeaderIsNotJSON() {
        assertRejected(&d, [[0x93, 0x4E, 0x55, 0x4D], payload(count: 24)], kind: .notJSON, mentions: ["4-byte part", "JSON header"], thenDecodes: good)
    }

    func testShapeBeyondTheFrameLimitIsTooLarge() {
        assertRejected(&d, [header("[1000,1000]"), payload(count: 24)], kind: .tooLarge, mentions: ["[1000, 1000]", "--max-frame-bytes"], thenDecodes: good)
    }

    func testUnknownCodecIsNotSupportedYet() {
        let jpeg = bytes("{\"htype\":[\"array-1.0\"], \"type\":\"uint8\", \"shape\":[4,3], \"frame\":1, \"timeStamp\":0, \"encoding\":\"jpeg\", \"ndattr\":{}}")
        assertRejected(&d, [jpeg, payload(count: 10)], kind: .unsupported, mentions: ["encoding \"jpeg\""], thenDecodes: good)
    }

    func testBrokenJSONOutsideNdattrIsStillAnError() {
        assertRejected(&d, [bytes("{\"htype\":\"array-1.0\",\"shape\":[3,4]\"type\":\"uint16\"}"), payload(count: 24)], kind: .notJSON,
                       mentions: ["array", "expected ',' or '}'"], thenDecodes: good)
    }
}
