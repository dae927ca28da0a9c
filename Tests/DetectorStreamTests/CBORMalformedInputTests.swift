import DetectorStream
import XCTest

/// Malformed CBOR must be a typed error naming where it went wrong, never a trap, a hang or a
/// huge allocation.
final class CBORMalformedInputTests: XCTestCase {
    private let valid = hex("d9d9f7 bf 6474797065 65696d616765 6464617461 a1 6174 d828 82 82 1902 02 1904 06 d845 4c 000000000000000800002000 " +
                            "6474696d65 82 1903e8 fb3ff8000000000000 6466696e65 9f f5 f4 f6 f7 f8ff 5f 4101 ff 7f 6161 ff ff ff")

    func testTheValidMessageUsedBelowDecodes() throws {
        let v = try cborDecode(valid)
        XCTAssertEqual(v["type"], .text("image"))
        XCTAssertNotNil(v["data"]?["t"])
        let chunked = try XCTUnwrap((0..<valid.count - 3).first { Array(valid[$0..<$0 + 4]) == [0x5F, 0x41, 0x01, 0xFF] })
        XCTAssertEqual(v["fine"], .array([.bool(true), .bool(false), .null, .undefined, .simple(255),
                                          .chunkedBytes([chunked + 2..<chunked + 3]), .text("a")]))
    }

    func testTruncationAtEveryByteIsAnError() {
        for n in 0..<valid.count {
            let error = cborError(Array(valid.prefix(n)))
            XCTAssertEqual(error?.kind, .truncated, "cut at \(n): \(String(describing: error))")
        }
    }

    func testLengthsBeyondTheInputAreErrorsNotAllocations() {
        for h in ["5b7fffffffffffffff", "5bffffffffffffffff", "7b8000000000000000", "9b7fffffffffffffff00",
                  "bb4000000000000000", "5a0000100000", "9a00010000", "430102"] {
            let error = cborError(hex(h))
            XCTAssertEqual(error?.kind, .truncated, h)
            XCTAssertTrue(error?.message.contains("byte 0") == true, "\(h): \(String(describing: error))")
        }
    }

    func testDepthBombsAreRefused() {
        let arrays = [UInt8](repeating: 0x81, count: 10_000) + [0x00]
        XCTAssertEqual(cborError(arrays)?.kind, .tooDeep)
        let tags = Array([[UInt8]](repeating: [0xD8, 0x28], count: 10_000).joined()) + [0x00]
        XCTAssertEqual(cborError(tags)?.kind, .tooDeep)
        let maps = [UInt8](repeating: 0xBF, count: 10_000)
        XCTAssertEqual(cborError(maps)?.kind, .tooDeep)
        XCTAssertNil(cborError([UInt8](repeating: 0x81, count: 8) + [0x00], maxDepth: 8))
        XCTAssertEqual(cborError([UInt8](repeating: 0x81, count: 9) + [0x00], maxDepth: 8)?.kind, .tooDeep)
    }

    func testBreakOutsideAnIndefiniteItemIsAnError() {
        for h in ["ff", "81ff", "a1ff01", "9f01ff ff", "bf01ff"] {
            let error = cborError(hex(h))
            XCTAssertEqual(error?.kind, .badValue, "\(h): \(String(describing: error))")
        }
    }

    func testReservedAdditionalInformationIsAnErrorForEveryMajorType() {
        for major: UInt8 in 0...7 {
            for info: UInt8 in 28...30 {
                let error = cborError([major << 5 | info, 0, 0, 0, 0, 0, 0, 0, 0])
                XCTAssertEqual(error?.kind, .badValue, "major \(major) info \(info)")
                XCTAssertTrue(error?.message.contains("reserved") == true)
            }
        }
    }

    func testIndefiniteIntegersAndTagsAreErrors() {
        for h in ["1f", "3f", "df00"] { XCTAssertEqual(cborError(hex(h))?.kind, .badValue, h) }
    }

    func testIndefiniteStringChunksMustBeDefiniteStringsOfTheSameType() {
        for h in ["5f6161ff", "7f4161ff", "5f5f4101ffff", "7f01ff", "5f 41"] {
            XCTAssertNotNil(cborError(hex(h)), h)
        }
        XCTAssertEqual(cborError(hex("5f6161ff"))?.kind, .badValue)
    }

    func testTwoByteSimpleValuesBelow32AreErrors() {
        XCTAssertEqual(cborError(hex("f818"))?.kind, .badValue)
        XCTAssertEqual(cborError(hex("f81f"))?.kind, .badValue)
        XCTAssertEqual(try cborDecode(hex("f820")), .simple(32))
    }

    func testInvalidUTF8TextIsAnError() {
        XCTAssertEqual(cborError(hex("62c328"))?.kind, .badValue)
        XCTAssertEqual(cborError(hex("7f61c361a9ff")), nil, "chunks are joined before validation")
        XCTAssertEqual(cborError(hex("7f61c3ff"))?.kind, .badValue)
    }

    func testBytesAfterTheMessageAreAnError() {
        let error = cborError(hex("a000"))
        XCTAssertEqual(error?.kind, .badValue)
        XCTAssertTrue(error?.message.contains("byte 1") == true, "\(String(describing: error))")
    }

    func testMapEndingAfterAKeyIsAnError() {
        XCTAssertEqual(cborError(hex("bf6161ff"))?.kind, .badValue)
    }

    func testRandomMutationsNeverTrapAndAreMostlyNoticed() {
        var g = SplitMix(state: 8946)
        var errors = 0
        let rounds = 4000
        for _ in 0..<rounds {
            var m = valid
            switch g.below(3) {
            case 0: for _ in 0...g.below(4) { m[g.below(m.count)] = UInt8(truncatingIfNeeded: g.next()) }
            case 1: m.insert(UInt8(truncatingIfNeeded: g.next()), at: g.below(m.count + 1))
            default: m.remove(at: g.below(m.count))
            }
            if cborError(m) != nil { errors += 1 }
        }
        XCTAssertGreaterThan(errors, rounds / 4)
        // Random bytes: whatever comes out, it comes out.
        for _ in 0..<2000 {
            let noise = (0..<g.below(64)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            _ = cborError(noise)
        }
    }
}
