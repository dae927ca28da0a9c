import DetectorStream
import XCTest

/// Pixels of `type` stored in the given byte order: pseudo-random bit patterns with the
/// type's masked value, negative values (signed) and NaN, ±Inf (floats) mixed in. The round
/// trips compare bytes, so every bit pattern must survive.
func storedPixels(_ type: PixelType, count: Int, bigEndian: Bool, seed: UInt64 = 1) -> [UInt8] {
    let size = type.bytesPerPixel
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    var out: [UInt8] = []
    out.reserveCapacity(count * size)
    for i in 0..<count {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        var bits = state
        switch (type.maskRule, i % 11) {
        case (.allOnes, 3): bits = type.allOnes
        case (.minimum, 3): bits = 1 << UInt64(8 * size - 1)
        case (.nonFinite, 3): bits = type == .float32 ? UInt64(Float.nan.bitPattern) : Double.nan.bitPattern
        case (.nonFinite, 4): bits = type == .float32 ? UInt64((-Float.infinity).bitPattern) : (-Double.infinity).bitPattern
        default: break
        }
        let little = (0..<size).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
        out += bigEndian ? little.reversed() : little
    }
    return out
}

/// Every pixel type in every byte order a format can say: one order for one-byte types.
let typeOrders: [(PixelType, bigEndian: Bool)] = PixelType.allCases.flatMap { type in
    type.bytesPerPixel == 1 ? [(type, false)] : [(type, false), (type, true)]
}

/// encoder → decoder → codec gives back the very bytes encoded, with the right type and byte
/// order, for every pixel type, byte order and encoding array-1.0 and stream v2 allow.
final class PixelTypeRoundTripTests: XCTestCase {
    private let shapes = [(13, 7), (67, 41)]   // a bitshuffle tail of < 8 elements; several 8 KiB blocks
    private let encodings: [PayloadEncoding] = [.raw, .lz4, .bitshuffleLZ4]

    /// Decodes a frame's payload as a worker would.
    private func decoded(_ d: FrameDescriptor, _ payload: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0xEE, count: d.width * d.height * d.pixelType.bytesPerPixel)
        try payload.withUnsafeBytes { input in
            try out.withUnsafeMutableBytes { output in
                try PayloadCodec.decode(d.encoding, elementSize: d.pixelType.bytesPerPixel,
                                        elementCount: d.width * d.height, input: input, output: output)
            }
        }
        return out
    }

    private func frames(_ events: [Recorded]) -> [(FrameDescriptor, [UInt8])] {
        events.compactMap { if case .frame(let d, let p) = $0 { (d, p) } else { nil } }
    }

    func testArrayRoundTripsEveryTypeByteOrderAndEncoding() throws {
        for (type, bigEndian) in typeOrders {
            for encoding in encodings {
                for (width, height) in shapes {
                    let what = "\(type.name) \(bigEndian ? "BE" : "LE") \(encoding) \(width)×\(height)"
                    let pixels = storedPixels(type, count: width * height, bigEndian: bigEndian)
                    let data = pixels.withUnsafeBytes { PayloadEncoder.encode($0, as: encoding, elementSize: type.bytesPerPixel) }
                    let header = ArrayEncoder.header(width: width, height: height, pixelType: type, frame: 4,
                                                     encoding: encoding, bigEndian: bigEndian)
                    var decoder = ArrayStreamDecoder(maxFrameBytes: 1 << 20)
                    let events = feed(&decoder, [[header, data]])
                    XCTAssertEqual(events.compactMap(\.badError), [], what)
                    XCTAssertEqual(events.first?.seriesInfo?.pixelType, type, what)
                    let got = try XCTUnwrap(frames(events).first, what)
                    XCTAssertEqual([got.0.width, got.0.height], [width, height], what)
                    XCTAssertEqual(got.0.pixelType, type, what)
                    XCTAssertEqual(got.0.bigEndian, bigEndian, what)
                    XCTAssertEqual(got.0.encoding, encoding, what)
                    XCTAssertEqual(try decoded(got.0, got.1), pixels, what)
                }
            }
        }
    }

    func testStream2RoundTripsEveryTypeByteOrderAndEncoding() throws {
        for (type, bigEndian) in typeOrders {
            for encoding in encodings {
                for (width, height) in shapes {
                    let what = "\(type.name) \(bigEndian ? "BE" : "LE") \(encoding) \(width)×\(height)"
                    let pixels = storedPixels(type, count: width * height, bigEndian: bigEndian, seed: 5)
                    let data = pixels.withUnsafeBytes {
                        PayloadEncoder.encode($0, as: encoding, elementSize: type.bytesPerPixel, lz4: .framed)
                    }
                    var series = Stream2Encoder.Series(width: width, height: height, pixelType: type)
                    series.bigEndian = bigEndian
                    let image = data.withUnsafeBytes {
                        Stream2Encoder.image(series, imageID: 2, payload: $0, encoding: encoding, startTime: 0, stopTime: 1)
                    }
                    var decoder = Stream2Decoder(maxFrameBytes: 1 << 20)
                    let events = feed(&decoder, [[Stream2Encoder.start(series)], [image], [Stream2Encoder.end(series)]])
                    XCTAssertEqual(events.compactMap(\.badError), [], what)
                    XCTAssertEqual(events.first?.seriesInfo?.pixelType, type, "the start's image_dtype: \(what)")
                    let got = try XCTUnwrap(frames(events).first, what)
                    XCTAssertEqual(got.0.pixelType, type, what)
                    XCTAssertEqual(got.0.bigEndian, bigEndian, what)
                    XCTAssertEqual(got.0.encoding, encoding, what)
                    XCTAssertEqual(try decoded(got.0, got.1), pixels, what)
                }
            }
        }
    }

    /// The tags RFC 8746 §2.1 assigns, written out from its table.
    func testTypedArrayTagsAreTheRFC8746Ones() {
        let little: [PixelType: UInt64] = [.uint8: 64, .uint16: 69, .uint32: 70, .uint64: 71, .int8: 72, .int16: 77,
                                           .int32: 78, .int64: 79, .float32: 85, .float64: 86]
        let big: [PixelType: UInt64] = [.uint8: 64, .uint16: 65, .uint32: 66, .uint64: 67, .int8: 72, .int16: 73,
                                        .int32: 74, .int64: 75, .float32: 81, .float64: 82]
        for type in PixelType.allCases {
            XCTAssertEqual(Stream2Encoder.typedArrayTag(type), little[type], type.name)
            XCTAssertEqual(Stream2Encoder.typedArrayTag(type, bigEndian: true), big[type], type.name)
            for order in [false, true] {
                let kind = CBORTypedArrayKind(tag: Stream2Encoder.typedArrayTag(type, bigEndian: order))
                XCTAssertEqual(kind?.pixelType, type, "\(type.name) back from its tag")
                XCTAssertEqual(kind?.isBigEndian, order && type.bytesPerPixel > 1, type.name)
            }
        }
        XCTAssertEqual(CBORTypedArrayKind(tag: 68)?.pixelType, .uint8, "clamped uint8")
        for tag: UInt64 in [80, 83, 84, 87] {
            XCTAssertNotNil(CBORTypedArrayKind(tag: tag), "tag \(tag) is a typed array")
            XCTAssertNil(CBORTypedArrayKind(tag: tag)?.pixelType, "tag \(tag): no float16/float128 pixels")
        }
    }

    func testColumnMajorArraysAreRejectedNamingTag1040ForEveryType() {
        for (type, bigEndian) in typeOrders {
            let array = CBORTestItem.tag(1040, .array([
                .array([.u(2), .u(3)]),
                .tag(Stream2Encoder.typedArrayTag(type, bigEndian: bigEndian), .bytes(storedPixels(type, count: 6, bigEndian: bigEndian))),
            ]))
            var d = Stream2Decoder(maxFrameBytes: 1 << 20)
            let events = feed(&d, [[Stream2DecoderTests.image(id: 1, channels: [("t", array)])]])
            XCTAssertEqual(events.map(\.badError?.kind), [.unsupported], type.name)
            XCTAssertTrue(events.first?.badError?.message.contains("tag 1040") == true, "\(events)")
        }
    }

    func testArrayTypeAliasesFloatAndDoubleAreFloat32AndFloat64() {
        for (name, type) in [("float", PixelType.float32), ("double", .float64), ("float32", .float32), ("int64", .int64)] {
            var d = ArrayStreamDecoder(maxFrameBytes: 1 << 20)
            let header = bytes("{\"htype\":\"array-1.0\",\"shape\":[1,2],\"type\":\"\(name)\",\"frame\":0}")
            let frames = feed(&d, [[header, [UInt8](repeating: 0, count: 2 * type.bytesPerPixel)]]).compactMap(\.frameDescriptor)
            XCTAssertEqual(frames.map(\.pixelType), [type], name)
            XCTAssertEqual(frames.map(\.bigEndian), [false], "no endianness key: little-endian")
        }
    }
}
