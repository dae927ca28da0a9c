import CKernels

/// Pure pixel kernels used by the workers on every frame: statistics, binning down (or up)
/// to the display size, and percentiles for autoscale. Stateless and thread-safe.
///
/// Each kernel has a concrete overload per pixel type (UInt8, UInt16, UInt32). Statistics
/// and max binning run in C (CKernels: AVX2 when the CPU has it, else a scalar twin with
/// identical results); mean binning and its statistics stay in Swift, in one generic body
/// marked `@inline(__always)` so each overload gets its own specialised loop. Masked pixels
/// are those equal to `maskValue` (the detectors' convention is the all-ones value of the
/// type, the default); they never enter a statistic or a bin.
public enum FrameKernels {
    public static func stats(_ pixels: UnsafeBufferPointer<UInt8>, maskValue: UInt8 = .max) -> FrameStats {
        stats(pixels, maskValue: maskValue, path: .best)
    }

    public static func stats(_ pixels: UnsafeBufferPointer<UInt16>, maskValue: UInt16 = .max) -> FrameStats {
        stats(pixels, maskValue: maskValue, path: .best)
    }

    /// Sums are exact below 2^32 pixels.
    public static func stats(_ pixels: UnsafeBufferPointer<UInt32>, maskValue: UInt32 = .max) -> FrameStats {
        stats(pixels, maskValue: maskValue, path: .best)
    }

    /// The statistics on a chosen kernel variant (tests compare the variants).
    static func stats<T: PixelValue>(_ pixels: UnsafeBufferPointer<T>, maskValue: T, path: KernelPath) -> FrameStats {
        FrameStats(T.cStats(pixels.baseAddress, pixels.count, maskValue, path.c), total: pixels.count)
    }
}

/// Running sums over rows of pixels for the Swift mean binning, branch-free so the loop vectorises (masked pixels go
/// through selects, never branches); `count == 0` reports NaN for min, max and mean.
struct StatsAccumulator<T: PixelValue>: RowStatistics {
    var sum: UInt64 = 0
    var minimum: T = .max
    var maximum: T = 0
    var masked = 0
    var total = 0

    /// Folds in a run of pixels. Partial sums run in `Partial` (32 bits for 8- and 16-bit
    /// pixels, which vectorises twice as wide as 64) over chunks short enough not to overflow.
    @inline(__always)
    mutating func add<Partial: FixedWidthInteger & UnsignedInteger>(_ pixels: UnsafeBufferPointer<T>, _ mask: T,
                                                                     partial _: Partial.Type) {
        let chunk = Swift.min(1 << 16, Int(truncatingIfNeeded: UInt64(Partial.max) / UInt64(T.max)))
        var minimum = self.minimum
        var maximum = self.maximum
        var start = 0
        while start < pixels.count {
            let end = Swift.min(pixels.count, start + chunk)
            var sum: Partial = 0
            var masked: UInt32 = 0
            var low = minimum
            var high = maximum
            for i in start..<end {
                let v = pixels[i]
                let isMasked = v == mask
                masked &+= isMasked ? 1 : 0
                sum &+= isMasked ? 0 : Partial(truncatingIfNeeded: v)
                // Plain selects, not Swift.min/max: those kept this loop from vectorising.
                low = !isMasked && v < low ? v : low
                high = !isMasked && v > high ? v : high
            }
            minimum = low
            maximum = high
            self.sum &+= UInt64(sum)
            self.masked += Int(masked)
            start = end
        }
        self.minimum = minimum
        self.maximum = maximum
        total += pixels.count
    }

    @inline(__always)
    mutating func add(_ pixels: UnsafeBufferPointer<T>, _ mask: T) {
        T.accumulate(pixels, mask, into: &self)
    }

    var stats: FrameStats {
        FrameStats(integerSum: sum, min: UInt64(minimum), max: UInt64(maximum), masked: masked, total: total)
    }
}
