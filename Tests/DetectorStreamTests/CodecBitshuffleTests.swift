import DetectorStream
import XCTest

/// Bitshuffle-LZ4 decoding against frames built from the spec (naive transpose, literal-only
/// LZ4), round trips through the encoder, and the scalar/AVX2 twins.
final class CodecBitshuffleTests: XCTestCase {
    private typealias Ref = CodecReference
    private let lengths = [0, 1, 7, 8, 9, 255, 256, 257, 1023, 4096 + 3, 400 * 400]

    func testHandWrittenSixteenU16FrameDecodesToTheOriginalValues() throws {
        let values: [UInt16] = [0, 1, 2, 3, 0x8000, 0xFFFF, 7, 0x0100, 9, 10, 0x1234, 12, 13, 0xABCD, 15, 0x4000]
        let bytes = values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        // Row r of the transposed block: bit r % 8 of byte r / 8 of the 16 elements, two bytes
        // per row (elements 0-7, then 8-15), element k at bit k % 8.
        var rows = [UInt8](repeating: 0, count: 32)
        for r in 0..<16 {
            for (e, v) in values.enumerated() where (v >> UInt16(r)) & 1 == 1 {
                rows[2 * r + e / 8] |= 1 << UInt8(e % 8)
            }
        }
        XCTAssertEqual(rows[0], 0b0110_1010, "bit 0 of elements 0-7 is set in 1, 3, 5 (0xFFFF), 6 (7)")
        XCTAssertEqual(Array(rows[30...31]), [0b0011_0000, 0b0010_0000], "bit 15 is set in elements 4, 5 and 13")
        let lz4Block: [UInt8] = [0xF0, 32 - 15] + rows  // token 15 literals, extension byte 17
        let frame: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0x20, 0] + [0, 0, 0, UInt8(lz4Block.count)] + lz4Block
        for path in CodecPath.allCases {
            let decoded = try Ref.decode(.bitshuffleLZ4, frame, elementSize: 2, elementCount: 16, path: path).get()
            XCTAssertEqual(decoded, bytes, "\(path)")
        }
    }

    func testNaiveReferenceFramesDecodeForEveryElementSizeLengthAndHeader() throws {
        for s in [1, 2, 4, 8] {
            for count in lengths {
                let bytes = Ref.pixels(count: count, elementSize: s, seed: UInt64(count * 10 + s), dense: true)
                for header in BitshuffleHeader.allCases {
                    let frame = Ref.bitshuffleFrame(bytes, elementSize: s, header: header)
                    for path in CodecPath.allCases {
                        let decoded = try Ref.decode(.bitshuffleLZ4, frame, elementSize: s, elementCount: count, path: path).get()
                        XCTAssert(decoded == bytes, "size \(s) count \(count) \(header) \(path)")
                    }
                }
            }
        }
    }

    func testNonDefaultBlockSizesDecodeFromTheHeader() throws {
        for s in [1, 2, 4] {
            for blockBytes in [8 * s, 256 * s, 4096, 65536, 1 << 17] {
                let count = 3 * 4096 + 11
                let bytes = Ref.pixels(count: count, elementSize: s, seed: UInt64(blockBytes), dense: true)
                let frame = Ref.bitshuffleFrame(bytes, elementSize: s, blockBytes: blockBytes)
                for path in CodecPath.allCases {
                    let decoded = try Ref.decode(.bitshuffleLZ4, frame, elementSize: s, elementCount: count, path: path).get()
                    XCTAssert(decoded == bytes, "size \(s) block \(blockBytes) \(path)")
                }
            }
        }
    }

    func testEncoderRoundTripsForEveryElementSizeLengthHeaderAndBlockSize() throws {
        for s in [1, 2, 4, 8] {
            for count in lengths {
                let bytes = Ref.pixels(count: count, elementSize: s, seed: UInt64(count + s))
                for blockSize in [0, 64 * s, 16384] {
                    for header in BitshuffleHeader.allCases {
                        // A headerless frame cannot say its block size: senders without it use the default.
                        if header != .present && blockSize != 0 { continue }
                        let frame = bytes.withUnsafeBytes {
                            PayloadCodec.encodeBitshuffleLZ4($0, elementSize: s, blockSize: blockSize, header: header)
                        }
                        let decoded = try Ref.decode(.bitshuffleLZ4, frame, elementSize: s, elementCount: count).get()
                        XCTAssert(decoded == bytes, "size \(s) count \(count) block \(blockSize) \(header)")
                    }
                }
            }
        }
    }

    func testEncoderWritesTheSpecHeaderAndCompresses() {
        let bytes = [UInt8](repeating: 3, count: 2 * 40_000)
        let frame = bytes.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: 2) }
        XCTAssertEqual(Array(frame[0..<12]), Ref.bigEndian(UInt64(80_000)) + Ref.bigEndian(UInt32(8192)))
        XCTAssertLessThan(frame.count, bytes.count / 20)
        let zeroed = bytes.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: 2, header: .zeroed) }
        XCTAssertEqual(Array(zeroed[0..<12]), [UInt8](repeating: 0, count: 12))
        let missing = bytes.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: 2, header: .missing) }
        XCTAssertEqual(Array(missing), Array(frame[12...]))
    }

    func testScalarAndAvx2DecodesAreByteIdenticalOnDetectorLikeFrames() throws {
        try XCTSkipUnless(CodecPath.avx2Available, "no AVX2 on this CPU")
        for s in [1, 2, 4, 8] {
            for seed in 0..<4 as Range<UInt64> {
                let count = 1030 * 514 + Int(seed) * 13
                let bytes = Ref.pixels(count: count, elementSize: s, seed: seed, dense: seed % 2 == 1)
                let frame = bytes.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: s) }
                let scalar = try Ref.decode(.bitshuffleLZ4, frame, elementSize: s, elementCount: count, path: .scalar).get()
                let avx2 = try Ref.decode(.bitshuffleLZ4, frame, elementSize: s, elementCount: count, path: .avx2).get()
                XCTAssert(scalar == bytes && avx2 == bytes, "size \(s) seed \(seed)")
            }
        }
    }
}
