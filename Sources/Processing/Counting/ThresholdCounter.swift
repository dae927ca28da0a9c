import CKernels

/// The threshold mode: per pixel, how many frames had a pedestal-subtracted value above
/// `threshold` (ADU). One instance per worker, used from its processing thread; the count
/// image is allocated once.
public final class ThresholdCounter {
    public let width: Int
    public let height: Int
    /// ADU above the pedestal; may change between frames (the `+`/`-` keys). A NaN threshold
    /// counts nothing.
    public var threshold: Float
    /// Frames added since creation or `clear`.
    public private(set) var frames = 0
    var path: KernelPath = .best

    private let countStore: OwnedPixels<UInt32>

    public init(width: Int, height: Int, threshold: Float) throws(CountingError) {
        let n = try CountingError.pixelCount(width: width, height: height)
        self.width = width
        self.height = height
        self.threshold = threshold
        countStore = OwnedPixels(count: n, zero: 0)
    }

    public var pixelCount: Int { width * height }
    /// Per-pixel counts, row-major. Valid while the counter lives.
    public var counts: UnsafeBufferPointer<UInt32> { countStore.readOnly }

    /// Counts the pixels of one pedestal-subtracted frame above the threshold (NaN never counts).
    public func add(_ subtracted: UnsafeBufferPointer<Float>) throws(CountingError) {
        try CountingError.check(subtracted.count, is: pixelCount)
        ck_threshold_count(subtracted.baseAddress, pixelCount, threshold, countStore.base, path.c)
        frames += 1
    }

    public func clear() {
        countStore.fill(0)
        frames = 0
    }
}
