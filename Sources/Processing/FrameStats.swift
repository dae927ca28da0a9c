/// Statistics of one frame over its unmasked pixels: the one declaration every module uses.
/// Computed by the worker that processed the frame (or by the simulator, as the truth a test
/// compares a viewer against), and carried as is in the shared-memory records (`FrameResult`,
/// `BoardHeader`), so it stays plain old data: no references, no variable-size fields.
public struct FrameStats: Sendable, Equatable, BitwiseCopyable {
    /// Exact for integer pixels while below 2^53 (the kernels add in UInt64 and convert once).
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

    /// A frame none of whose pixels count: `masked` masked ones, the rest NaN.
    public static func noPixels(masked: Int = 0) -> FrameStats {
        FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: masked, count: 0)
    }

    /// From integer totals over `total` pixels of which `masked` are masked. The sum converts
    /// to Double once, here, so every integer path rounds (above 2^53) the same way.
    public init(integerSum sum: UInt64, min: UInt64, max: UInt64, masked: Int, total: Int) {
        let count = total - masked
        guard count > 0 else {
            self = .noPixels(masked: masked)
            return
        }
        let s = Double(sum)
        self.init(sum: s, min: Double(min), max: Double(max), mean: s / Double(count), masked: masked, count: count)
    }

    /// NaN compares unequal to itself; two stats are equal when their NaNs sit in the same places.
    public static func == (a: FrameStats, b: FrameStats) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return same(a.sum, b.sum) && same(a.min, b.min) && same(a.max, b.max) && same(a.mean, b.mean)
            && a.masked == b.masked && a.count == b.count
    }
}
