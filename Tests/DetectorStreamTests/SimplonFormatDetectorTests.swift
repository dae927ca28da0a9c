import DetectorStream
import XCTest

final class SimplonFormatDetectorTests: XCTestCase {
    private func detect(_ parts: [[UInt8]]) -> WireFormat? {
        let buffers = parts.map { part -> UnsafeMutableRawBufferPointer in
            let b = UnsafeMutableRawBufferPointer.allocate(byteCount: max(part.count, 1), alignment: 16)
            b.copyBytes(from: part)
            return b
        }
        defer { buffers.forEach { $0.deallocate() } }
        let views = zip(buffers, parts).map { UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[0..<$1.count]) }
        return FormatDetector.detect(views)
    }

    /// Found by fuzz-detect: a 5-byte part starting like a CBOR map crashed the detector
    /// (an empty range), which would have killed the receiver thread.
    func testShortCBORMapLikePartsAreNotDetectedAndDoNotCrash() {
        for count in 1...8 {
            XCTAssertNil(detect([[0xA0] + [UInt8](repeating: 0, count: count - 1)]), "\(count) bytes")
        }
        XCTAssertEqual(detect([[0xA1, 0x64] + Array("type".utf8)]), .stream2, "the shortest real match")
    }

    func testSlsHeadersAreDetectedByJsonversionOrBitmode() {
        XCTAssertEqual(detect([frameHeader(frameNumber: 1, frameIndex: 0).encoded(jsonVersion: 5), payload(count: 24)]), .sls)
        XCTAssertEqual(detect([SlsHeader.endOfAcquisition(jsonVersion: 4).encoded(jsonVersion: 4)]), .sls)
        XCTAssertEqual(detect([bytes("{\"bitmode\":16,\"shape\":[4,3]}")]), .sls)
    }

    func testEverySimplonMessageKindIsDetected() {
        XCTAssertEqual(detect([Simplon.dheader(detail: "none")]), .simplon)
        XCTAssertEqual(detect(Simplon.rawImage(frame: 0)), .simplon)
        XCTAssertEqual(detect([Simplon.seriesEnd]), .simplon)
        XCTAssertEqual(detect([Simplon.maskHeader, Simplon.maskData]), .simplon)
    }

    func testBothArrayHtypeFormsAreDetected() {
        XCTAssertEqual(detect([ArrayStreamDecoderTests.ndPluginZMQHeader(), payload(count: 24)]), .array)
        XCTAssertEqual(detect([ArrayStreamDecoderTests.stdDetectorBufferHeader(), payload(count: 24)]), .array)
    }

    func testArrayHeaderWithBrokenNdattrIsStillDetected() {
        XCTAssertEqual(detect([ArrayStreamDecoderTests.ndPluginZMQHeader(ndattr: "{\"Gain\":\u{05}}")]), .array)
    }

    func testStream2IsDetectedBySelfDescribeTagOrByATypeKeyInACBORMap() {
        XCTAssertEqual(detect([[0xD9, 0xD9, 0xF7, 0xA1, 0x64] + bytes("type") + [0x63] + bytes("end")]), .stream2)
        XCTAssertEqual(detect([[0xA1, 0x64] + bytes("type") + [0x65] + bytes("image")]), .stream2)
        XCTAssertEqual(detect([[0xBF, 0x64] + bytes("type") + [0x63] + bytes("end"), [0xFF]]), .stream2)
    }

    func testGarbageAndUnknownJSONAreNotDetected() {
        XCTAssertNil(detect([]))
        XCTAssertNil(detect([[]]))
        XCTAssertNil(detect([[0x00, 0x01, 0x02, 0x03]]))
        XCTAssertNil(detect([bytes("hello")]))
        XCTAssertNil(detect([[0xA1, 0x61, 0x78, 0x01]]), "a CBOR map without \"type\"")
        XCTAssertNil(detect([bytes("{\"htype\":\"chunk-1.0\"}")]))
        XCTAssertNil(detect([Simplon.config]), "a SIMPLON config alone names no format")
        XCTAssertNil(detect([bytes("{\"htype\":")]))
    }
}
