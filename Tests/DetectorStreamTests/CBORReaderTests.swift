import DetectorStream
import XCTest

/// RFC 8949 Appendix A examples, written as the bytes the RFC gives.
final class CBORReaderTests: XCTestCase {
    private func value(_ h: String, file: StaticString = #filePath, line: UInt = #line) -> CBORValue? {
        do throws(StreamError) {
            return try cborDecode(hex(h))
        } catch {
            XCTFail("\(h): \(error)", file: file, line: line)
            return nil
        }
    }

    func testUnsignedIntegersOfEveryArgumentSize() {
        let cases: [(String, UInt64)] = [
            ("00", 0), ("01", 1), ("0a", 10), ("17", 23), ("1818", 24), ("1819", 25), ("1864", 100),
            ("1903e8", 1000), ("1a000f4240", 1_000_000), ("1b000000e8d4a51000", 1_000_000_000_000),
            ("1bffffffffffffffff", UInt64.max),
        ]
        for (h, n) in cases { XCTAssertEqual(value(h), .unsigned(n), h) }
    }

    func testNegativeIntegersIncludingMinusTwoToThe64() {
        XCTAssertEqual(value("3bffffffffffffffff"), .negative(UInt64.max))
        XCTAssertEqual(value("3bffffffffffffffff")?.int, nil, "-2^64 does not fit Int")
        let cases: [(String, Int)] = [("20", -1), ("29", -10), ("3863", -100), ("3903e7", -1000)]
        for (h, n) in cases { XCTAssertEqual(value(h)?.int, n, h) }
    }

    func testHalfSingleAndDoubleFloats() {
        let cases: [(String, Double)] = [
            ("f90000", 0.0), ("f93c00", 1.0), ("fb3ff199999999999a", 1.1), ("f93e00", 1.5), ("f97bff", 65504.0),
            ("fa47c35000", 100000.0), ("fa7f7fffff", 3.4028234663852886e+38), ("fb7e37e43c8800759c", 1.0e+300),
            ("f90001", 5.960464477539063e-8), ("f90400", 0.00006103515625), ("f9c400", -4.0),
            ("fbc010666666666666", -4.1), ("f97c00", .infinity), ("f9fc00", -.infinity),
            ("fa7f800000", .infinity), ("fb7ff0000000000000", .infinity),
        ]
        for (h, x) in cases { XCTAssertEqual(value(h), .float(x), h) }
        guard case .float(let negZero)? = value("f98000") else { return XCTFail() }
        XCTAssertEqual(negZero, 0)
        XCTAssertEqual(negZero.sign, .minus)
        for h in ["f97e00", "fa7fc00000", "fb7ff8000000000000"] {
            guard case .float(let nan)? = value(h) else { return XCTFail(h) }
            XCTAssertTrue(nan.isNaN, h)
        }
    }

    func testSimpleValues() {
        XCTAssertEqual(value("f4"), .bool(false))
        XCTAssertEqual(value("f5"), .bool(true))
        XCTAssertEqual(value("f6"), .null)
        XCTAssertEqual(value("f7"), .undefined)
        XCTAssertEqual(value("f0"), .simple(16))
        XCTAssertEqual(value("f8ff"), .simple(255))
    }

    func testTagsAreKeptWithTheirContent() {
        XCTAssertEqual(value("c074323031332d30332d32315432303a30343a30305a"), .tagged(0, .text("2013-03-21T20:04:00Z")))
        XCTAssertEqual(value("c11a514b67b0"), .tagged(1, .unsigned(1_363_896_240)))
        XCTAssertEqual(value("c1fb41d452d9ec200000"), .tagged(1, .float(1363896240.5)))
        XCTAssertEqual(value("d74401020304"), .tagged(23, .bytes(2..<6)))
        XCTAssertEqual(value("d82076687474703a2f2f7777772e6578616d706c652e636f6d"), .tagged(32, .text("http://www.example.com")))
    }

    func testSelfDescribeTagIsDropped() {
        XCTAssertEqual(value("d9d9f7a0"), .map([]))
        XCTAssertEqual(value("d9d9f7d9d9f701"), .unsigned(1))
    }

    func testByteStringsAreRangesOfTheInputNotCopies() {
        XCTAssertEqual(value("40"), .bytes(1..<1))
        XCTAssertEqual(value("4401020304"), .bytes(1..<5))
        XCTAssertEqual(value("8201 4401020304"), .array([.unsigned(1), .bytes(3..<7)]))
        let bytes = hex("d9d9f7 59 0100") + [UInt8](repeating: 7, count: 256)
        XCTAssertEqual(try cborDecode(bytes), .bytes(6..<262))
    }

    func testTextStrings() {
        let cases: [(String, String)] = [
            ("60", ""), ("6161", "a"), ("6449455446", "IETF"), ("62225c", "\"\\"), ("62c3bc", "ü"),
            ("63e6b0b4", "水"), ("64f0908591", "𐅑"),
        ]
        for (h, s) in cases { XCTAssertEqual(value(h), .text(s), h) }
    }

    func testArraysAndMaps() {
        XCTAssertEqual(value("80"), .array([]))
        XCTAssertEqual(value("83010203"), .array([.unsigned(1), .unsigned(2), .unsigned(3)]))
        let nested: CBORValue = .array([.unsigned(1), .array([.unsigned(2), .unsigned(3)]), .array([.unsigned(4), .unsigned(5)])])
        XCTAssertEqual(value("8301820203820405"), nested)
        XCTAssertEqual(value("98190102030405060708090a0b0c0d0e0f101112131415161718181819"),
                       .array((1...25).map { .unsigned(UInt64($0)) }))
        XCTAssertEqual(value("a0"), .map([]))
        XCTAssertEqual(value("a201020304"), .map([CBORPair(.unsigned(1), .unsigned(2)), CBORPair(.unsigned(3), .unsigned(4))]))
        let ab = value("a26161016162820203")
        XCTAssertEqual(ab?["a"], .unsigned(1))
        XCTAssertEqual(ab?["b"], .array([.unsigned(2), .unsigned(3)]))
        XCTAssertEqual(value("826161a161626163"), .array([.text("a"), .map([CBORPair(.text("b"), .text("c"))])]))
        XCTAssertEqual(value("a56161614161626142616361436164614461656145")?["e"], .text("E"))
    }

    func testIndefiniteLengthItems() {
        XCTAssertEqual(value("5f42010243030405ff"), .chunkedBytes([2..<4, 5..<8]))
        XCTAssertEqual(value("7f657374726561646d696e67ff"), .text("streaming"))
        XCTAssertEqual(value("9fff"), .array([]))
        let nested: CBORValue = .array([.unsigned(1), .array([.unsigned(2), .unsigned(3)]), .array([.unsigned(4), .unsigned(5)])])
        for h in ["9f018202039f0405ffff", "9f01820203820405ff", "83018202039f0405ff", "83019f0203ff820405"] {
            XCTAssertEqual(value(h), nested, h)
        }
        XCTAssertEqual(value("bf61610161629f0203ffff"), .map([CBORPair(.text("a"), .unsigned(1)),
                                                           CBORPair(.text("b"), .array([.unsigned(2), .unsigned(3)]))]))
        XCTAssertEqual(value("826161bf61626163ff"), .array([.text("a"), .map([CBORPair(.text("b"), .text("c"))])]))
        XCTAssertEqual(value("bf6346756ef563416d7421ff"), .map([CBORPair(.text("Fun"), .bool(true)), CBORPair(.text("Amt"), .int(-2))]))
    }

    func testSkipValueEndsWhereReadValueEnds() throws {
        for h in ["9f018202039f0405ffff", "bf61610161629f0203ffff", "c074323031332d30332d32315432303a30343a30305a",
                  "5f42010243030405ff", "d9d9f7a26161016162820203", "fb3ff199999999999a"] {
            let bytes = hex(h) + [0x01]
            try bytes.withUnsafeBytes { buffer in
                var reader = CBORReader(buffer), skipper = CBORReader(buffer)
                _ = try reader.readValue()
                try skipper.skipValue()
                XCTAssertEqual(skipper.offset, reader.offset, h)
                XCTAssertEqual(reader.offset, bytes.count - 1, h)
                XCTAssertEqual(try reader.next(), .unsigned(1))
            }
        }
    }

    func testPullReaderReportsHeadsAndStepsOverStrings() throws {
        try hex("a2 6474797065 65696d616765 4203ff 5f").withUnsafeBytes { buffer in
            var r = CBORReader(buffer)
            XCTAssertEqual(try r.next(), .mapStart(count: 2))
            XCTAssertEqual(try r.next(), .text(2..<6))
            XCTAssertEqual(try r.next(), .text(7..<12))
            XCTAssertEqual(try r.next(), .bytes(13..<15))
            XCTAssertEqual(try r.next(), .bytesStart)
            XCTAssertTrue(r.isAtEnd)
        }
    }

    func testTypedArrayTagsFollowRFC8746() {
        let expected: [UInt64: String] = [
            64: "uint8", 65: "big-endian uint16", 66: "big-endian uint32", 67: "big-endian uint64", 68: "uint8",
            69: "uint16", 70: "uint32", 71: "uint64", 72: "int8", 73: "big-endian int16", 74: "big-endian int32",
            75: "big-endian int64", 77: "int16", 78: "int32", 79: "int64", 80: "big-endian float16",
            81: "big-endian float32", 82: "big-endian float64", 83: "big-endian float128", 84: "float16", 85: "float32",
            86: "float64", 87: "float128",
        ]
        for (tag, name) in expected { XCTAssertEqual(CBORTypedArrayKind(tag: tag)?.description, name, "tag \(tag)") }
        XCTAssertEqual(CBORTypedArrayKind(tag: 68)?.clamped, true)
        XCTAssertEqual(CBORTypedArrayKind(tag: 64)?.clamped, false)
        XCTAssertEqual(CBORTypedArrayKind(tag: 70)?.bytesPerElement, 4)
        for tag: UInt64 in [0, 40, 63, 76, 88, 1040, 56500] { XCTAssertNil(CBORTypedArrayKind(tag: tag), "tag \(tag)") }
    }
}

private extension CBORValue {
    static func int(_ n: Int) -> CBORValue { n < 0 ? .negative(UInt64(-1 - n)) : .unsigned(UInt64(n)) }
}
