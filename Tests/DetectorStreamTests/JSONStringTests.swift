import DetectorStream
import XCTest

final class JSONStringTests: XCTestCase {
    func testQuotesBackslashesAndWhitespaceAreEscaped() {
        XCTAssertEqual(JSONString.quoted(#"say "hi" \ bye"#), #""say \"hi\" \\ bye""#)
        XCTAssertEqual(JSONString.quoted("a\nb\rc\td"), #""a\nb\rc\td""#)
    }

    func testOtherControlCharactersBecomeUnicodeEscapes() {
        XCTAssertEqual(JSONString.quoted("\u{0}\u{1}\u{8}\u{1B}\u{1F}"), #""\u0000\u0001\u0008\u001b\u001f""#)
    }

    func testNonASCIITextPassesThroughUnchanged() {
        XCTAssertEqual(JSONString.quoted("400×200 µm ✓"), "\"400×200 µm ✓\"")
    }

    func testSimplonConfigStringsUseTheSameEscapes() {
        let json = String(decoding: SimplonEncoder.configJSON([("description", .text("E\"2\n"))]), as: UTF8.self)
        XCTAssertEqual(json, #"{"description":"E\"2\n"}"#)
    }
}
