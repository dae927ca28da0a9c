import DetectorStream
import Simulator
import XCTest

/// The DetectorStream encoders byte by byte, and straight into the decoders (no sockets).
final class EncoderRoundTripTests: XCTestCase {
    private func decode(_ decoder: inout some StreamDecoder, _ message: [[UInt8]]) -> [(FrameDescriptor, [UInt8])] {
        var out: [(FrameDescriptor, [UInt8])] = []
        let views = message.map { bytes in bytes.withUnsafeBytes { $0 } }
        withExtendedLifetime(message) {
            decoder.consume(views) { event in
                if case .frame(let d, let p) = event { out.append((d, Array(p))) }
                if case .bad(let e) = event { XCTFail("\(e)") }
            }
        }
        return out
    }

    private let pixels: [UInt16] = (0..<(64 * 48)).map { UInt16(($0 * 7919) % 3001) }

    func testCBORWriterUsesShortestHeadsAndTheSelfDescribeTag() {
        var w = CBORWriter()
        w.tag(CBORWriter.selfDescribeTag)
        w.unsigned(23); w.unsigned(24); w.unsigned(500); w.unsigned(70_000); w.unsigned(1 << 40)
        w.int(-1); w.int(-500)
        w.text("ab"); w.bool(true); w.double(1.5)
        XCTAssertEqual(w.bytes, [0xD9, 0xD9, 0xF7, 0x17, 0x18, 0x18, 0x19, 0x01, 0xF4, 0x1A, 0x00, 0x01, 0x11, 0x70,
                                 0x1B, 0, 0, 1, 0, 0, 0, 0, 0, 0x20, 0x39, 0x01, 0xF3, 0x62, 0x61, 0x62, 0xF5,
                                 0xFB, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0])
    }

    func testFramedLZ4StoresIncompressibleBlocksRawAndDecodes() {
        var rng = Xoshiro256(seed: 3)
        let noise = (0..<10_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let framed = noise.withUnsafeBytes { PayloadEncoder.framedLZ4($0) }
        XCTAssertEqual(Array(framed[0..<12]), [0, 0, 0, 0, 0, 0, 0x27, 0x10, 0, 0, 0x20, 0])
        XCTAssertEqual(Array(framed[12..<16]), [0, 0, 0x20, 0], "first block stored raw: length 8192")
        var back = [UInt8](repeating: 0, count: noise.count)
        XCTAssertNoThrow(try framed.withUnsafeBytes { input in
            try back.withUnsafeMutableBytes { try PayloadCodec.decode(.lz4, elementSize: 1, elementCount: noise.count, input: input, output: $0) }
        })
        XCTAssertEqual(back, noise)
    }

    func testStream2ImageDecodesToTheSameDescriptorAndPayload() {
        var series = Stream2Encoder.Series(width: 64, height: 48, pixelType: .uint16)
        series.seriesID = 9
        let payload = pixels.withUnsafeBytes { PayloadEncoder.encode($0, as: .bitshuffleLZ4, elementSize: 2) }
        var decoder = Stream2Decoder(maxFrameBytes: 1 << 20)
        _ = decode(&decoder, [Stream2Encoder.start(series)])
        let message = payload.withUnsafeBytes {
            Stream2Encoder.image(series, imageID: 5, payload: $0, encoding: .bitshuffleLZ4, startTime: 0, stopTime: 10)
        }
        let frames = decode(&decoder, [message])
        XCTAssertEqual(frames.first?.0, FrameDescriptor(series: 9, frameNumber: 5, frameIndex: 5, width: 64, height: 48,
                                                         pixelType: .uint16, encoding: .bitshuffleLZ4,
                                                         byteCount: payload.count, complete: true))
        XCTAssertEqual(frames.first?.1, payload)
    }

    func testSimplonImageDecodesToTheSameDescriptorAndPayload() {
        let payload = pixels.withUnsafeBytes { PayloadEncoder.encode($0, as: .lz4, elementSize: 2) }
        var decoder = SimplonStreamDecoder(maxFrameBytes: 1 << 20)
        _ = decode(&decoder, SimplonEncoder.seriesHeader(series: 4, detail: .basic, config: [("description", .text("x \"q\""))],
                                                         width: 64, height: 48))
        let p = SimplonEncoder.imageParts(series: 4, frame: 2, width: 64, height: 48, pixelType: .uint16, encoding: .lz4,
                                          dataCount: payload.count, startTime: 0, stopTime: 1)
        XCTAssertEqual(String(decoding: p.descriptor, as: UTF8.self),
                       "{\"htype\":\"dimage_d-1.0\",\"shape\":[64,48],\"type\":\"uint16\",\"encoding\":\"lz4<\",\"size\":\(payload.count)}")
        let frames = decode(&decoder, [p.image, p.descriptor, payload, p.config])
        XCTAssertEqual(frames.first?.0, FrameDescriptor(series: 4, frameNumber: 2, frameIndex: 2, width: 64, height: 48,
                                                         pixelType: .uint16, encoding: .lz4, byteCount: payload.count, complete: true))
        XCTAssertEqual(frames.first?.1, payload)
        XCTAssertEqual(SimplonEncoder.encodingName(.bitshuffleLZ4, pixelType: .uint32), "bs32-lz4<")
    }

    func testArrayHeaderDecodesSlowestAxisFirst() {
        let raw = pixels.withUnsafeBytes { Array($0) }
        var decoder = ArrayStreamDecoder(maxFrameBytes: 1 << 20)
        let header = ArrayEncoder.header(width: 64, height: 48, pixelType: .uint16, frame: 3)
        XCTAssertEqual(String(decoding: header, as: UTF8.self),
                       "{\"htype\":\"array-1.0\",\"shape\":[48,64],\"type\":\"uint16\",\"frame\":3,\"endianness\":\"little\"}")
        let frames = decode(&decoder, [header, raw])
        XCTAssertEqual(frames.first?.0, FrameDescriptor(series: 1, frameNumber: 3, frameIndex: 0, width: 64, height: 48,
                                                         pixelType: .uint16, encoding: .raw, byteCount: raw.count, complete: true))
        XCTAssertEqual(frames.first?.1, raw)
    }
}
