import Glibc

/// A worker's reusable output buffer for decompressed frames: grown to the largest frame
/// seen (never beyond `limit`), then reused, so that decoding never allocates or page-faults
/// per frame. Owned by one worker process.
final class DecodeBuffer {
    let limit: Int
    private var storage: UnsafeMutableRawBufferPointer?

    init(limit: Int) {
        self.limit = limit
    }

    deinit { storage?.deallocate() }

    /// The first `bytes` bytes of the buffer, or nil if that is over the limit.
    func reserve(_ bytes: Int) -> UnsafeMutableRawBufferPointer? {
        guard bytes >= 0, bytes <= limit else { return nil }
        if storage == nil || storage!.count < bytes {
            storage?.deallocate()
            storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes, 64), alignment: 64)
        }
        return UnsafeMutableRawBufferPointer(rebasing: storage![0..<bytes])
    }
}
