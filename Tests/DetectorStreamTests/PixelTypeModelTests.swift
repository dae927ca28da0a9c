import DetectorStream
import XCTest

final class PixelTypeModelTests: XCTestCase {
    /// The raw values live in shared memory (ring slots, result records): they must not move.
    func testRawValuesAreStable() {
        let expected: [PixelType: UInt8] = [.uint8: 1, .uint16: 2, .uint32: 3, .uint64: 4, .int8: 5, .int16: 6,
                                            .int32: 7, .int64: 8, .float32: 9, .float64: 10]
        XCTAssertEqual(PixelType.allCases.count, expected.count)
        for type in PixelType.allCases { XCTAssertEqual(type.rawValue, expected[type], type.name) }
    }

    func testNamesSizesAndMaskRules() {
        let table: [(String, Int, PixelType.MaskRule)] = [
            ("uint8", 1, .allOnes), ("uint16", 2, .allOnes), ("uint32", 4, .allOnes), ("uint64", 8, .allOnes),
            ("int8", 1, .minimum), ("int16", 2, .minimum), ("int32", 4, .minimum), ("int64", 8, .minimum),
            ("float32", 4, .nonFinite), ("float64", 8, .nonFinite),
        ]
        for (name, size, rule) in table {
            let type = PixelType(name: name)
            XCTAssertEqual(type?.name, name)
            XCTAssertEqual(type?.bytesPerPixel, size, name)
            XCTAssertEqual(type?.maskRule, rule, name)
        }
        XCTAssertEqual(PixelType(name: "float"), .float32)
        XCTAssertEqual(PixelType(name: "single"), .float32)
        XCTAssertEqual(PixelType(name: "double"), .float64)
        for unknown in ["float16", "uint12", "UINT16", ""] { XCTAssertNil(PixelType(name: unknown), unknown) }
        XCTAssertEqual(PixelType.uint64.allOnes, .max)
        XCTAssertEqual(PixelType.uint16.allOnes, 0xFFFF)
    }

    func testSlsBitmodesStillMapToTheUnsignedTypesOnly() {
        XCTAssertEqual([8, 16, 32].map { PixelType(bitmode: $0) }, [.uint8, .uint16, .uint32])
        XCTAssertNil(PixelType(bitmode: 64))
        XCTAssertNil(PixelType(bitmode: 4))
        XCTAssertEqual(PixelType.detectorTypes, [.uint8, .uint16, .uint32])
    }
}
