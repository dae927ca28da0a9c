import DetectorStream
import XCTest

/// Test helpers for the payload codecs: a naive per-bit bitshuffle reference, a literal-only LZ4
/// writer, frames built from the spec with both, and deterministic pixel data.
enum CodecReference {
    /// The bitshuffle transpose bit by bit, straight from the layout: row r holds bit r % 8 of
    /// byte r / 8 of every element, element e at bit e % 8 of the row's byte e / 8.
    static func bitshuffle(_ bytes: [UInt8], elementSize s: Int) -> [UInt8] {
        let n = bytes.count / s
        precondition(n % 8 == 0)
        var out = [UInt8](repeating: 0, count: bytes.count)
        for r in 0..<(8 * s) {
            for e in 0..<n {
                let bit = (bytes[e * s + r / 8] >> UInt8(r % 8)) & 1
                out[r * (n / 8) + e / 8] |= bit << UInt8(e % 8)
            }
        }
        return out
    }

    /// An LZ4 block made of one literal run (valid LZ4: the last sequence is literals only).
    static func literalLZ4(_ literals: [UInt8]) -> [UInt8] {
        var block: [UInt8] = []
        if literals.count < 15 {
            block.append(UInt8(literals.count) << 4)
        } else {
            block.append(0xF0)
            var rest = literals.count - 15
            while rest >= 255 { block.append(255); rest -= 255 }
            block.append(UInt8(rest))
        }
        return block + literals
    }

    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// A bitshuffle-LZ4 frame assembled from the spec with the naive transpose and literal-only
    /// blocks: nothing of the codec under test is used.
    static func bitshuffleFrame(_ bytes: [UInt8], elementSize s: Int, blockBytes: Int = 8192,
                                header: BitshuffleHeader = .present) -> [UInt8] {
        var frame: [UInt8] = switch header {
        case .present: bigEndian(UInt64(bytes.count)) + bigEndian(UInt32(blockBytes))
        case .zeroed: [UInt8](repeating: 0, count: 12)
        case .missing: []
        }
        let count = bytes.count / s
        let blockElements = blockBytes / s
        var done = 0
        while count - done >= 8 {
            var n = min(blockElements, count - done)
            n -= n % 8
            let block = literalLZ4(bitshuffle(Array(bytes[(done * s)..<((done + n) * s)]), elementSize: s))
            frame += bigEndian(UInt32(block.count)) + block
            done += n
        }
        return frame + bytes[(done * s)...]
    }

    /// Deterministic pixel bytes: mostly small values with a few bright spots (like a detector
    /// frame), or every byte random when `dense`.
    static func pixels(count: Int, elementSize s: Int, seed: UInt64, dense: Bool = false) -> [UInt8] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var out = [UInt8](repeating: 0, count: count * s)
        for e in 0..<count {
            let r = next()
            let value: UInt64 = dense ? r : (r % 64 == 0 ? r >> 40 : r % 4)
            for j in 0..<s { out[e * s + j] = UInt8(truncatingIfNeeded: value >> UInt64(8 * j)) }
        }
        return out
    }

    /// Decodes into a fresh buffer, or returns the error.
    static func decode(_ encoding: PayloadEncoding, _ input: [UInt8], elementSize: Int, elementCount: Int,
                       path: CodecPath = .best) -> Result<[UInt8], StreamError> {
        var out = [UInt8](repeating: 0xEE, count: elementSize * elementCount)
        let failure: StreamError? = input.withUnsafeBytes { inp in
            out.withUnsafeMutableBytes { o in
                do throws(StreamError) {
                    try PayloadCodec.decode(encoding, elementSize: elementSize, elementCount: elementCount,
                                            input: inp, output: o, path: path)
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let failure { return .failure(failure) }
        return .success(out)
    }

    /// The error a decode must raise; fails the test when it succeeds.
    static func decodeError(_ encoding: PayloadEncoding, _ input: [UInt8], elementSize: Int, elementCount: Int,
                            file: StaticString = #filePath, line: UInt = #line) -> StreamError? {
        switch decode(encoding, input, elementSize: elementSize, elementCount: elementCount) {
        case .success:
            XCTFail("decode accepted bad input", file: file, line: line)
            return nil
        case .failure(let error):
            return error
        }
    }
}
