import CLZ4
import DetectorStream
import Glibc
import Platform

/// LZ4 decompression of a payload's blocks without the bit untranspose: the same LZ4 blocks
/// `PayloadCodec.decode` reads, walked here with liblz4 directly so the benchmark exposes nothing
/// new in DetectorStream. The framing rules mirror CCodecs' Framing.c (12-byte header present,
/// zeroed or missing; 4-byte big-endian length before each block; a bitshuffle frame's last
/// fewer-than-8 elements raw). Output is written where the decoder would write it (still
/// shuffled), so both move the same bytes into the same buffer. Stateless.
enum LZ4OnlyDecoder {
    static let defaultBlockBytes = 8192

    static func decode(_ encoding: PayloadEncoding, elementSize: Int, input: UnsafeRawBufferPointer,
                       output: UnsafeMutableRawBufferPointer) throws(DecodeBenchError) {
        switch encoding {
        case .raw, .packed4:
            throw DecodeBenchError("LZ4-only: a \(encoding) frame has no LZ4 blocks")
        case .lz4:
            // A bare LZ4 block with output never starts with a zero byte; the framing always does.
            if output.count == 0 || (input.count > 0 && input[0] != 0) {
                try bareBlock(input, output)
            } else {
                try framedLZ4(input, output)
            }
        case .bitshuffleLZ4:
            try bitshuffleBlocks(input, output, elementSize: elementSize)
        }
    }

    /// The decoded size a 12-byte header announces: nil when there is no header (or it is zeroed).
    /// Without a header the payload starts with a block length, which reads as 2^32 or more.
    static func announcedSize(_ input: UnsafeRawBufferPointer) -> UInt64? {
        guard input.count >= 8 else { return nil }
        let size = be64(input, 0)
        return size == 0 || size >= 1 << 32 ? nil : size
    }

    private static func bareBlock(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(DecodeBenchError) {
        guard input.count <= Int(Int32.max), output.count <= Int(LZ4_MAX_INPUT_SIZE) else {
            throw DecodeBenchError("lz4: \(output.count) bytes are beyond what one LZ4 block holds")
        }
        try block(input, 0, input.count, output, 0, output.count, index: 0)
    }

    private static func framedLZ4(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(DecodeBenchError) {
        var (pos, blockBytes) = try frameStart(input, expected: output.count)
        guard blockBytes <= 1 << 30 else { throw DecodeBenchError("lz4: block size \(blockBytes) bytes is above 1 GiB") }
        var done = 0, index = 0
        while done < output.count {
            let n = min(output.count - done, blockBytes)
            let length = try blockLength(input, &pos, index: index)
            // HDF5's LZ4 filter stores a block raw when compressing did not shrink it.
            if length == n {
                (output.baseAddress! + done).copyMemory(from: input.baseAddress! + pos, byteCount: n)
            } else {
                try block(input, pos, length, output, done, n, index: index)
            }
            pos += length
            done += n
            index += 1
        }
        try finish(input, pos)
    }

    private static func bitshuffleBlocks(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
                                         elementSize: Int) throws(DecodeBenchError) {
        guard [1, 2, 4, 8].contains(elementSize), output.count % elementSize == 0 else {
            throw DecodeBenchError("bslz4: \(output.count) bytes are not whole elements of \(elementSize) bytes")
        }
        let count = output.count / elementSize
        let tailBytes = (count % 8) * elementSize
        var pos = 0, blockBytes = defaultBlockBytes
        if !(count < 8 && input.count == tailBytes) {
            (pos, blockBytes) = try frameStart(input, expected: output.count)
        }
        guard blockBytes % (8 * elementSize) == 0, blockBytes <= 1 << 30 else {
            throw DecodeBenchError("bslz4: block size \(blockBytes) bytes is not a multiple of \(8 * elementSize) up to 1 GiB")
        }
        let blockElements = blockBytes / elementSize
        var done = 0, index = 0
        while count - done >= 8 {
            var n = min(count - done, blockElements)
            n -= n % 8
            let length = try blockLength(input, &pos, index: index)
            try block(input, pos, length, output, done * elementSize, n * elementSize, index: index)
            pos += length
            done += n
            index += 1
        }
        guard input.count - pos >= tailBytes else {
            throw DecodeBenchError("bslz4: payload ends inside the \(tailBytes) raw bytes after the blocks")
        }
        if tailBytes > 0 {
            (output.baseAddress! + done * elementSize).copyMemory(from: input.baseAddress! + pos, byteCount: tailBytes)
        }
        try finish(input, pos + tailBytes)
    }

    /// Where the blocks start and their size (see `announcedSize` for how a header is told apart).
    private static func frameStart(_ input: UnsafeRawBufferPointer, expected: Int) throws(DecodeBenchError) -> (Int, Int) {
        guard input.count >= 8 else { return (0, defaultBlockBytes) }
        let size = be64(input, 0)
        if size >= 1 << 32 && size != UInt64(expected) { return (0, defaultBlockBytes) }
        guard size == 0 || size == UInt64(expected) else {
            throw DecodeBenchError("header says \(size) decoded bytes, expected \(expected)")
        }
        guard input.count >= 12 else { throw DecodeBenchError("payload of \(input.count) bytes ends inside the 12-byte header") }
        let block = Int(be32(input, 8))
        return (12, block == 0 ? defaultBlockBytes : block)
    }

    /// Reads the length before block `index` at `pos`, checks the block fits, and moves past it.
    private static func blockLength(_ input: UnsafeRawBufferPointer, _ pos: inout Int, index: Int) throws(DecodeBenchError) -> Int {
        guard input.count - pos >= 4 else { throw DecodeBenchError("payload ends before the length of block \(index)") }
        let length = Int(be32(input, pos))
        pos += 4
        guard length <= input.count - pos else {
            throw DecodeBenchError("block \(index) says \(length) bytes, only \(input.count - pos) left")
        }
        return length
    }

    /// LZ4_decompress_safe of input[at..<at+length] into exactly output[to..<to+count].
    private static func block(_ input: UnsafeRawBufferPointer, _ at: Int, _ length: Int,
                              _ output: UnsafeMutableRawBufferPointer, _ to: Int, _ count: Int,
                              index: Int) throws(DecodeBenchError) {
        guard length > 0, let source = input.baseAddress, let target = output.baseAddress else {
            throw DecodeBenchError("LZ4_decompress_safe: block \(index) is empty, expected \(count) bytes")
        }
        let got = LZ4_decompress_safe((source + at).assumingMemoryBound(to: CChar.self),
                                      (target + to).assumingMemoryBound(to: CChar.self), Int32(length), Int32(count))
        guard got == Int32(count) else {
            throw DecodeBenchError(got < 0
                ? "LZ4_decompress_safe: block \(index) (\(length) bytes) is not valid LZ4 for \(count) bytes"
                : "LZ4_decompress_safe: block \(index) decompresses to \(got) bytes, expected \(count)")
        }
    }

    private static func finish(_ input: UnsafeRawBufferPointer, _ pos: Int) throws(DecodeBenchError) {
        guard pos == input.count else { throw DecodeBenchError("\(input.count - pos) bytes left over after the last block") }
    }

    private static func be64(_ input: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(bigEndian: input.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    private static func be32(_ input: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(bigEndian: input.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
}

// MARK: - The built-in scene
