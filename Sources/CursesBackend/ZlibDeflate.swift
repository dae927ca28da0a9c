import CZlib

/// zlib's one-call compression, for the kitty graphics protocol's `o=z` (RFC 1950 data).
enum ZlibDeflate {
    /// The fastest level: a paint's picture is compressed on the main thread, and level 1
    /// already gets most of the gain on a smooth heatmap (7× here; level 6: 13×, several times slower).
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), 1)
            }
        }
        guard status == Z_OK else { return nil }
        out.removeSubrange(Int(length)...)
        return out
    }
}
