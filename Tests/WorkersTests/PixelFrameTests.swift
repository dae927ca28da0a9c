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

    func testRawFramesOfEveryDetectorPixelTypeAreViewedInPlace() throws {
        for type in PixelType.detectorTypes {
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
                case .converted: return XCTFail("\(type.name) has its own kernels: no conversion")
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
        header.pixelType = 99
        XCTAssertEqual(failure(header, [0]), "unknown pixel type code 99")
    }

    func testUnknownEncodingCodeFailsNamingTheCode() {
        var header = rawHeader(width: 2, height: 1, type: .uint8)
        header.encoding = 9
        XCTAssertEqual(failure(header, [0, 0]), "unknown encoding code 9")
    }

    /// Compressed payloads are decoded into the worker's buffer and read from there.
    func testLZ4AndBitshuffleLZ4PayloadsDecodeIntoTheBuffer() throws {
        let width = 37, height = 11
        let values: [UInt16] = (0..<(width * height)).map { UInt16(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        let raw = values.withUnsafeBytes { Array($0) }
        for encoding in [PayloadEncoding.lz4, .bitshuffleLZ4] {
            let payload = raw.withUnsafeBytes { bytes in
                encoding == .lz4 ? PayloadCodec.encodeLZ4(bytes) : PayloadCodec.encodeBitshuffleLZ4(bytes, elementSize: 2)
            }
            var header = rawHeader(width: width, height: height, type: .uint16)
            header.encoding = encoding.rawValue
            header.byteCount = UInt64(payload.count)
            let buffer = DecodeBuffer(limit: 1 << 20)
            let decoded: [UInt16] = try payload.withUnsafeBytes { bytes in
                let frame = try PixelFrame.make(header: header, payload: bytes, buffer: buffer).get()
                guard case .uint16(let pixels) = frame.pixels else { throw UnexpectedPixelView(expected: "uint16", got: frame.pixels) }
                let start = UnsafeRawPointer(pixels.baseAddress!)
                XCTAssertFalse(start >= bytes.baseAddress! && start < bytes.baseAddress! + bytes.count,
                               "decoded pixels live in the decode buffer, not in the compressed payload")
                return Array(pixels)
            }
            XCTAssertEqual(decoded, values, "\(encoding)")
        }
    }

    func testPacked4PayloadUnpacksToUint8() throws {
        var header = rawHeader(width: 3, height: 1, type: .uint8)
        header.encoding = PayloadEncoding.packed4.rawValue
        header.byteCount = 2
        let packed: [UInt8] = [0x5F, 0x20]
        let buffer = DecodeBuffer(limit: 64)   // the frame's pixels live here: it must outlive them
        let pixels: [UInt8] = try packed.withUnsafeBytes { bytes in
            let frame = try PixelFrame.make(header: header, payload: bytes, buffer: buffer).get()
            guard case .uint8(let p) = frame.pixels else { throw UnexpectedPixelView(expected: "uint8", got: frame.pixels) }
            return Array(p)
        }
        XCTAssertEqual(pixels, [5, 255, 2])
    }

    func testCorruptCompressedPayloadFailsWithTheCodecsReason() {
        var header = rawHeader(width: 8, height: 8, type: .uint16)
        header.encoding = PayloadEncoding.bitshuffleLZ4.rawValue
        let garbage: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 128, 0, 0, 32, 0, 0, 0, 0, 99, 1, 2, 3]
        let text = garbage.withUnsafeBytes { bytes -> String in
            switch PixelFrame.make(header: header, payload: bytes, buffer: DecodeBuffer(limit: 1 << 20)) {
            case .success: return "decoded garbage"
            case .failure(let failure): return failure.description
            }
        }
        XCTAssertTrue(text.hasPrefix("bslz4:"), text)
    }

    func testDecodedSizeOverTheLimitFails() {
        var header = rawHeader(width: 100, height: 100, type: .uint32)
        header.encoding = PayloadEncoding.lz4.rawValue
        let text = [UInt8](repeating: 0, count: 16).withUnsafeBytes { bytes -> String in
            switch PixelFrame.make(header: header, payload: bytes, buffer: DecodeBuffer(limit: 1000)) {
            case .success: return "accepted"
            case .failure(let failure): return failure.description
            }
        }
        XCTAssertTrue(text.contains("over the 1000-byte limit"), text)
    }
}
