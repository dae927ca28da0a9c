import CKernels

// Binning a frame to the display size.
//
// Output pixel (i, j) of an outWidth × outHeight image covers source columns
// [floor(i·W/outW), floor((i+1)·W/outW)) and rows [floor(j·H/outH), floor((j+1)·H/outH)),
// widened to at least one pixel, so scaling up replicates pixels. Going down, these ranges
// partition the frame exactly. Bins holding only masked pixels are NaN.
//
// Max binning runs in C (CKernels, same structure plus SIMD); mean binning stays here.
//
// The loop walks each output row's band of source rows once: a vertical pass folds every
// row into per-column accumulators with contiguous, vectorisable loads, then a horizontal
// pass folds the columns into output pixels (W operations per output row, not per pixel).

extension FrameKernels {
    /// Max binning. False (and nothing written) when a size is not positive or a buffer is
    /// smaller than its size says.
    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, maskValue: UInt8 = .max,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binMaxBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: false, path: .best) != nil
    }

    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<UInt16>, width: Int, height: Int, maskValue: UInt16 = .max,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binMaxBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: false, path: .best) != nil
    }

    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<UInt32>, width: Int, height: Int, maskValue: UInt32 = .max,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binMaxBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: false, path: .best) != nil
    }

    /// Mean binning over the unmasked pixels of each bin; same contract as `binMax`.
    @discardableResult
    public static func binMean(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, maskValue: UInt8 = .max,
                               into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binMeanBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: false) != nil
    }

    @discardableResult
    public static func binMean(_ pixels: UnsafeBufferPointer<UInt16>, width: Int, height: Int, maskValue: UInt16 = .max,
                               into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binMeanBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: false) != nil
    }

    @discardableResult
    public static func binMean(_ pixels: UnsafeBufferPointer<UInt32>, width: Int, height: Int, maskValue: UInt32 = .max,
                               into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binMeanBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: false) != nil
    }

    /// Frame statistics and max binning in one pass over the frame (when the image is not
    /// taller than the frame; otherwise two passes). Nil when a size or buffer is invalid.
    public static func statsAndBinMax(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                                      maskValue: UInt8 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                      outWidth: Int, outHeight: Int) -> FrameStats? {
        binMaxBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: true, path: .best)
    }

    public static func statsAndBinMax(_ pixels: UnsafeBufferPointer<UInt16>, width: Int, height: Int,
                                      maskValue: UInt16 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                      outWidth: Int, outHeight: Int) -> FrameStats? {
        binMaxBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: true, path: .best)
    }

    public static func statsAndBinMax(_ pixels: UnsafeBufferPointer<UInt32>, width: Int, height: Int,
                                      maskValue: UInt32 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                      outWidth: Int, outHeight: Int) -> FrameStats? {
        binMaxBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: true, path: .best)
    }

    /// Frame statistics and mean binning in one pass; see `statsAndBinMax`.
    public static func statsAndBinMean(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                                       maskValue: UInt8 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                       outWidth: Int, outHeight: Int) -> FrameStats? {
        binMeanBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: true)
    }

    public static func statsAndBinMean(_ pixels: UnsafeBufferPointer<UInt16>, width: Int, height: Int,
                                       maskValue: UInt16 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                       outWidth: Int, outHeight: Int) -> FrameStats? {
        binMeanBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: true)
    }

    public static func statsAndBinMean(_ pixels: UnsafeBufferPointer<UInt32>, width: Int, height: Int,
                                       maskValue: UInt32 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                       outWidth: Int, outHeight: Int) -> FrameStats? {
        binMeanBody(pixels, width, height, maskValue, out, outWidth, outHeight, stats: true)
    }

    /// Max binning (and stats) on a chosen kernel variant. Nil on invalid geometry, else the
    /// frame's stats (empty stats when `stats` is false).
    static func binMaxBody<T: PixelValue>(
        _ pixels: UnsafeBufferPointer<T>, _ width: Int, _ height: Int, _ mask: T,
        _ out: UnsafeMutableBufferPointer<Float>, _ outWidth: Int, _ outHeight: Int,
        stats: Bool, path: KernelPath
    ) -> FrameStats? {
        guard BinGeometry(pixels, width, height, out, outWidth, outHeight) != nil,
              let source = pixels.baseAddress, let target = out.baseAddress
        else { return nil }
        let scratchBytes = ck_bin_scratch_bytes(width, outWidth, MemoryLayout<T>.size)
        return withUnsafeTemporaryAllocation(byteCount: scratchBytes, alignment: 64) { scratch in
            guard stats else {
                T.cBinMax(source, width, height, mask, target, outWidth, outHeight, scratch.baseAddress!, nil, path.c)
                return StatsAccumulator<T>().stats
            }
            var totals = ck_stats()
            T.cBinMax(source, width, height, mask, target, outWidth, outHeight, scratch.baseAddress!, &totals, path.c)
            return FrameStats(totals, total: width * height)
        }
    }

    /// The shared mean body; `stats` is a constant at every call site, so after inlining
    /// each overload keeps only its own loops. Returns nil on invalid geometry, else the
    /// frame's stats (empty stats when `stats` is false).
    @inline(__always)
    static func binMeanBody<T: PixelValue>(
        _ pixels: UnsafeBufferPointer<T>, _ width: Int, _ height: Int, _ mask: T,
        _ out: UnsafeMutableBufferPointer<Float>, _ outWidth: Int, _ outHeight: Int,
        stats: Bool
    ) -> FrameStats? {
        guard let geometry = BinGeometry(pixels, width, height, out, outWidth, outHeight),
              let source = pixels.baseAddress, let target = out.baseAddress
        else { return nil }
        // A constant all-ones mask (the common case) lets the compiler simplify the selects.
        if mask == T.max {
            return binTyped(source, geometry, T.max, target, stats: stats)
        }
        return binTyped(source, geometry, mask, target, stats: stats)
    }

    /// Picks the column sum type for the pixel type and band height.
    @inline(__always)
    static func binTyped<T: PixelValue>(
        _ source: UnsafePointer<T>, _ geometry: BinGeometry, _ mask: T, _ target: UnsafeMutablePointer<Float>,
        stats: Bool
    ) -> FrameStats {
        let height = geometry.height, outHeight = geometry.outHeight
        // Column sums as narrow as the tallest band of rows allows: 32-bit lanes vectorise
        // twice as wide.
        let tallestBand = (height + outHeight - 1) / outHeight + 1
        if UInt64(tallestBand) * UInt64(T.max) <= UInt64(UInt32.max) {
            return binRows(source, geometry, mask, target, stats: stats,
                           columns: MeanColumns<T, UInt32>.self, statistics: StatsAccumulator<T>.self)
        }
        return binRows(source, geometry, mask, target, stats: stats,
                       columns: MeanColumns<T, UInt64>.self, statistics: StatsAccumulator<T>.self)
    }

    /// The one display-binning loop of the Swift kernels (integer mean binning, every Float
    /// binning): `Columns` decides what a bin holds, `Statistics` how pixels are counted.
    /// Returns the frame's stats (empty stats when `stats` is false).
    @inline(__always)
    static func binRows<Columns: ColumnAccumulator, Statistics: RowStatistics>(
        _ source: UnsafePointer<Columns.Pixel>, _ g: BinGeometry, _ mask: Columns.Pixel,
        _ target: UnsafeMutablePointer<Float>, stats: Bool, columns _: Columns.Type, statistics _: Statistics.Type
    ) -> FrameStats where Statistics.Pixel == Columns.Pixel {
        // Whole-frame statistics only make sense for a whole (contiguous) frame.
        assert(!stats || g.rowStride == g.width, "statistics of a region are not the frame's")
        // Rows are visited more than once when scaling up vertically: stats need their own pass.
        let statsInPass = stats && g.outHeight <= g.height
        var accumulator = Statistics()
        if stats && !statsInPass {
            accumulator.add(UnsafeBufferPointer(start: source, count: g.width * g.height), mask)
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: g.outWidth + 1) { columnStarts in
            for i in 0...g.outWidth { columnStarts[i] = i * g.width / g.outWidth }
            var columns = Columns(width: g.width)
            defer { columns.deallocate() }
            for j in 0..<g.outHeight {
                let y0 = j * g.height / g.outHeight
                let y1 = Swift.max(y0 + 1, (j + 1) * g.height / g.outHeight)
                columns.reset()
                for y in y0..<y1 {
                    let row = source + y * g.rowStride
                    columns.add(row: row, mask: mask)
                    if statsInPass {
                        accumulator.add(UnsafeBufferPointer(start: row, count: g.width), mask)
                    }
                }
                let outRow = target + j * g.outWidth
                for i in 0..<g.outWidth {
                    let x0 = columnStarts[i]
                    outRow[i] = columns.reduce(from: x0, to: Swift.max(x0 + 1, columnStarts[i + 1]))
                }
            }
        }
        return accumulator.stats
    }
}

struct BinGeometry {
    let width: Int
    let height: Int
    let outWidth: Int
    let outHeight: Int
    /// Pixels from one source row to the next: the frame's width when binning a region of it.
    private(set) var rowStride: Int

    /// Nil when a size is not positive or beyond Int32, or a buffer is smaller than its size says.
    init?<T>(_ pixels: UnsafeBufferPointer<T>, _ width: Int, _ height: Int,
             _ out: UnsafeMutableBufferPointer<Float>, _ outWidth: Int, _ outHeight: Int) {
        guard width > 0, height > 0, outWidth > 0, outHeight > 0,
              width <= Int(Int32.max), height <= Int(Int32.max),
              outWidth <= Int(Int32.max), outHeight <= Int(Int32.max),
              pixels.count >= width * height, out.count >= outWidth * outHeight
        else { return nil }
        self.width = width
        self.height = height
        self.outWidth = outWidth
        self.outHeight = outHeight
        rowStride = width
    }

    /// The geometry of `region` of a `frameWidth × frameHeight` frame binned to
    /// `outWidth × outHeight`; nil when the region leaves the frame or a size is invalid.
    init?<T>(_ pixels: UnsafeBufferPointer<T>, frameWidth: Int, frameHeight: Int, region: PixelRegion,
             _ out: UnsafeMutableBufferPointer<Float>, _ outWidth: Int, _ outHeight: Int) {
        guard !region.isEmpty, frameWidth > 0, frameHeight > 0, pixels.count >= frameWidth * frameHeight,
              region.x0 >= 0, region.y0 >= 0, region.x1 <= frameWidth, region.y1 <= frameHeight,
              let inner = BinGeometry(UnsafeBufferPointer(rebasing: pixels[0..<region.width * region.height]),
                                      region.width, region.height, out, outWidth, outHeight)
        else { return nil }
        self = inner
        rowStride = frameWidth
    }
}

/// Per-column accumulators over one band of rows: the vertical half of a binning.
/// `mask` is the masked pixel value (Float frames mask with NaN and ignore it).
protocol ColumnAccumulator {
    associatedtype Pixel
    init(width: Int)
    mutating func reset()
    mutating func add(row: UnsafePointer<Pixel>, mask: Pixel)
    /// The bin value over columns [x0, x1): NaN when only masked pixels fell in.
    func reduce(from x0: Int, to x1: Int) -> Float
    func deallocate()
}

/// Frame statistics folded in row by row during a binning pass.
protocol RowStatistics {
    associatedtype Pixel
    init()
    mutating func add(_ pixels: UnsafeBufferPointer<Pixel>, _ mask: Pixel)
    var stats: FrameStats { get }
}

/// Column sums and unmasked counts.
struct MeanColumns<Pixel: PixelValue, Sum: FixedWidthInteger & UnsignedInteger>: ColumnAccumulator {
    let sums: UnsafeMutableBufferPointer<Sum>
    let counts: UnsafeMutableBufferPointer<UInt32>

    init(width: Int) {
        sums = .allocate(capacity: width)
        counts = .allocate(capacity: width)
    }

    @inline(__always) func reset() {
        sums.update(repeating: 0)
        counts.update(repeating: 0)
    }

    @inline(__always) func add(row: UnsafePointer<Pixel>, mask: Pixel) {
        for x in 0..<sums.count {
            let v = row[x]
            let isMasked = v == mask
            sums[x] &+= isMasked ? 0 : Sum(truncatingIfNeeded: v)
            counts[x] &+= isMasked ? 0 : 1
        }
    }

    @inline(__always) func reduce(from x0: Int, to x1: Int) -> Float {
        var sum: UInt64 = 0
        var count: UInt64 = 0
        for x in x0..<x1 {
            sum &+= UInt64(sums[x])
            count &+= UInt64(counts[x])
        }
        return count == 0 ? .nan : Float(Double(sum) / Double(count))
    }

    func deallocate() {
        sums.deallocate()
        counts.deallocate()
    }
}
