/// Histogram of the values of an image (the current view), masked (NaN) values left out.
/// Owned by whoever draws the histogram (a worker or the UI); counts are allocated at init and
/// reused by every `compute`.
///
/// Bins split [lower, upper] into `bins` equal parts; bin k holds lower + k·w ≤ v <
/// lower + (k+1)·w, except that the last bin also holds v == upper. Values below lower count as
/// underflow, above upper as overflow. Without a given range the range is the finite minimum
/// and maximum of the values (infinities then land in under/overflow); with no finite value at
/// all, lower and upper are NaN and every bin is 0. When lower == upper every value equal to
/// it goes to bin 0.
public final class ValueHistogram {
    public static let maxBins = 1 << 20

    public let bins: Int
    public private(set) var lower = Double.nan
    public private(set) var upper = Double.nan
    public private(set) var underflow: UInt64 = 0
    public private(set) var overflow: UInt64 = 0
    /// NaN values seen (left out of everything else).
    public private(set) var masked: UInt64 = 0
    private let storage: UnsafeMutableBufferPointer<UInt64>

    public init(bins: Int) throws(AnalysisError) {
        guard (1...Self.maxBins).contains(bins) else { throw .invalidSetting("histogram bins \(bins) (1…\(Self.maxBins))") }
        self.bins = bins
        storage = .allocate(capacity: bins)
        storage.initialize(repeating: 0)
    }

    deinit { storage.deallocate() }

    /// Counts per bin of the last `compute`.
    public var counts: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(storage) }

    /// The lower edge of bin k (k = bins gives the upper end of the range).
    public func edge(_ k: Int) -> Double { lower + (upper - lower) * Double(k) / Double(bins) }

    /// Replaces the counts with those of `values`. `range` must have finite bounds.
    public func compute(_ values: UnsafeBufferPointer<Float>, range: ClosedRange<Float>? = nil) throws(AnalysisError) {
        if let range {
            guard range.lowerBound.isFinite, range.upperBound.isFinite else {
                throw .invalidSetting("histogram range \(range.lowerBound)…\(range.upperBound) is not finite")
            }
            lower = Double(range.lowerBound)
            upper = Double(range.upperBound)
        } else {
            var low = Float.infinity, high = -Float.infinity
            for v in values where v.isFinite {
                low = v < low ? v : low
                high = v > high ? v : high
            }
            lower = low <= high ? Double(low) : .nan
            upper = low <= high ? Double(high) : .nan
        }
        storage.update(repeating: 0)
        underflow = 0
        overflow = 0
        masked = 0
        let lo = lower, hi = upper
        let hasRange = !lo.isNaN
        let scale = hi > lo ? Double(bins) / (hi - lo) : 0
        let last = bins - 1
        for v in values {
            if v.isNaN {
                masked += 1
                continue
            }
            let d = Double(v)
            if !hasRange {
                // Only infinities are left when no finite value gave a range.
                if d < 0 { underflow += 1 } else { overflow += 1 }
            } else if d < lo {
                underflow += 1
            } else if d > hi {
                overflow += 1
            } else {
                let k = Int((d - lo) * scale)
                storage[k < last ? k : last] += 1
            }
        }
    }
}
