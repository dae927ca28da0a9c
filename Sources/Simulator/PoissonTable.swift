import Glibc

/// Poisson sampling for small means at one table look-up per pixel: means are quantised to
/// 1/`binsPerCount` and each bin holds its cumulative distribution as 32-bit thresholds, so a
/// sample is "count the thresholds below 32 random bits" (most pixels of a sparse scene stop
/// at the first). Immutable after creation; shared freely.
struct PoissonTable: Sendable {
    static let binsPerCount = 32
    static let maxCount = 31
    /// Largest mean the table holds; larger means are clamped.
    let maxMean: Double
    let binCount: Int
    /// binCount × maxCount thresholds: P(X ≤ k) · 2^32 for k in 0..<maxCount.
    let thresholds: [UInt32]

    init(maxMean: Double) {
        self.maxMean = maxMean
        binCount = Int((maxMean * Double(Self.binsPerCount)).rounded(.up)) + 1
        var table = [UInt32](repeating: .max, count: binCount * Self.maxCount)
        for bin in 0..<binCount {
            let mean = Double(bin) / Double(Self.binsPerCount)
            var p = exp(-mean), cdf = 0.0
            for k in 0..<Self.maxCount {
                cdf += p
                p *= mean / Double(k + 1)
                table[bin * Self.maxCount + k] = UInt32(min(cdf * 4_294_967_296.0, 4_294_967_295.0))
            }
        }
        thresholds = table
    }

    /// The bin of a mean (clamped to the table).
    func bin(mean: Double) -> UInt16 {
        UInt16(min(max(0, (mean * Double(Self.binsPerCount)).rounded()), Double(binCount - 1)))
    }
}
