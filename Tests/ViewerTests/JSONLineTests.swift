import Foundation
import Viewer
import XCTest

final class JSONLineTests: XCTestCase {
    private func parse(_ line: String, file: StaticString = #filePath, line l: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        return try XCTUnwrap(object as? [String: Any], "not an object: \(line)", file: file, line: l)
    }

    func testFieldsAppearInTheOrderTheyWereAdded() {
        var j = JSONLine()
        j.add("zeta", 1)
        j.add("alpha", "x")
        j.add("mid", true)
        j.add("last", UInt64(7))
        j.addRaw("raw", "[1,2]")
        XCTAssertEqual(j.line, #"{"zeta":1,"alpha":"x","mid":true,"last":7,"raw":[1,2]}"#)
    }

    func testEmptyLineIsAnEmptyObject() {
        XCTAssertEqual(JSONLine().line, "{}")
    }

    func testEscapedStringsRoundTripThroughAJSONParser() throws {
        let nasty = "quote \" backslash \\ newline \n tab \t bell \u{7} esc \u{1B} nul \u{0} é 🚀"
        var j = JSONLine()
        j.add("text", nasty)
        j.add("key \"with\" quotes\n", 1)
        let object = try parse(j.line)
        XCTAssertEqual(object["text"] as? String, nasty)
        XCTAssertEqual(object["key \"with\" quotes\n"] as? Int, 1)
        XCTAssertFalse(j.line.contains("\n"), "one line, whatever the text")
    }

    func testIntegralDoublesPrintAsIntegers() {
        XCTAssertEqual(JSONLine.number(3), "3")
        XCTAssertEqual(JSONLine.number(-2), "-2")
        XCTAssertEqual(JSONLine.number(0), "0")
        XCTAssertEqual(JSONLine.number(25_922_311), "25922311")
        XCTAssertEqual(JSONLine.number(9_007_199_254_740_991), "9007199254740991")
    }

    func testFractionalDoublesKeepTheirFraction() {
        XCTAssertEqual(JSONLine.number(162.5), "162.5")
        XCTAssertEqual(JSONLine.number(-0.25), "-0.25")
    }

    func testNaNAndInfinitiesAreNull() {
        XCTAssertEqual(JSONLine.number(.nan), "null")
        XCTAssertEqual(JSONLine.number(.infinity), "null")
        XCTAssertEqual(JSONLine.number(-.infinity), "null")
        var j = JSONLine()
        j.add("min", Double.nan)
        XCTAssertEqual(j.line, #"{"min":null}"#)
    }

    func testLargeValuesStayValidJSONWithTheirValue() throws {
        var j = JSONLine()
        j.add("u64max", UInt64.max)
        j.add("intmin", Int.min)
        j.add("huge", 1e300)
        j.add("twoTo60", 1_152_921_504_606_846_976.0)
        j.add("tiny", 1e-300)
        let line = j.line
        XCTAssertTrue(line.contains(#""u64max":18446744073709551615"#), line)
        XCTAssertTrue(line.contains(#""intmin":-9223372036854775808"#), line)
        let object = try parse(line)
        XCTAssertEqual((object["huge"] as? NSNumber)?.doubleValue, 1e300)
        XCTAssertEqual((object["twoTo60"] as? NSNumber)?.doubleValue, 1_152_921_504_606_846_976.0)
        XCTAssertEqual((object["tiny"] as? NSNumber)?.doubleValue, 1e-300)
    }

    func testBoolsAreJSONLiterals() {
        var j = JSONLine()
        j.add("yes", true)
        j.add("no", false)
        XCTAssertEqual(j.line, #"{"yes":true,"no":false}"#)
    }
}
