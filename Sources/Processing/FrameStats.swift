/// Statistics of one frame over its unmasked pixels. Computed by the worker that processed
/// the frame; a plain value.
public struct FrameStats: Sendable, Equatable {
    public var sum: Double
    /// NaN when every pixel is masked (as are `max` and `mean`).
    public var min: Double
    public var max: Double
    public var mean: Double
    /// Pixels equal to the mask value, left out of everything else.
    public var masked: Int
    /// Unmasked pixels.
    public var count: Int

    public init(sum: Double, min: Double, max: Double, mean: Double, masked: Int, count: Int) {
        self.sum = sum
        self.min = min
        self.max = max
        self.mean = mean
        self.masked = masked
        self.count = count
    }

    /// NaN compares unequal to itself; two stats are equal when their NaNs sit in the same places.
    public static func == (a: FrameStats, b: FrameStats) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return same(a.sum, b.sum) && same(a.min, b.min) && same(a.max, b.max) && same(a.mean, b.mean)
            && a.masked == b.masked && a.count == b.count
    }

    static func from(sum: UInt64, min: UInt64, max: UInt64, masked: Int, total: Int) -> FrameStats {
        let count = total - masked
        guard count > 0 else { return FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: masked, count: 0) }
        let s = Double(sum)
        return FrameStats(sum: s, min: Double(min), max: Double(max), mean: s / Double(count), masked: masked, count: count)
    }
}
