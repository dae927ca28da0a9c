import DetectorStream
import XCTest

/// Raw and LZ4 payloads: SIMPLON's bare LZ4 block and DECTRIS stream v2's framed LZ4.
final class CodecLZ4Tests: XCTestCase {
    private typealias Ref = CodecReference

    func testRawPayloadIsCopiedAndMustHaveTheExactSize() throws {
        let bytes = Ref.pixels(count: 1000, elementSize: 2, seed: 1, dense: true)
        XCTAssertEqual(try Ref.decode(.raw, bytes, elementSize: 2, elementCount: 1000).get(), bytes)
        let error = Ref.decodeError(.raw, Array(bytes.dropLast()), elementSize: 2, elementCount: 1000)
        XCTAssertEqual(error?.kind, .sizeMismatch)
        XCTAssert(error?.message.hasPrefix("raw:") == true, error?.message ?? "")
    }

    func testBareBlockRoundTripsForManySizes() throws {
        for count in [0, 1, 14, 15, 16, 270, 1000, 1 << 20] {
            let bytes = Ref.pixels(count: count, elementSize: 1, seed: UInt64(count))
            let block = bytes.withUnsafeBytes { PayloadCodec.encodeLZ4($0) }
            XCTAssertEqual(try Ref.decode(.lz4, block, elementSize: 1, elementCount: count).get(), bytes, "\(count)")
        }
    }

    func testBareLiteralOnlyBlockWrittenByHandDecodes() throws {
        let literals = Array("detector frame bytes!".utf8)
        XCTAssertEqual(try Ref.decode(.lz4, Ref.literalLZ4(literals), elementSize: 1, elementCount: literals.count).get(),
                       literals)
    }

    /// DECTRIS stream v2 frames LZ4 like HDF5's LZ4 filter: 12-byte header, blocks of the block
    /// size with 4-byte lengths, a block that did not shrink stored raw.
    private func framedLZ4(_ bytes: [UInt8], blockBytes: Int, header: BitshuffleHeader, rawBlock: Int) -> [UInt8] {
        var frame: [UInt8] = switch header {
        case .present: Ref.bigEndian(UInt64(bytes.count)) + Ref.bigEndian(UInt32(blockBytes))
        case .zeroed: [UInt8](repeating: 0, count: 12)
        case .missing: []
        }
        for (index, start) in stride(from: 0, to: bytes.count, by: blockBytes).enumerated() {
            let chunk = Array(bytes[start..<min(start + blockBytes, bytes.count)])
            let block = index == rawBlock ? chunk : chunk.withUnsafeBytes { PayloadCodec.encodeLZ4($0) }
            frame += Ref.bigEndian(UInt32(block.count)) + block
        }
        return frame
    }

    func testFramedLZ4DecodesWithEveryHeaderFormAndRawBlocks() throws {
        let bytes = Ref.pixels(count: 30_000, elementSize: 2, seed: 7)
        for header in BitshuffleHeader.allCases {
            let blockBytes = header == .present ? 5000 : 8192
            for rawBlock in [-1, 1] {
                let frame = framedLZ4(bytes, blockBytes: blockBytes, header: header, rawBlock: rawBlock)
                XCTAssertEqual(frame.first, 0, "framed payloads start with a zero byte")
                let decoded = try Ref.decode(.lz4, frame, elementSize: 2, elementCount: 30_000).get()
                XCTAssert(decoded == bytes, "\(header) raw block \(rawBlock)")
            }
        }
    }

    func testCorruptBareBlocksAreTypedErrors() {
        let bytes = Ref.pixels(count: 5000, elementSize: 1, seed: 3)
        let block = bytes.withUnsafeBytes { PayloadCodec.encodeLZ4($0) }
        let cut = Ref.decodeError(.lz4, Array(block.prefix(block.count / 2)), elementSize: 1, elementCount: 5000)
        XCTAssertEqual(cut?.kind, .badValue)
        XCTAssert(cut?.message.hasPrefix("lz4:") == true, cut?.message ?? "")
        let short = Ref.decodeError(.lz4, block, elementSize: 1, elementCount: 5001)
        XCTAssertEqual(short?.kind, .sizeMismatch)
        let long = Ref.decodeError(.lz4, block, elementSize: 1, elementCount: 4999)
        XCTAssertEqual(long?.kind, .badValue, "output smaller than the block decodes to")
        XCTAssertEqual(Ref.decodeError(.lz4, [], elementSize: 1, elementCount: 10)?.kind, .truncated)
    }

    func testFramedLZ4WithABlockBeyondThePayloadIsTruncated() {
        let bytes = Ref.pixels(count: 20_000, elementSize: 1, seed: 4)
        let frame = framedLZ4(bytes, blockBytes: 8192, header: .present, rawBlock: -1)
        let error = Ref.decodeError(.lz4, Array(frame.dropLast(3)), elementSize: 1, elementCount: 20_000)
        XCTAssertEqual(error?.kind, .truncated)
        XCTAssert(error?.message.contains("block 2") == true, error?.message ?? "")
    }
}
