import DetectorStream
import Processing
import SharedMemory
@testable import Workers
import XCTest

/// One pixel of any type as the reference sees it: its value (nil when masked), the value the
/// display should show (Float32 of the typed value, NaN when masked) and its little-endian bytes.
struct TypedPixel {
    var value: Double?
    var display: Float
    var littleEndian: [UInt8]
}

/// Pseudo-random pixels of `type` built from typed Swift values, with the type's masked
/// value(s) mixed in; signed types include negative values, floats NaN and ±Inf.
func typedPixels(_ type: PixelType, count: Int, seed: UInt64) -> [TypedPixel] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
    func int<T: FixedWidthInteger>(_ i: Int, _: T.Type, mask: T) -> TypedPixel {
        let v = i % 9 == 4 ? mask : T(truncatingIfNeeded: next())
        return TypedPixel(value: v == mask ? nil : Double(v), display: v == mask ? .nan : Float(v),
                          littleEndian: withUnsafeBytes(of: v.littleEndian) { Array($0) })
    }
    func float<F: BinaryFloatingPoint>(_ i: Int, _ v: F, bytes: [UInt8]) -> TypedPixel {
        TypedPixel(value: v.isFinite ? Double(v) : nil, display: v.isFinite ? Float(v) : .nan, littleEndian: bytes)
    }
    return (0..<count).map { i in
        let special = [Double.nan, .infinity, -.infinity][i % 3]
        let plain = Double(Int64(next() % 2_000_001) - 1_000_000) / 8
        switch type {
        case .uint8: return int(i, UInt8.self, mask: .max)
        case .uint16: return int(i, UInt16.self, mask: .max)
        case .uint32: return int(i, UInt32.self, mask: .max)
        case .uint64: return int(i, UInt64.self, mask: .max)
        case .int8: return int(i, Int8.self, mask: .min)
        case .int16: return int(i, Int16.self, mask: .min)
        case .int32: return int(i, Int32.self, mask: .min)
        case .int64: return int(i, Int64.self, mask: .min)
        case .float32:
            let v = Float(i % 10 < 3 ? special : plain)
            return float(i, v, bytes: withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) })
        case .float64:
            let v = i % 10 < 3 ? special : plain * 1e-3
            return float(i, v, bytes: withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) })
        }
    }
}

/// The stored bytes of `pixels` in the given byte order.
func stored(_ pixels: [TypedPixel], bigEndian: Bool) -> [UInt8] {
    pixels.flatMap { bigEndian ? $0.littleEndian.reversed() : $0.littleEndian }
}

/// Statistics in Double, pixel by pixel in order.
func naiveStats(_ pixels: [TypedPixel]) -> FrameStats {
    let kept = pixels.compactMap(\.value)
    guard !kept.isEmpty else { return FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: pixels.count, count: 0) }
    let sum = kept.reduce(0, +)
    return FrameStats(sum: sum, min: kept.min()!, max: kept.max()!, mean: sum / Double(kept.count),
                      masked: pixels.count - kept.count, count: kept.count)
}

/// Max binning of the display values the slow obvious way.
func naiveBinMax(_ pixels: [TypedPixel], width: Int, height: Int, outWidth: Int, outHeight: Int) -> [Float] {
    var out = [Float](repeating: .nan, count: outWidth * outHeight)
    for j in 0..<outHeight {
        let y0 = j * height / outHeight, y1 = max(y0 + 1, (j + 1) * height / outHeight)
        for i in 0..<outWidth {
            let x0 = i * width / outWidth, x1 = max(x0 + 1, (i + 1) * width / outWidth)
            let values = (y0..<y1).flatMap { y in (x0..<x1).map { pixels[y * width + $0].display } }.filter { !$0.isNaN }
            out[j * outWidth + i] = values.max() ?? .nan
        }
    }
    return out
}

final class PixelTypeFrameTests: XCTestCase {
    private var region: DetviewRegion!
    private var pipeline: FramePipeline!

    override func setUpWithError() throws {
        region = try makeRegion()
        pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels)
        pipeline.latestFrameIntervalNs = 0  // every frame on the board, to read it back
    }

    override func tearDown() {
        region = nil
        pipeline = nil
    }

    private func header(_ type: PixelType, _ width: Int, _ height: Int, bigEndian: Bool, encoding: PayloadEncoding) -> SlotHeader {
        var h = rawHeader(width: width, height: height, type: type)
        h.encoding = encoding.rawValue
        h.isBigEndian = bigEndian
        return h
    }

    func testEveryTypeByteOrderAndEncodingGivesTheNaiveStatisticsAndImage() throws {
        region.control.set(ControlSettings(displayWidth: 10, displayHeight: 10))
        let (width, height) = (40, 20)   // a 10×5 image of 4×4 bins
        for (n, type) in PixelType.allCases.enumerated() {
            for bigEndian in type.bytesPerPixel == 1 ? [false] : [false, true] {
                for encoding in [PayloadEncoding.raw, .lz4, .bitshuffleLZ4] {
                    let what = "\(type.name) \(bigEndian ? "BE" : "LE") \(encoding)"
                    let pixels = typedPixels(type, count: width * height, seed: UInt64(n + 1))
                    let payload = stored(pixels, bigEndian: bigEndian).withUnsafeBytes {
                        PayloadEncoder.encode($0, as: encoding, elementSize: type.bytesPerPixel)
                    }
                    try publish(header(type, width, height, bigEndian: bigEndian, encoding: encoding), payload: payload, into: region.ring)
                    let slot = try XCTUnwrap(region.ring.claimNext(worker: 1))
                    let r = pipeline.process(slot: slot, worker: 1, region: region)
                    region.ring.release(slot)
                    XCTAssertEqual(r.status, .ok, "\(what): \(r.badReason)")
                    XCTAssertEqual(r.pixelType, type.rawValue, what)
                    let expected = naiveStats(pixels)
                    XCTAssertEqual(r.stats, expected, what)
                    if type.isSigned || type.isFloat { XCTAssertLessThan(expected.min, 0, "\(what): the frame has negative values") }

                    var image: [Float] = []
                    let board = try XCTUnwrap(region.board.read(into: &image), what)
                    XCTAssertEqual(board.sequence, r.sequence, what)
                    XCTAssertEqual(board.pixelType, type.rawValue, what)
                    XCTAssertEqual([board.imageWidth, board.imageHeight], [10, 5], what)
                    assertSameImage(image, naiveBinMax(pixels, width: width, height: height, outWidth: 10, outHeight: 5))
                    XCTAssertEqual(board.stats, expected, what)
                }
            }
        }
        XCTAssertEqual(region.ring.accounting.snapshot().bad, 0)
    }

    /// The receiver's slot holds the bytes as sent: the worker swaps a copy, never the slot.
    func testRawBigEndianFrameIsSwappedIntoTheBufferAndTheSlotIsLeftAsSent() throws {
        let values: [UInt16] = [1, 0x0102, 0xFFFF, 0x8000]
        let sent = values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        try publish(header(.uint16, 2, 2, bigEndian: true, encoding: .raw), payload: sent, into: region.ring)
        let slot = try XCTUnwrap(region.ring.claimNext(worker: 1))
        defer { region.ring.release(slot) }
        let buffer = DecodeBuffer(limit: 1 << 16)
        let frame = try PixelFrame.make(header: slot.header, payload: slot.payload, buffer: buffer).get()
        guard case .uint16(let pixels) = frame.pixels else { return XCTFail("big-endian uint16 keeps the uint16 kernels") }
        XCTAssertEqual(Array(pixels), values)
        XCTAssertEqual(Array(slot.payload), sent)
        XCTAssertEqual(frame.stats(), FrameStats(sum: 1 + 0x0102 + 0x8000, min: 1, max: 0x8000, mean: Double(1 + 0x0102 + 0x8000) / 3,
                                                 masked: 1, count: 3))
    }

    func testCompressedBigEndianUint32IsSwappedInTheDecodeBuffer() throws {
        let values: [UInt32] = (0..<64).map { $0 == 9 ? .max : UInt32($0) &* 0x0101_0307 }
        let sent = values.flatMap { v in (0..<4).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
        let payload = sent.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: 4) }
        let buffer = DecodeBuffer(limit: 1 << 16)
        let decoded: [UInt32] = try payload.withUnsafeBytes { bytes in
            let frame = try PixelFrame.make(header: header(.uint32, 8, 8, bigEndian: true, encoding: .bitshuffleLZ4),
                                            payload: bytes, buffer: buffer).get()
            guard case .uint32(let pixels) = frame.pixels else { throw UnexpectedPixelView(expected: "uint32", got: frame.pixels) }
            XCTAssertEqual(frame.stats().masked, 1)
            return Array(pixels)
        }
        XCTAssertEqual(decoded, values)
    }

    func testOtherTypesAreConvertedToFloatWithMaskedAsNaN() throws {
        let values: [Int16] = [-3, .min, 12, -32767]
        let sent = values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        let buffer = DecodeBuffer(limit: 1 << 16)
        try sent.withUnsafeBytes { bytes in
            let frame = try PixelFrame.make(header: header(.int16, 4, 1, bigEndian: false, encoding: .raw), payload: bytes, buffer: buffer).get()
            guard case .converted(let floats, let stats) = frame.pixels else { return XCTFail("int16 is converted") }
            assertSameImage(Array(floats), [-3, .nan, 12, -32767])
            XCTAssertEqual(stats, FrameStats(sum: -32758, min: -32767, max: 12, mean: -32758 / 3, masked: 1, count: 3))
            XCTAssertEqual(frame.stats(), stats)
        }
    }

    func testFramesThatNeedABufferFailWithoutOne() {
        for (type, bigEndian) in [(PixelType.uint16, true), (.float32, false), (.int8, false)] {
            let payload = [UInt8](repeating: 0, count: 4 * type.bytesPerPixel)
            let text = payload.withUnsafeBytes { bytes -> String in
                switch PixelFrame.make(header: header(type, 2, 2, bigEndian: bigEndian, encoding: .raw), payload: bytes) {
                case .success: return "accepted"
                case .failure(let failure): return failure.description
                }
            }
            XCTAssertTrue(text.contains("needs a decode buffer") && text.contains(type.name), text)
        }
    }

    func testConvertedFrameOverThePixelLimitFails() {
        let payload = [UInt8](repeating: 0, count: 64 * 4)
        let text = payload.withUnsafeBytes { bytes -> String in
            switch PixelFrame.make(header: header(.float32, 8, 8, bigEndian: false, encoding: .raw), payload: bytes,
                                   buffer: DecodeBuffer(limit: 63)) {
            case .success: return "accepted"
            case .failure(let failure): return failure.description
            }
        }
        XCTAssertTrue(text.contains("limit"), text)
    }
}
