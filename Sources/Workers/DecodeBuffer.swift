import Glibc

/// A worker's reusable output buffers: decompressed (or byte-swapped) frames, and the Float32
/// copy of frames whose type has no kernels of its own (see `PixelFrame`). Each is grown to the
/// largest frame seen (never beyond `limit` bytes, or `limit` pixels for the Float copy), then
/// reused, so that decoding never allocates or page-faults per frame. Owned by one worker process.
final class DecodeBuffer {
    let limit: Int
    private var storage: UnsafeMutableRawBufferPointer?
    private var floats: UnsafeMutableRawBufferPointer?

    init(limit: Int) {
        self.limit = limit
    }

    deinit {
        storage?.deallocate()
        floats?.deallocate()
    }

    /// The first `bytes` bytes of the buffer, or nil if that is over the limit.
    func reserve(_ bytes: Int) -> UnsafeMutableRawBufferPointer? {
        guard bytes >= 0, bytes <= limit else { return nil }
        return Self.grow(&storage, to: bytes)
    }

    /// Room for `count` Float32 pixels, apart from `reserve`'s buffer; nil over `limit` pixels
    /// (a frame within the byte limit has at most that many).
    func reserveFloats(_ count: Int) -> UnsafeMutableBufferPointer<Float>? {
        guard count >= 0, count <= limit else { return nil }
        return Self.grow(&floats, to: count * MemoryLayout<Float>.stride).bindMemory(to: Float.self)
    }

    private static func grow(_ buffer: inout UnsafeMutableRawBufferPointer?, to bytes: Int) -> UnsafeMutableRawBufferPointer {
        if buffer == nil || buffer!.count < bytes {
            buffer?.deallocate()
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes, 64), alignment: 64)
        }
        return UnsafeMutableRawBufferPointer(rebasing: buffer![0..<bytes])
    }
}
