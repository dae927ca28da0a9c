import DetectorStream
import XCTest

final class JSONReaderTests: XCTestCase {
    private func value(_ text: String, strings: JSONReader.StringMode = .standard) throws -> JSONValue {
        try Array(text.utf8).withUnsafeBytes { b in
            var r = JSONReader(b, strings: strings)
            let v = try r.readValue()
            try r.finish()
            return v
        }
    }

    func testReadsEveryKindOfValue() throws {
        let v = try value(" {\"a\": [1, -2, 3.5e2, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": \"\"} ")
        XCTAssertEqual(v["a"], .array([.number(JSONNumber(double: 1, unsigned: 1, signed: 1)),
                                       .number(JSONNumber(double: -2, unsigned: nil, signed: -2)),
                                       .number(JSONNumber(double: 350)), .bool(true), .bool(false), .null]))
        XCTAssertEqual(v["b"]?["c"], .string("d"))
        XCTAssertEqual(v["e"], .string(""))
    }

    func testLargeCountersStayExact() throws {
        guard case .number(let n) = try value("18446744073709551615") else { return XCTFail() }
        XCTAssertEqual(n.unsigned, UInt64.max)
        XCTAssertNil(n.signed)
    }

    func testStandardEscapesAndSurrogatePairsAreDecoded() throws {
        XCTAssertEqual(try value("\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\""), .string("a\"b\\c\né😀"))
    }

    func testUnknownEscapeKeepsItsBackslash() throws {
        XCTAssertEqual(try value("\"C:\\data\\x\""), .string("C:\\data\\x"))
    }

    func testLiteralModeKeepsBackslashesAndInnerQuotes() throws {
        XCTAssertEqual(try value("{\"f\":\"C:\\run\\\", \"g\":\"say \"hi\" now\"}", strings: .literal),
                       .object([JSONMember("f", .string("C:\\run\\")), JSONMember("g", .string("say \"hi\" now"))]))
    }

    func testNanAndInfinityAsCppStreamsPrintThemAreNumbers() throws {
        guard case .number(let n) = try value("-nan") else { return XCTFail() }
        XCTAssertTrue(n.double.isNaN)
        XCTAssertEqual(try value("inf"), .number(JSONNumber(double: .infinity)))
    }

    func testNestingBeyondTheLimitIsTooDeep() {
        let text = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        XCTAssertThrowsError(try value(text)) { XCTAssertEqual(($0 as? StreamError)?.kind, .tooDeep) }
    }

    func testTrailingGarbageAndTruncationAreErrorsWithOffsets() {
        XCTAssertThrowsError(try value("{} x")) {
            XCTAssertEqual(($0 as? StreamError)?.message, "expected the end at byte 3, found 'x'")
        }
        XCTAssertThrowsError(try value("[1, 2")) {
            XCTAssertEqual(($0 as? StreamError)?.kind, .truncated)
        }
        XCTAssertThrowsError(try value("\"abc")) {
            XCTAssertEqual(($0 as? StreamError)?.message, "JSON ends at byte 4 inside a string")
        }
        XCTAssertThrowsError(try value("1e")) {
            XCTAssertEqual(($0 as? StreamError)?.kind, .truncated)
        }
    }
}
