import DetectorStream
import XCTest

/// Each malformed SIMPLON message is rejected with the right kind and a message naming the
/// problem, and the next good message still decodes.
final class SimplonMalformedInputTests: XCTestCase {
    private var d = SimplonStreamDecoder(maxFrameBytes: 4096)
    private let good = Simplon.rawImage(frame: 9)

    private func image(_ descriptor: [UInt8], data: [UInt8] = payload(count: 24)) -> [[UInt8]] {
        [Simplon.dimage(frame: 0), descriptor, data, Simplon.dconfig]
    }

    func testUnknownHtypeIsNamed() {
        assertRejected(&d, [bytes("{\"htype\":\"dimage-2.0\",\"frame\":0}")], kind: .badValue, mentions: ["unknown htype", "dimage-2.0"], thenDecodes: good)
    }

    func testBinaryMessageIsNotJSON() {
        assertRejected(&d, [[0x00, 0x01, 0x02, 0xFF]], kind: .notJSON, mentions: ["4-byte", "not a JSON header"], thenDecodes: good)
    }

    func testTruncatedHeaderIsReported() {
        assertRejected(&d, [bytes("{\"htype\":\"dimage-1.0\",\"fra")], kind: .truncated, mentions: ["simplon", "JSON ends"], thenDecodes: good)
    }

    func testJSONWithoutHtypeIsNamed() {
        assertRejected(&d, [bytes("{\"series\":7,\"frame\":0}"), payload(count: 24)], kind: .missingKey, mentions: ["htype"], thenDecodes: good)
    }

    func testImageWithoutDconfigPartIsMissingData() {
        assertRejected(&d, Array(good.prefix(3)), kind: .missingData, mentions: ["3 parts", "expected 4 or 5"], thenDecodes: good)
    }

    func testImageWithTooManyPartsIsUnexpectedData() {
        assertRejected(&d, good + [bytes("appendix"), bytes("extra")], kind: .unexpectedData, mentions: ["6 parts"], thenDecodes: good)
    }

    func testSinglePartImageHeaderIsMissingData() {
        assertRejected(&d, [Simplon.dimage(frame: 0)], kind: .missingData, mentions: ["1 parts"], thenDecodes: good)
    }

    func testSecondPartThatIsNotDimageDIsNamed() {
        assertRejected(&d, image(Simplon.dconfig), kind: .badValue, mentions: ["part 2", "dconfig-1.0", "expected dimage_d-1.0"], thenDecodes: good)
    }

    func testFourthPartThatIsNotDconfigIsNamed() {
        var message = good
        message[3] = bytes("{\"htype\":\"dimage_d-1.0\"}")
        assertRejected(&d, message, kind: .badValue, mentions: ["part 4", "expected dconfig-1.0"], thenDecodes: good)
    }

    func testNonJSONDescriptorIsNotJSON() {
        assertRejected(&d, image(bytes("shape=4x3")), kind: .notJSON, mentions: ["simplon", "not a JSON header"], thenDecodes: good)
    }

    func testImageWithoutFrameIsMissingKey() {
        var message = good
        message[0] = bytes("{\"htype\":\"dimage-1.0\",\"series\":7,\"hash\":\"\"}")
        assertRejected(&d, message, kind: .missingKey, mentions: ["\"frame\""], thenDecodes: good)
    }

    func testThreeAxisShapeIsBad() {
        assertRejected(&d, image(Simplon.dimageD(shape: "[4,3,1]", size: 24)), kind: .badValue, mentions: ["shape [4, 3, 1]"], thenDecodes: good)
    }

    func testZeroShapeIsBad() {
        assertRejected(&d, image(Simplon.dimageD(shape: "[0,3]", size: 0), data: []), kind: .badValue, mentions: ["shape [0, 3]"], thenDecodes: good)
    }

    func testShapeOfStringsIsBad() {
        assertRejected(&d, image(Simplon.dimageD(shape: "[\"4\",3]", size: 24)), kind: .badValue, mentions: ["\"shape\"", "integer"], thenDecodes: good)
    }

    func testUnknownTypeIsBad() {
        assertRejected(&d, image(Simplon.dimageD(type: "uint12", size: 24)), kind: .badValue, mentions: ["uint12"], thenDecodes: good)
    }

    func testFloatTypeIsUnsupportedNamingTheSimplonTypes() {
        assertRejected(&d, image(Simplon.dimageD(type: "float32", size: 48), data: payload(count: 48)), kind: .unsupported,
                       mentions: ["float32", "not a SIMPLON v1 type", "uint8, uint16 or uint32"], thenDecodes: good)
    }

    func testSignedTypeIsUnsupportedNamingIt() {
        assertRejected(&d, image(Simplon.dimageD(type: "int16", size: 24), data: payload(count: 24)), kind: .unsupported,
                       mentions: ["int16", "not a SIMPLON v1 type"], thenDecodes: good)
    }

    func testUnknownEncodingIsBad() {
        assertRejected(&d, image(Simplon.dimageD(encoding: "zstd<", size: 24)), kind: .badValue, mentions: ["encoding \"zstd<\""], thenDecodes: good)
    }

    func testMissingEncodingIsMissingKey() {
        let descriptor = bytes("{\"htype\":\"dimage_d-1.0\",\"shape\":[4,3],\"type\":\"uint16\",\"size\":24}")
        assertRejected(&d, image(descriptor), kind: .missingKey, mentions: ["\"encoding\""], thenDecodes: good)
    }

    func testRawDataOfTheWrongSizeIsASizeMismatch() {
        assertRejected(&d, image(Simplon.dimageD(size: 20), data: payload(count: 20)), kind: .sizeMismatch,
                       mentions: ["20 bytes", "= 24"], thenDecodes: good)
    }

    func testSizeFieldDisagreeingWithTheDataPartIsASizeMismatch() {
        assertRejected(&d, image(Simplon.dimageD(encoding: "lz4<", size: 99), data: payload(count: 30)), kind: .sizeMismatch,
                       mentions: ["30 bytes", "size 99"], thenDecodes: good)
    }

    func testShapeBeyondTheFrameLimitIsTooLarge() {
        assertRejected(&d, image(Simplon.dimageD(shape: "[100000,100000]", encoding: "lz4<", size: 24)), kind: .tooLarge,
                       mentions: ["[100000, 100000]", "--max-frame-bytes"], thenDecodes: good)
    }

    func testCompressedPartBeyondTheFrameLimitIsTooLarge() {
        assertRejected(&d, image(Simplon.dimageD(encoding: "bs16-lz4<", size: 5000), data: payload(count: 5000)), kind: .tooLarge,
                       mentions: ["5000 bytes", "--max-frame-bytes"], thenDecodes: good)
    }

    func testUnknownHeaderDetailIsBad() {
        assertRejected(&d, [Simplon.dheader(detail: "most")], kind: .badValue, mentions: ["header_detail \"most\""], thenDecodes: good)
    }

    func testHeaderDetailAllWithTooFewPartsIsMissingData() {
        assertRejected(&d, Array(Simplon.headerAll().prefix(3)), kind: .missingData,
                       mentions: ["header_detail all", "3 parts", "8 or 9"], thenDecodes: good)
    }

    func testHeaderDetailNoneWithAnExtraPartIsUnexpectedData() {
        assertRejected(&d, [Simplon.dheader(detail: "none"), Simplon.config], kind: .unexpectedData,
                       mentions: ["header_detail none", "2 parts"], thenDecodes: good)
    }

    func testDetailPartsInTheWrongOrderAreNamed() {
        var header = Simplon.headerAll()
        header.swapAt(2, 4)
        header.swapAt(3, 5)
        assertRejected(&d, header, kind: .badValue, mentions: ["part 3", "dpixelmask-1.0", "expected dflatfield-1.0"], thenDecodes: good)
    }

    func testConfigThatIsNotJSONIsNamed() {
        assertRejected(&d, [Simplon.dheader(detail: "basic"), bytes("not json")], kind: .notJSON,
                       mentions: ["detector config of series 7"], thenDecodes: good)
    }

    func testSeparateHeaderWhoseConfigNeverCameIsReportedAndTheImageStillDecodes() {
        _ = feed(&d, [[Simplon.dheader(detail: "basic")]])
        let events = feed(&d, [good])
        XCTAssertEqual(events.compactMap(\.badError).map(\.kind), [.missingData])
        XCTAssertTrue(events.compactMap(\.badError).first?.message.contains("announced a detector config") == true)
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 1)
    }

    func testDescriptorWithoutItsImageHeaderIsUnexpectedData() {
        assertRejected(&d, Array(good.dropFirst()), kind: .unexpectedData, mentions: ["dimage_d-1.0", "no dimage-1.0"], thenDecodes: good)
    }
}
