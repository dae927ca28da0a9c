import DetectorStream
import XCTest

/// `PayloadCodec.decompressBlocksOnly`, the LZ4 share of a decode that `detview bench decode`
/// times as its baseline, and `announcedDecodedSize`, which checks a user's frame before it.
final class CodecBlocksOnlyTests: XCTestCase {
    private func blocksOnly(_ encoding: PayloadEncoding, _ input: [UInt8], elementSize: Int,
                            elementCount: Int) throws(StreamError) -> [UInt8] {
        var out = [UInt8](repeating: 0xEE, count: elementSize * elementCount)
        let failure: StreamError? = input.withUnsafeBytes { inp in
            out.withUnsafeMutableBytes { o in
                do throws(StreamError) {
                    try PayloadCodec.decompressBlocksOnly(encoding, elementSize: elementSize, elementCount: elementCount,
                                                          input: inp, output: o)
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let failure { throw failure }
        return out
    }

    func testBitshuffleBlocksStayShuffledInTheirPlaceAndTheTailIsCopied() throws {
        // Two full blocks of 64 elements, a shorter one of 40 and 3 raw tail elements.
        for size in [1, 2, 4, 8] {
            let count = 64 + 64 + 40 + 3, blockBytes = 64 * size
            let pixels = CodecReference.pixels(count: count, elementSize: size, seed: UInt64(size))
            let frame = CodecReference.bitshuffleFrame(pixels, elementSize: size, blockBytes: blockBytes)
            var expected: [UInt8] = []
            for (start, n) in [(0, 64), (64, 64), (128, 40)] {
                expected += CodecReference.bitshuffle(Array(pixels[(start * size)..<((start + n) * size)]), elementSize: size)
            }
            expected += pixels[(168 * size)...]
            XCTAssertEqual(try blocksOnly(.bitshuffleLZ4, frame, elementSize: size, elementCount: count), expected,
                           "element size \(size)")
        }
    }

    func testLZ4IsTheFullDecode() throws {
        let pixels = CodecReference.pixels(count: 5000, elementSize: 2, seed: 3)
        let bare = pixels.withUnsafeBytes { PayloadCodec.encodeLZ4($0) }
        XCTAssertEqual(try blocksOnly(.lz4, bare, elementSize: 2, elementCount: 5000), pixels)
    }

    func testBlocksOnlyKeepsTheDecodersChecks() {
        let pixels = CodecReference.pixels(count: 64, elementSize: 2, seed: 9)
        let frame = CodecReference.bitshuffleFrame(pixels, elementSize: 2)
        XCTAssertThrowsError(try blocksOnly(.bitshuffleLZ4, Array(frame.dropLast(5)), elementSize: 2, elementCount: 64))
        XCTAssertThrowsError(try blocksOnly(.bitshuffleLZ4, frame, elementSize: 2, elementCount: 65)) { error in
            XCTAssertEqual((error as? StreamError)?.kind, .sizeMismatch)
        }
        XCTAssertThrowsError(try blocksOnly(.raw, pixels, elementSize: 2, elementCount: 64)) { error in
            XCTAssertEqual((error as? StreamError)?.kind, .badValue)
        }
    }

    func testAnnouncedSizeIsTheHeadersOrNilWithoutOne() {
        let pixels = CodecReference.pixels(count: 100, elementSize: 4, seed: 1)
        func announced(_ header: BitshuffleHeader) -> UInt64? {
            CodecReference.bitshuffleFrame(pixels, elementSize: 4, header: header)
                .withUnsafeBytes(PayloadCodec.announcedDecodedSize)
        }
        XCTAssertEqual(announced(.present), 400)
        XCTAssertNil(announced(.zeroed))
        XCTAssertNil(announced(.missing), "a block length first reads as 2^32 or more")
        XCTAssertNil([UInt8](repeating: 0, count: 7).withUnsafeBytes(PayloadCodec.announcedDecodedSize))
    }
}
