// Kernels over Float32 frames: the display path of every pixel type without its own C kernel
// (uint64, the signed integers, the floats), which the workers first convert to Float32 with
// masked pixels as NaN (`PixelConversion`). Same contracts as the integer overloads in
// FrameKernels.swift and Binning.swift (bin ranges, NaN for a bin of masked pixels only, stats
// in one pass when the image is not taller than the frame); the mask is NaN, always.
// Plain Swift loops: the conversion pass before them costs more than they do.

extension FrameKernels {
    /// Statistics over the non-NaN pixels; the sum is accumulated in Double.
    public static func stats(_ pixels: UnsafeBufferPointer<Float>) -> FrameStats {
        var accumulator = FloatStatsAccumulator()
        accumulator.add(pixels)
        return accumulator.stats
    }

    /// Max binning of a Float frame; NaN pixels are masked. False (and nothing written) when a
    /// size is not positive or a buffer is smaller than its size says.
    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<Float>, width: Int, height: Int,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        floatBins(pixels, width, height, out, outWidth, outHeight, stats: false, columns: MaxFloatColumns.self) != nil
    }

    /// Mean binning over the non-NaN pixels of each bin; same contract as `binMax`.
    @discardableResult
    public static func binMean(_ pixels: UnsafeBufferPointer<Float>, width: Int, height: Int,
                               into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        floatBins(pixels, width, height, out, outWidth, outHeight, stats: false, columns: MeanFloatColumns.self) != nil
    }

    /// Frame statistics and max binning of a Float frame; nil when a size or buffer is invalid.
    public static func statsAndBinMax(_ pixels: UnsafeBufferPointer<Float>, width: Int, height: Int,
                                      into out: UnsafeMutableBufferPointer<Float>,
                                      outWidth: Int, outHeight: Int) -> FrameStats? {
        floatBins(pixels, width, height, out, outWidth, outHeight, stats: true, columns: MaxFloatColumns.self)
    }

    /// Frame statistics and mean binning of a Float frame; see `statsAndBinMax`.
    public static func statsAndBinMean(_ pixels: UnsafeBufferPointer<Float>, width: Int, height: Int,
                                       into out: UnsafeMutableBufferPointer<Float>,
                                       outWidth: Int, outHeight: Int) -> FrameStats? {
        floatBins(pixels, width, height, out, outWidth, outHeight, stats: true, columns: MeanFloatColumns.self)
    }

    @inline(__always)
    static func floatBins<Columns: ColumnAccumulator>(
        _ pixels: UnsafeBufferPointer<Float>, _ width: Int, _ height: Int,
        _ out: UnsafeMutableBufferPointer<Float>, _ outWidth: Int, _ outHeight: Int,
        stats: Bool, columns: Columns.Type
    ) -> FrameStats? where Columns.Pixel == Float {
        guard let g = BinGeometry(pixels, width, height, out, outWidth, outHeight),
              let source = pixels.baseAddress, let target = out.baseAddress
        else { return nil }
        return binRows(source, g, .nan, target, stats: stats, columns: columns, statistics: FloatStatsAccumulator.self)
    }
}

/// Running statistics over Float pixels, NaN masked; the sum in Double.
struct FloatStatsAccumulator: RowStatistics {
    var sum = 0.0
    var minimum = Float.nan
    var maximum = Float.nan
    var masked = 0
    var total = 0

    @inline(__always)
    mutating func add(_ pixels: UnsafeBufferPointer<Float>) {
        var sum = 0.0, masked = 0
        var low = minimum, high = maximum
        for v in pixels {
            if v.isNaN {
                masked += 1
                continue
            }
            sum += Double(v)
            // NaN (nothing seen yet) loses to any value.
            low = v < low || low.isNaN ? v : low
            high = v > high || high.isNaN ? v : high
        }
        self.sum += sum
        self.masked += masked
        minimum = low
        maximum = high
        total += pixels.count
    }

    /// Float frames are masked with NaN, whatever `mask` says.
    @inline(__always)
    mutating func add(_ pixels: UnsafeBufferPointer<Float>, _ mask: Float) { add(pixels) }

    var stats: FrameStats {
        let count = total - masked
        guard count > 0 else { return .noPixels(masked: masked) }
        return FrameStats(sum: sum, min: Double(minimum), max: Double(maximum), mean: sum / Double(count),
                          masked: masked, count: count)
    }
}

/// Column maxima; NaN until a column sees a number.
struct MaxFloatColumns: ColumnAccumulator {
    let maxima: UnsafeMutableBufferPointer<Float>

    init(width: Int) { maxima = .allocate(capacity: width) }

    @inline(__always) func reset() { maxima.update(repeating: .nan) }

    @inline(__always) func add(row: UnsafePointer<Float>, mask _: Float) {
        for x in 0..<maxima.count {
            let v = row[x], m = maxima[x]
            maxima[x] = v > m || m.isNaN ? v : m
        }
    }

    @inline(__always) func reduce(from x0: Int, to x1: Int) -> Float {
        var m = Float.nan
        for x in x0..<x1 {
            let c = maxima[x]
            m = c > m || m.isNaN ? c : m
        }
        return m
    }

    func deallocate() { maxima.deallocate() }
}

/// Column sums (Double) and counts of non-NaN pixels.
struct MeanFloatColumns: ColumnAccumulator {
    let sums: UnsafeMutableBufferPointer<Double>
    let counts: UnsafeMutableBufferPointer<Int>

    init(width: Int) {
        sums = .allocate(capacity: width)
        counts = .allocate(capacity: width)
    }

    @inline(__always) func reset() {
        sums.update(repeating: 0)
        counts.update(repeating: 0)
    }

    @inline(__always) func add(row: UnsafePointer<Float>, mask _: Float) {
        for x in 0..<sums.count {
            let v = row[x]
            let isMasked = v.isNaN
            sums[x] += isMasked ? 0 : Double(v)
            counts[x] += isMasked ? 0 : 1
        }
    }

    @inline(__always) func reduce(from x0: Int, to x1: Int) -> Float {
        var sum = 0.0, count = 0
        for x in x0..<x1 {
            sum += sums[x]
            count += counts[x]
        }
        return count == 0 ? .nan : Float(sum / Double(count))
    }

    func deallocate() {
        sums.deallocate()
        counts.deallocate()
    }
}
