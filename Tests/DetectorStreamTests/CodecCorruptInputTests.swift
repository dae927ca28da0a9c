import DetectorStream
import XCTest

/// Bad bitshuffle-LZ4 payloads give typed errors naming the fault, never a crash or a write
/// outside the output.
final class CodecCorruptInputTests: XCTestCase {
    private typealias Ref = CodecReference
    private let count = 10_000
    private lazy var bytes = Ref.pixels(count: count, elementSize: 2, seed: 11)
    private lazy var frame = bytes.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: 2) }

    private func error(_ input: [UInt8], elementSize: Int = 2, elementCount: Int? = nil,
                       file: StaticString = #filePath, line: UInt = #line) -> StreamError? {
        let e = Ref.decodeError(.bitshuffleLZ4, input, elementSize: elementSize, elementCount: elementCount ?? count,
                                file: file, line: line)
        XCTAssert(e?.message.hasPrefix("bslz4:") == true, e?.message ?? "", file: file, line: line)
        return e
    }

    func testHeaderCutShortIsTruncated() {
        XCTAssertEqual(error(Array(frame.prefix(10)))?.kind, .truncated)
    }

    func testHeaderWithAnotherSizeIsASizeMismatch() {
        var bad = frame
        bad[7] ^= 0x02
        let e = error(bad)
        XCTAssertEqual(e?.kind, .sizeMismatch)
        XCTAssert(e?.message.contains("header says") == true, e?.message ?? "")
    }

    func testBlockLengthBeyondThePayloadIsTruncated() {
        var bad = frame
        bad[12] = 0x7F
        XCTAssertEqual(error(bad)?.kind, .truncated)
        XCTAssertEqual(error(Array(frame.dropLast(5)))?.kind, .truncated)
    }

    func testBlockDecompressingToTheWrongSizeIsASizeMismatch() {
        // One literal-only block of 16 transposed bytes where the frame needs 16 elements (32 bytes).
        let block = Ref.literalLZ4([UInt8](repeating: 0x55, count: 16))
        let bad = Ref.bigEndian(UInt64(32)) + Ref.bigEndian(UInt32(8192)) + Ref.bigEndian(UInt32(block.count)) + block
        let e = error(bad, elementCount: 16)
        XCTAssertEqual(e?.kind, .sizeMismatch)
        XCTAssert(e?.message.contains("block 0 decompresses to 16 bytes, expected 32") == true, e?.message ?? "")
    }

    func testGarbageLZ4IsRejected() {
        var bad = frame
        for i in 16..<min(bad.count, 80) { bad[i] = UInt8(truncatingIfNeeded: i &* 37) }
        let kind = error(bad)?.kind
        XCTAssert(kind == .badValue || kind == .sizeMismatch, "\(String(describing: kind))")
    }

    func testOutputOfAnotherSizeIsASizeMismatch() {
        var out = [UInt8](repeating: 0, count: 2 * count - 2)
        let e: StreamError? = frame.withUnsafeBytes { inp in
            out.withUnsafeMutableBytes { o in
                do throws(StreamError) {
                    try PayloadCodec.decode(.bitshuffleLZ4, elementSize: 2, elementCount: count, input: inp, output: o)
                    return nil
                } catch { return error }
            }
        }
        XCTAssertEqual(e?.kind, .sizeMismatch)
    }

    func testElementSizeOtherThanOneTwoFourEightIsABadValue() {
        let e = error(frame, elementSize: 3, elementCount: 100)
        XCTAssertEqual(e?.kind, .badValue)
        XCTAssert(e?.message.contains("element size 3") == true, e?.message ?? "")
    }

    func testBlockSizeNotAMultipleOfEightElementsIsABadValue() {
        var bad = frame
        bad[11] = 6  // 8192 + 6 bytes
        XCTAssertEqual(error(bad)?.kind, .badValue)
    }

    func testBytesAfterTheLastBlockAreASizeMismatch() {
        XCTAssertEqual(error(frame + [1, 2, 3])?.kind, .sizeMismatch)
    }

    /// Thousands of single-byte corruptions and cuts: each decode either fails with a typed
    /// error or succeeds, and the guard bytes around the output stay untouched.
    func testMutatedFramesNeverWriteOutsideTheOutput() {
        let guardBytes = 64
        var state: UInt64 = 0x1234_5678
        for round in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var bad = frame
            let position = Int((state >> 20) % UInt64(min(bad.count, 600)))
            bad[position] = UInt8(truncatingIfNeeded: state >> 50)
            if round % 3 == 0 { bad = Array(bad.prefix(Int((state >> 8) % UInt64(bad.count)))) }
            var out = [UInt8](repeating: 0xA5, count: 2 * count + 2 * guardBytes)
            bad.withUnsafeBytes { inp in
                out.withUnsafeMutableBytes { all in
                    let o = UnsafeMutableRawBufferPointer(rebasing: all[guardBytes..<(guardBytes + 2 * count)])
                    do throws(StreamError) {
                        try PayloadCodec.decode(.bitshuffleLZ4, elementSize: 2, elementCount: count, input: inp, output: o)
                    } catch {
                        XCTAssert(error.message.hasPrefix("bslz4:"), error.message)
                    }
                }
            }
            XCTAssert(out.prefix(guardBytes).allSatisfy { $0 == 0xA5 } && out.suffix(guardBytes).allSatisfy { $0 == 0xA5 },
                      "round \(round) wrote outside the output")
        }
    }
}
