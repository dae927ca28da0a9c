import DetectorStream
import XCTest

/// Byte-exact headers as the slsDetector receivers write them (ZmqSocket::SendHeader, 9.2 for
/// version 5, 6.x for version 4), written out by hand from the sender's format strings.
final class SlsHeaderFormatTests: XCTestCase {
    static let version5Frame =
        "{\"jsonversion\":5, \"bitmode\":16, \"fileIndex\":0, \"detshape\":[1, 1], \"shape\":[400, 400], "
        + "\"size\":320000, \"acqIndex\":12, \"frameIndex\":2, \"progress\":0.333333, \"fname\":\"/data/run\", "
        + "\"data\":1, \"completeImage\":1, \"frameNumber\":12, \"expLength\":0, \"packetNumber\":50, "
        + "\"detSpec1\":0, \"timestamp\":123456789, \"modId\":0, \"row\":0, \"column\":0, \"detSpec2\":0, "
        + "\"detSpec3\":0, \"detSpec4\":0, \"detType\":5, \"version\":2, \"flipRows\":0, \"quad\":0, "
        + "\"addJsonHeader\": {\"detectorMode\":\"counting\", \"emin\":\"500\" } , \"rx_roi\":[0, 399, 0, 399]}\n"

    static let version4Frame =
        "{\"jsonversion\":4, \"bitmode\":16, \"fileIndex\":3, \"detshape\":[1, 1], \"shape\":[400, 400], "
        + "\"size\":320000, \"acqIndex\":4, \"frameIndex\":0, \"progress\":100.000000, \"fname\":\"//run\", "
        + "\"data\": 1, \"completeImage\": 1, \"frameNumber\":4, \"expLength\":0, \"packetNumber\":239, "
        + "\"bunchId\":0, \"timestamp\":0, \"modId\":0, \"row\":0, \"column\":0, \"reserved\":0, \"debug\":0, "
        + "\"roundRNumber\":0, \"detType\":5, \"version\":1, \"flipRows\":0, \"quad\":0, "
        + "\"addJsonHeader\": {\"emin\":\"500\" } }\n"

    static let version5End =
        "{\"jsonversion\":5, \"bitmode\":0, \"fileIndex\":0, \"detshape\":[0, 0], \"shape\":[0, 0], \"size\":0, "
        + "\"acqIndex\":0, \"frameIndex\":0, \"progress\":0, \"fname\":\"\", \"data\":0, \"completeImage\":0, "
        + "\"frameNumber\":0, \"expLength\":0, \"packetNumber\":0, \"detSpec1\":0, \"timestamp\":0, \"modId\":0, "
        + "\"row\":0, \"column\":0, \"detSpec2\":0, \"detSpec3\":0, \"detSpec4\":0, \"detType\":0, \"version\":0, "
        + "\"flipRows\":0, \"quad\":0, \"rx_roi\":[0, 0, 0, 0]}\n"

    private func parse(_ text: String) throws -> SlsHeader {
        try Array(text.utf8).withUnsafeBytes { buffer in try SlsHeader.parse(buffer) }
    }

    func testVersion5HeaderParsesEveryField() throws {
        let h = try parse(Self.version5Frame)
        XCTAssertEqual(h.jsonVersion, 5)
        XCTAssertEqual(h.bitmode, 16)
        XCTAssertEqual(h.detShape, [1, 1])
        XCTAssertEqual(h.shape, [400, 400])
        XCTAssertEqual(h.size, 320_000)
        XCTAssertEqual(h.acqIndex, 12)
        XCTAssertEqual(h.frameIndex, 2)
        XCTAssertEqual(h.progress, 0.333333)
        XCTAssertEqual(h.fname, "/data/run")
        XCTAssertEqual(h.data, 1)
        XCTAssertEqual(h.completeImage, 1)
        XCTAssertEqual(h.frameNumber, 12)
        XCTAssertEqual(h.packetNumber, 50)
        XCTAssertEqual(h.timestamp, 123_456_789)
        XCTAssertEqual(h.detType, 5)
        XCTAssertEqual(h.version, 2)
        XCTAssertEqual(h.addJsonHeader, ["detectorMode": "counting", "emin": "500"])
        XCTAssertEqual(h.rxROI, [0, 399, 0, 399])
    }

    func testVersion5HeaderReencodesByteForByte() throws {
        let h = try parse(Self.version5Frame)
        XCTAssertEqual(String(decoding: h.encoded(jsonVersion: 5), as: UTF8.self), Self.version5Frame)
    }

    func testVersion5HeaderBuiltFromFieldsMatchesReceiverBytes() {
        var h = SlsHeader()
        h.jsonVersion = 5
        h.bitmode = 16
        h.detShape = [1, 1]
        h.shape = [400, 400]
        h.size = 320_000
        h.acqIndex = 12
        h.frameIndex = 2
        h.progress = 100.0 * 1 / 300   // 0.3333…: the receiver prints 6 significant digits
        h.fname = "/data/run"
        h.data = 1
        h.completeImage = 1
        h.frameNumber = 12
        h.packetNumber = 50
        h.timestamp = 123_456_789
        h.detType = 5
        h.version = 2
        h.addJsonHeader = ["emin": "500", "detectorMode": "counting"]
        h.rxROI = [0, 399, 0, 399]
        XCTAssertEqual(String(decoding: h.encoded(jsonVersion: 5), as: UTF8.self), Self.version5Frame)
    }

    func testVersion4HeaderUsesPrintfProgressSpacedDataAndOldKeyNames() throws {
        let h = try parse(Self.version4Frame)
        XCTAssertEqual(h.jsonVersion, 4)
        XCTAssertEqual(h.data, 1)
        XCTAssertEqual(h.progress, 100)
        XCTAssertEqual(h.fileIndex, 3)
        XCTAssertEqual(h.packetNumber, 239)
        XCTAssertEqual(h.rxROI, [0, 0, 0, 0], "v4 has no rx_roi: default kept")
        XCTAssertEqual(String(decoding: h.encoded(jsonVersion: 4), as: UTF8.self), Self.version4Frame)
    }

    func testVersion4OldKeyNamesFillDetSpecFields() throws {
        let text = "{\"jsonversion\":4, \"bitmode\":8, \"shape\":[2, 2], \"size\":4, \"data\": 1, "
            + "\"bunchId\":11, \"reserved\":12, \"debug\":13, \"roundRNumber\":14, \"flippedDataX\":1}\n"
        let h = try parse(text)
        XCTAssertEqual([h.detSpec1, h.detSpec2, h.detSpec3, h.detSpec4], [11, 12, 13, 14])
        XCTAssertEqual(h.flipRows, 1)
    }

    func testEndHeaderEncodesAsAllDefaultsWithoutAddJsonHeader() throws {
        let end = SlsHeader.endOfAcquisition(jsonVersion: 5)
        XCTAssertEqual(String(decoding: end.encoded(jsonVersion: 5), as: UTF8.self), Self.version5End)
        let parsed = try parse(Self.version5End)
        XCTAssertTrue(parsed.isEndOfAcquisition)
        XCTAssertEqual(parsed, end)
    }

    func testFnameWithBackslashesIsReadVerbatimAndWrittenVerbatim() throws {
        var h = frameHeader(frameNumber: 1, frameIndex: 0)
        h.fname = "C:\\data\\new\\"
        let text = h.encoded(jsonVersion: 5)
        XCTAssertTrue(String(decoding: text, as: UTF8.self).contains("\"fname\":\"C:\\data\\new\\\", "))
        let back = try text.withUnsafeBytes { try SlsHeader.parse($0) }
        XCTAssertEqual(back.fname, "C:\\data\\new\\")
        XCTAssertEqual(back, h)
    }

    func testUnknownKeysAndAnyKeyOrderAreAccepted() throws {
        let text = "{\"size\":6, \"extra\":{\"a\":[1,2,{\"b\":null}]}, \"shape\":[3, 1], \"bitmode\":16, \"data\":1, \"flag\":true}"
        let h = try parse(text)
        XCTAssertEqual(h.shape, [3, 1])
        XCTAssertEqual(h.size, 6)
    }

    func testTrailingNulAfterHeaderIsAccepted() throws {
        let h = try parse("{\"data\":0}\n\u{0}")
        XCTAssertTrue(h.isEndOfAcquisition)
    }

    func testFrameHeaderWithoutSizeIsRejectedNamingTheKey() {
        XCTAssertThrowsError(try parse("{\"jsonversion\":5, \"bitmode\":16, \"shape\":[4, 4], \"data\":1}")) { error in
            XCTAssertEqual((error as? StreamError)?.kind, .missingKey)
            XCTAssertEqual((error as? StreamError)?.message, "sls: frame header has no \"size\"")
        }
    }

    func testWrongValueTypesAreRejectedWithTheKeyAndOffset() {
        XCTAssertThrowsError(try parse("{\"shape\":\"400x400\"}")) { error in
            XCTAssertEqual((error as? StreamError)?.kind, .badValue)
            XCTAssertEqual((error as? StreamError)?.message, "sls: \"shape\" is not an array (byte 9)")
        }
        XCTAssertThrowsError(try parse("{\"frameNumber\":-3}")) { error in
            XCTAssertEqual((error as? StreamError)?.message, "sls: \"frameNumber\" is not a non-negative integer (byte 15)")
        }
        XCTAssertThrowsError(try parse("{\"shape\":[1, 2, 3]}")) { error in
            XCTAssertEqual((error as? StreamError)?.message, "sls: \"shape\" has 3 values, expected 2 (byte 9)")
        }
    }
}
