import DetectorStream
import XCTest

/// Each malformed message is one `.bad` event with a clear reason, and the next message decodes.
final class Stream2MalformedMessageTests: XCTestCase {
    private typealias M = Stream2DecoderTests
    private let good = M.image(id: 9, channels: [("t", M.rawArray(3, 2))])

    private func assertRejected(_ message: [UInt8], _ kind: StreamError.Kind, _ phrase: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        var d = Stream2Decoder(maxFrameBytes: 1 << 20)
        let events = feed(&d, [[message], [good]])
        XCTAssertEqual(events.first?.badError?.kind, kind, "\(events)", file: file, line: line)
        XCTAssertTrue(events.first?.badError?.message.contains(phrase) == true,
                      "\(String(describing: events.first?.badError?.message)) lacks \"\(phrase)\"", file: file, line: line)
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.frameNumber), [9], "the next message decodes", file: file, line: line)
        XCTAssertEqual(d.bad, 1, file: file, line: line)
    }

    private func image(_ array: CBORTestItem) -> [UInt8] { M.image(id: 0, channels: [("t", array)]) }

    func testJSONIsNotCBOR() { assertRejected(Array("{\"type\":\"image\"}".utf8), .truncated, "not a CBOR message") }
    func testTruncatedMessage() { assertRejected(Array(good.dropLast(3)), .truncated, "not a CBOR message") }
    func testMessageThatIsNotAMap() { assertRejected(CBORTestItem.array([.text("image")]).encoded, .badValue, "is array, expected a map") }
    func testMissingType() { assertRejected(CBORTestItem.map([("series_id", .u(1))]).encoded, .missingKey, "no \"type\"") }
    func testTypeThatIsNotText() { assertRejected(CBORTestItem.map([("type", .u(1))]).encoded, .badValue, "not text") }
    func testUnknownType() { assertRejected(CBORTestItem.map([("type", .text("calibration"))]).encoded, .badValue, "unknown message type \"calibration\"") }

    func testImageWithoutData() {
        assertRejected(CBORTestItem.map([("type", .text("image")), ("series_id", .u(7)), ("image_id", .u(0))]).encoded, .missingData, "no \"data\"")
    }

    func testImageWithoutSeriesOrImageID() {
        assertRejected(CBORTestItem.map([("type", .text("image")), ("image_id", .u(0))]).encoded, .missingKey, "series_id")
        assertRejected(CBORTestItem.map([("type", .text("image")), ("series_id", .u(7)), ("image_id", .text("0"))]).encoded, .missingKey, "image_id")
    }

    func testDataThatIsNotAMapOrEmpty() {
        assertRejected(M.image(id: 0, channels: []), .missingData, "no channel")
        let notMap = CBORTestItem.map([("type", .text("image")), ("series_id", .u(7)), ("image_id", .u(0)), ("data", .bytes([1]))]).encoded
        assertRejected(notMap, .badValue, "expected a map of channels")
    }

    func testRawSizeDisagreeingWithTheShape() {
        assertRejected(image(M.rawArray(3, 2, bytes: [UInt8](repeating: 0, count: 10))), .sizeMismatch, "10 bytes")
    }

    func testCompressedHeaderDisagreeingWithTheShape() {
        var header = [UInt8](repeating: 0, count: 12)
        header[7] = 99
        let array = CBORTestItem.tag(40, .array([.array([.u(2), .u(3)]), .tag(69, .tag(56500, .array([.text("bslz4"), .u(2), .bytes(header)])))]))
        assertRejected(image(array), .sizeMismatch, "header says 99 bytes")
        let short = CBORTestItem.tag(40, .array([.array([.u(2), .u(3)]), .tag(69, .tag(56500, .array([.text("lz4"), .u(0), .bytes([0, 0])])))]))
        assertRejected(image(short), .sizeMismatch, "shorter than its 12-byte header")
    }

    func testBitshuffleElementSizeDisagreeingWithThePixelType() {
        var header = [UInt8](repeating: 0, count: 12)
        header[7] = 12
        let array = CBORTestItem.tag(40, .array([.array([.u(2), .u(3)]), .tag(69, .tag(56500, .array([.text("bslz4"), .u(4), .bytes(header)])))]))
        assertRejected(image(array), .sizeMismatch, "element size 4")
    }

    func testUnknownCompressionAlgorithm() {
        let array = CBORTestItem.tag(40, .array([.array([.u(2), .u(3)]), .tag(69, .tag(56500, .array([.text("zstd"), .u(2), .bytes([0])])))]))
        assertRejected(image(array), .unsupported, "compression \"zstd\"")
    }

    func testUnknownTagInsideData() {
        assertRejected(image(.tag(40, .array([.array([.u(2), .u(3)]), .tag(12345, .bytes([0]))]))), .unsupported, "unknown tag 12345")
    }

    func testMalformedMultiDimensionalArray() {
        assertRejected(image(.tag(40, .array([.u(2), .u(3)]))), .badValue, "must hold [[dims], array]")
        assertRejected(image(.tag(40, .array([.array([.u(2), .u(3), .u(4)]), .tag(69, .bytes([UInt8](repeating: 0, count: 48)))]))),
                       .badValue, "3 dimensions")
        assertRejected(image(.tag(40, .array([.array([.u(0), .u(3)]), .tag(69, .bytes([]))]))), .badValue, "empty")
    }

    func testColumnMajorArrayIsNotSupportedYet() {
        assertRejected(image(.tag(1040, .array([.array([.u(2), .u(3)]), .tag(69, .bytes(M.pixels(3, 2)))]))), .unsupported, "column-major")
    }

    func testAbsurdShapeIsRefusedBeforeAnythingElse() {
        assertRejected(image(.tag(40, .array([.array([.u(1 << 40), .u(1 << 40)]), .tag(69, .bytes([0]))]))), .tooLarge, "--max-frame-bytes")
    }

    func testImageWithoutShapeOrStart() {
        assertRejected(image(.tag(69, .bytes(M.pixels(3, 2)))), .missingKey, "no shape")
    }

    func testNestingBomb() {
        let bomb = CBORTestItem.raw([UInt8](repeating: 0x81, count: 5000) + [0])
        assertRejected(CBORTestItem.map([("type", .text("image")), ("user_data", bomb)]).encoded, .tooDeep, "nesting deeper")
    }

    func testMultipartMessage() {
        var d = Stream2Decoder(maxFrameBytes: 1 << 20)
        let events = feed(&d, [[good, good], [good]])
        XCTAssertEqual(events.first?.badError?.kind, .unexpectedData)
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 1)
    }

    func testMutatedFixtureLikeMessagesNeverTrapAndAreAccountedFor() {
        var g = SplitMix(state: 2023)
        var d = Stream2Decoder(maxFrameBytes: 1 << 16)
        let seeds = [M.start(), good, M.end()]
        var frames = 0, bads = 0
        for round in 0..<3000 {
            var m = seeds[round % 3]
            for _ in 0...g.below(3) {
                switch g.below(3) {
                case 0: m[g.below(m.count)] = UInt8(truncatingIfNeeded: g.next())
                case 1: m.insert(UInt8(truncatingIfNeeded: g.next()), at: g.below(m.count + 1))
                default: if m.count > 1 { m.remove(at: g.below(m.count)) }
                }
            }
            for e in feed(&d, [[m]]) {
                if e.frameDescriptor != nil { frames += 1 }
                if e.badError != nil { bads += 1 }
            }
        }
        XCTAssertEqual(UInt64(frames), d.frames)
        XCTAssertEqual(UInt64(bads), d.bad)
        XCTAssertGreaterThan(bads, 500)
    }
}
