/// Compresses frame payloads the way real senders do, for the simulator and tests (the
/// counterpart of `PayloadCodec.decode`). LZ4 comes in two forms: one bare block (SIMPLON v1
/// `lz4<`, array-1.0) or the 12-byte-header block framing DECTRIS stream v2 uses (8-byte
/// big-endian decoded size, 4-byte big-endian block size 8192, then per block a 4-byte
/// big-endian length and the block, a block stored raw when LZ4 did not shrink it: what the
/// EIGER2 fixtures hold). Stateless; any thread may call it.
public enum PayloadEncoder {
    public enum LZ4Form: Sendable {
        case bare, framed
    }

    /// The block size of DECTRIS framings (bytes).
    public static let blockBytes = 8192

    /// `pixels` encoded as `encoding`; `elementSize` is the pixel size in bytes (1, 2, 4 or 8).
    /// The bytes are compressed as they are: big-endian pixels stay big-endian.
    public static func encode(_ pixels: UnsafeRawBufferPointer, as encoding: PayloadEncoding, elementSize: Int,
                              lz4: LZ4Form = .bare) -> [UInt8] {
        switch encoding {
        case .raw: Array(pixels)
        case .lz4: lz4 == .bare ? PayloadCodec.encodeLZ4(pixels) : framedLZ4(pixels)
        case .bitshuffleLZ4: PayloadCodec.encodeBitshuffleLZ4(pixels, elementSize: elementSize)
        case .packed4: PayloadCodec.pack4(Array(pixels))
        }
    }

    /// LZ4 in the 12-byte-header block framing.
    public static func framedLZ4(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(12 + input.count / 2)
        appendBigEndian(UInt64(input.count), count: 8, to: &out)
        appendBigEndian(UInt64(blockBytes), count: 4, to: &out)
        var start = 0
        while start < input.count {
            let block = UnsafeRawBufferPointer(rebasing: input[start..<min(start + blockBytes, input.count)])
            let compressed = PayloadCodec.encodeLZ4(block)
            // The decoder reads a block whose length equals its decoded size as stored raw.
            let stored = compressed.count < block.count ? compressed : Array(block)
            appendBigEndian(UInt64(stored.count), count: 4, to: &out)
            out.append(contentsOf: stored)
            start += block.count
        }
        return out
    }

    private static func appendBigEndian(_ value: UInt64, count: Int, to out: inout [UInt8]) {
        for i in stride(from: count - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }
}
