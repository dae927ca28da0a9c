import CCodecs
import CLZ4

/// Decodes frame payloads (raw little-endian, LZ4, bitshuffle-LZ4) into a caller-owned output
/// buffer, and encodes LZ4 and bitshuffle-LZ4 for the simulator and tests. Runs in the worker
/// processes, never on the receive thread. Stateless: any thread may call it; a decode
/// allocates nothing on the heap (one block of scratch lives on the C stack).
public enum PayloadCodec {
    /// Decodes `input` (as received: still compressed) into `output`, which must hold exactly
    /// `elementCount * elementSize` bytes. `.lz4` accepts one bare LZ4 block (SIMPLON `lz4<`) and
    /// the 12-byte-header block framing of DECTRIS stream v2; `.bitshuffleLZ4` accepts the header
    /// present, zeroed or missing. Never reads past `input` nor writes past `output`.
    public static func decode(_ encoding: PayloadEncoding, elementSize: Int, elementCount: Int,
                              input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer,
                              path: CodecPath = .best) throws(StreamError) {
        try decode(encoding, elementSize: elementSize, elementCount: elementCount, input: input, output: output,
                   untranspose: path)
    }

    /// The LZ4 share of `decode`: the same framing, checks and LZ4 blocks, without the bit
    /// untranspose of `.bitshuffleLZ4` (its output holds the blocks still shuffled); `.lz4` is
    /// `decode` itself. The baseline `detview bench decode` compares the decoders with; raw and
    /// packed frames have no LZ4 and are refused.
    public static func decompressBlocksOnly(_ encoding: PayloadEncoding, elementSize: Int, elementCount: Int,
                                            input: UnsafeRawBufferPointer,
                                            output: UnsafeMutableRawBufferPointer) throws(StreamError) {
        guard encoding == .lz4 || encoding == .bitshuffleLZ4 else {
            throw StreamError(.badValue, "\(encoding.name): a frame without LZ4 blocks")
        }
        try decode(encoding, elementSize: elementSize, elementCount: elementCount, input: input, output: output,
                   untranspose: nil)
    }

    /// The decoded size a payload's 12-byte header (bitshuffle-LZ4, framed LZ4) announces; nil
    /// when the payload has no header or a zeroed one.
    public static func announcedDecodedSize(_ input: UnsafeRawBufferPointer) -> UInt64? {
        let size = input.withNonNullBase { cc_announced_size($0.assumingMemoryBound(to: UInt8.self), input.count) }
        return size == 0 ? nil : size
    }

    /// `untranspose` nil skips the bit untranspose of bitshuffle-LZ4 (`decompressBlocksOnly`).
    private static func decode(_ encoding: PayloadEncoding, elementSize: Int, elementCount: Int,
                               input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer,
                               untranspose path: CodecPath?) throws(StreamError) {
        let name = encoding.name
        guard elementSize > 0, elementCount >= 0 else {
            throw StreamError(.badValue, "\(name): \(elementCount) elements of \(elementSize) bytes")
        }
        let (expected, overflow) = elementCount.multipliedReportingOverflow(by: elementSize)
        guard !overflow, expected == output.count else {
            throw StreamError(.sizeMismatch, "\(name): output holds \(output.count) bytes, "
                + "\(elementCount) elements of \(elementSize) bytes need \(overflow ? "more" : String(expected))")
        }
        switch encoding {
        case .raw:
            guard input.count == expected else {
                throw StreamError(.sizeMismatch, "raw: payload is \(input.count) bytes, expected \(expected)")
            }
            if expected > 0 { output.copyMemory(from: input) }
        case .lz4:
            try call { inp, out, message, cap in
                cc_lz4_decode(inp, input.count, out, expected, message, cap)
            }
        case .bitshuffleLZ4:
            try call { inp, out, message, cap in
                if let path {
                    cc_bslz4_decode(inp, input.count, out, expected, elementSize, path.c, message, cap)
                } else {
                    cc_bslz4_blocks_only(inp, input.count, out, expected, elementSize, message, cap)
                }
            }
        case .packed4:
            try unpack4(input, into: output, count: elementCount, elementSize: elementSize)
        }

        /// Runs a C decoder with non-null pointers (empty buffers have none) and a stack buffer
        /// for its message, and turns a failure into a StreamError.
        func call(_ body: (UnsafePointer<UInt8>, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<CChar>, Int)
            -> cc_status) throws(StreamError) {
            var spare: UInt8 = 0
            let failure: StreamError? = withUnsafeMutablePointer(to: &spare) { spare in
                let inp = input.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(spare)
                let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? spare
                return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 200) { message in
                    message[0] = 0
                    let status = body(inp, out, message.baseAddress!, message.count)
                    guard let kind = StreamError.Kind(status) else { return nil }
                    return StreamError(kind, String(cString: message.baseAddress!))
                }
            }
            if let failure { throw failure }
        }
    }

    /// One bare LZ4 block of `input` (liblz4's LZ4_compress_default). Traps above LZ4's 2 GB limit.
    public static func encodeLZ4(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(input.count <= Int(LZ4_MAX_INPUT_SIZE), "lz4: \(input.count) bytes exceed one LZ4 block")
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            count = input.withNonNullBase { source in Int(LZ4_compress_default(source.assumingMemoryBound(to: CChar.self),
                                             UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                                             Int32(input.count), Int32(bound))) }
        }
    }

    /// Bitshuffle-LZ4 of `input` (whole elements of `elementSize` = 1, 2, 4 or 8 bytes) in blocks
    /// of `blockSize` bytes (0: the senders' default, 8192; else a multiple of 8 elements).
    /// Traps on arguments no caller may pass: the encoder only serves the simulator and tests.
    public static func encodeBitshuffleLZ4(_ input: UnsafeRawBufferPointer, elementSize: Int, blockSize: Int = 0,
                                           header: BitshuffleHeader = .present) -> [UInt8] {
        precondition([1, 2, 4, 8].contains(elementSize) && input.count % elementSize == 0,
                      "bslz4: \(input.count) bytes are not whole elements of \(elementSize) bytes (1, 2, 4 or 8)")
        let count = input.count / elementSize
        let bound = cc_bslz4_bound(count, elementSize, blockSize)
        precondition(bound > 0, "bslz4: block size \(blockSize) is not a multiple of 8 elements of \(elementSize) bytes")
        let mode: cc_header = switch header {
        case .present: CC_HEADER_PRESENT
        case .zeroed: CC_HEADER_ZEROED
        case .missing: CC_HEADER_MISSING
        }
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, written in
            written = input.withNonNullBase { source in
                cc_bslz4_encode(source.assumingMemoryBound(to: UInt8.self), count, elementSize, blockSize,
                                mode, buffer.baseAddress!, buffer.count)
            }
            precondition(written > 0 || count == 0, "bslz4: encoder failed")
        }
    }
}

extension PayloadCodec {
    /// slsDetector bitmode 4: two pixels per byte, the high nibble first. The 4-bit all-ones
    /// value 15 becomes 255, the all-ones value of uint8, so that it stays masked like every
    /// all-ones pixel.
    static func unpack4(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                        count: Int, elementSize: Int) throws(StreamError) {
        guard elementSize == 1 else {
            throw StreamError(.badValue, "packed4: unpacks to 1-byte pixels, not \(elementSize)")
        }
        guard input.count == (count + 1) / 2 else {
            throw StreamError(.sizeMismatch, "packed4: payload is \(input.count) bytes, \(count) pixels need \((count + 1) / 2)")
        }
        for i in 0..<count {
            let byte = input[i / 2]
            let nibble = i % 2 == 0 ? byte >> 4 : byte & 0x0F
            output[i] = nibble == 0x0F ? 0xFF : nibble
        }
    }

    /// Packs 4-bit pixels (values above 15 are clamped) two per byte, high nibble first.
    public static func pack4(_ pixels: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (pixels.count + 1) / 2)
        for (i, p) in pixels.enumerated() {
            let nibble = min(p, 15)
            out[i / 2] |= i % 2 == 0 ? nibble << 4 : nibble
        }
        return out
    }
}

extension StreamError.Kind {
    /// The error kind of a CCodecs status; nil for success.
    init?(_ status: cc_status) {
        switch status {
        case CC_TRUNCATED: self = .truncated
        case CC_SIZE_MISMATCH: self = .sizeMismatch
        case CC_OK: return nil
        default: self = .badValue
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Runs `body` with the base address, or with a valid dummy address for an empty buffer:
    /// the C encoders want non-null pointers.
    func withNonNullBase<R>(_ body: (UnsafeRawPointer) -> R) -> R {
        if let base = baseAddress { return body(base) }
        var spare: UInt8 = 0
        return withUnsafePointer(to: &spare) { body(UnsafeRawPointer($0)) }
    }
}
