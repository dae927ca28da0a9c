import DetectorStream
import SharedMemory
@testable import Workers
import XCTest

final class PixelFrameTests: XCTestCase {
    private func make(_ header: SlotHeader, _ payload: [UInt8]) -> Result<PixelFrame, PixelFrame.Failure> {
        payload.withUnsafeBytes { PixelFrame.make(header: header, payload: $0) }
    }

    private func failure(_ header: SlotHeader, _ payload: [UInt8], file: StaticString = #filePath,
                         line: UInt = #line) -> String {
        switch make(header, payload) {
        case .success: XCTFail("expected a failure", file: file, line: line); return ""
        case .failure(let f): return f.description
        }
    }

    func testRawFramesOfEveryPixelTypeAreViewedInPlace() throws {
        for type in PixelType.allCases {
            let pixels = testPixels(count: 12, type: type, limit: 200)
            let payload = bytes(of: pixels, as: type)
            try payload.withUnsafeBytes { raw in
                let frame = try PixelFrame.make(header: rawHeader(width: 4, height: 3, type: type), payload: raw).get()
                XCTAssertEqual(frame.width, 4)
                XCTAssertEqual(frame.height, 3)
                let (base, values): (UnsafeRawPointer?, [UInt32])
                switch frame.pixels {
                case .uint8(let p): (base, values) = (UnsafeRawPointer(p.baseAddress), p.map(UInt32.init))
                case .uint16(let p): (base, values) = (UnsafeRawPointer(p.baseAddress), p.map(UInt32.init))
                case .uint32(let p): (base, values) = (UnsafeRawPointer(p.baseAddress), Array(p))
                }
                XCTAssertEqual(base, raw.baseAddress, "\(type.name) must not be copied")
                XCTAssertEqual(values, pixels, "\(type.name) pixels")
            }
        }
    }

    func testPixelViewMatchesThePixelType() throws {
        let payload = [UInt8](repeating: 1, count: 8)
        guard case .uint8 = try make(rawHeader(width: 8, height: 1, type: .uint8), payload).get().pixels else {
            return XCTFail("uint8 header, other view")
        }
        guard case .uint16 = try make(rawHeader(width: 4, height: 1, type: .uint16), payload).get().pixels else {
            return XCTFail("uint16 header, other view")
        }
        guard case .uint32 = try make(rawHeader(width: 2, height: 1, type: .uint32), payload).get().pixels else {
            return XCTFail("uint32 header, other view")
        }
    }

    func testPayloadOfTheWrongSizeFailsNamingBothSizes() {
        let text = failure(rawHeader(width: 4, height: 4, type: .uint16), [UInt8](repeating: 0, count: 30))
        XCTAssertTrue(text.contains("30"), text)
        XCTAssertTrue(text.contains("32"), text)
        XCTAssertTrue(text.contains("uint16"), text)
    }

    func testZeroWidthOrHeightFailsAsAbsurdShape() {
        XCTAssertTrue(failure(rawHeader(width: 0, height: 4, type: .uint8), [1]).contains("shape"))
        XCTAssertTrue(failure(rawHeader(width: 4, height: 0, type: .uint8), [1]).contains("shape"))
    }

    func testShapeWhosePixelCountOverflowsFails() {
        var header = rawHeader(width: 1, height: 1, type: .uint32)
        header.width = .max
        header.height = .max
        XCTAssertTrue(failure(header, [0, 0, 0, 0]).contains("shape"))
    }

    func testShapeWhoseByteCountOverflowsFails() {
        // (2^32 - 1) × 2^31 pixels fit in Int; their byte count does not.
        var header = rawHeader(width: 1, height: 1, type: .uint32)
        header.width = .max
        header.height = 1 << 31
        XCTAssertTrue(failure(header, [0, 0, 0, 0]).contains("absurd shape"))
    }

    func testHugeShapeWithASmallPayloadFails() {
        var header = rawHeader(width: 1, height: 1, type: .uint16)
        header.width = 100_000
        header.height = 100_000
        XCTAssertTrue(failure(header, [0, 0]).contains("needs 20000000000"))
    }

    func testUnknownPixelTypeCodeFailsNamingTheCode() {
        var header = rawHeader(width: 1, height: 1, type: .uint8)
        header.pixelType = 9
        XCTAssertEqual(failure(header, [0]), "unknown pixel type code 9")
    }

    func testCompressedEncodingFailsNamingTheEncoding() {
        var header = rawHeader(width: 2, height: 1, type: .uint8)
        header.encoding = PayloadEncoding.bitshuffleLZ4.rawValue
        let text = failure(header, [0, 0])
        XCTAssertTrue(text.contains("encoding code 2"), text)
    }
}
