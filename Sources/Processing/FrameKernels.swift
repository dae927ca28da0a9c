/// Pure pixel kernels used by the workers on every frame: statistics, binning down (or up)
/// to the display size, and percentiles for autoscale. Stateless and thread-safe.
///
/// Each kernel has a concrete overload per pixel type (UInt8, UInt16, UInt32). They share
/// one generic body marked `@inline(__always)`, so each overload compiles to its own
/// specialised loop with no generic dispatch per pixel. Masked pixels are those equal to
/// `maskValue` (the detectors' convention is the all-ones value of the type, the default);
/// they never enter a statistic or a bin.
public enum FrameKernels {
    public static func stats(_ pixels: UnsafeBufferPointer<UInt8>, maskValue: UInt8 = .max) -> FrameStats {
        statsBody(pixels, maskValue)
    }

    public static func stats(_ pixels: UnsafeBufferPointer<UInt16>, maskValue: UInt16 = .max) -> FrameStats {
        statsBody(pixels, maskValue)
    }

    /// Sums are exact below 2^32 pixels.
    public static func stats(_ pixels: UnsafeBufferPointer<UInt32>, maskValue: UInt32 = .max) -> FrameStats {
        statsBody(pixels, maskValue)
    }

    @inline(__always)
    static func statsBody<T: FixedWidthInteger & UnsignedInteger>(_ pixels: UnsafeBufferPointer<T>,
                                                                  _ mask: T) -> FrameStats {
        var accumulator = StatsAccumulator<T>()
        accumulator.add(pixels, mask)
        return accumulator.stats
    }
}

/// Running sums over rows of pixels, branch-free so the loop vectorises: a masked pixel
/// adds 0 to the sum, T.max to the min and 0 to the max, which leaves each unchanged
/// whenever any unmasked pixel exists (and `count == 0` reports NaN otherwise).
struct StatsAccumulator<T: FixedWidthInteger & UnsignedInteger> {
    var sum: UInt64 = 0
    var minimum: T = .max
    var maximum: T = 0
    var masked = 0
    var total = 0

    @inline(__always)
    mutating func add(_ pixels: UnsafeBufferPointer<T>, _ mask: T) {
        var sum: UInt64 = 0
        var minimum = self.minimum
        var maximum = self.maximum
        var masked = 0
        for i in 0..<pixels.count {
            let v = pixels[i]
            let isMasked = v == mask
            masked &+= isMasked ? 1 : 0
            sum &+= isMasked ? 0 : UInt64(v)
            minimum = Swift.min(minimum, isMasked ? T.max : v)
            maximum = Swift.max(maximum, isMasked ? 0 : v)
        }
        self.sum &+= sum
        self.minimum = minimum
        self.maximum = maximum
        self.masked += masked
        total += pixels.count
    }

    var stats: FrameStats {
        FrameStats.from(sum: sum, min: UInt64(minimum), max: UInt64(maximum), masked: masked, total: total)
    }
}
