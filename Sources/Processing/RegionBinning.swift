// Binning a region of a frame (the viewer's zoomed viewport) to the display size.
//
// Same bin rule as the whole-frame kernels (Binning.swift), applied to the region's pixels:
// output pixel (i, j) covers region columns [floor(i·w/outW), floor((i+1)·w/outW)) and rows
// likewise, widened to at least one pixel, so a region smaller than the display becomes
// blocks of whole display pixels per detector pixel. The rows are read in place with the
// frame's row stride (no copy of the region). These run through `binRows`, the one band loop
// of the Swift kernels; the C max kernel keeps the whole-frame case, where its pass also
// yields the frame's statistics. A zoomed region is at most a quarter of the frame, so its
// pass costs at most a quarter of the fitted one.

extension FrameKernels {
    /// Max binning of `region` of a `frameWidth × frameHeight` frame. False (and nothing
    /// written) when the region leaves the frame, a size is not positive or a buffer is too small.
    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<UInt8>, frameWidth: Int, frameHeight: Int,
                              region: PixelRegion, maskValue: UInt8 = .max,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        regionMax(pixels, frameWidth, frameHeight, region, maskValue, out, outWidth, outHeight, wide: UInt32.self)
    }

    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<UInt16>, frameWidth: Int, frameHeight: Int,
                              region: PixelRegion, maskValue: UInt16 = .max,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        regionMax(pixels, frameWidth, frameHeight, region, maskValue, out, outWidth, outHeight, wide: UInt32.self)
    }

    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<UInt32>, frameWidth: Int, frameHeight: Int,
                              region: PixelRegion, maskValue: UInt32 = .max,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        regionMax(pixels, frameWidth, frameHeight, region, maskValue, out, outWidth, outHeight, wide: UInt64.self)
    }

    /// Max binning of `region` of a Float frame (NaN masked); same contract as the integer ones.
    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<Float>, frameWidth: Int, frameHeight: Int,
                              region: PixelRegion,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        regionBins(pixels, frameWidth, frameHeight, region, .nan, out, outWidth, outHeight,
                   columns: MaxFloatColumns.self, statistics: FloatStatsAccumulator.self)
    }

    /// Mean binning of `region` of a Float frame over its non-NaN pixels.
    @discardableResult
    public static func binMean(_ pixels: UnsafeBufferPointer<Float>, frameWidth: Int, frameHeight: Int,
                               region: PixelRegion,
                               into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        regionBins(pixels, frameWidth, frameHeight, region, .nan, out, outWidth, outHeight,
                   columns: MeanFloatColumns.self, statistics: FloatStatsAccumulator.self)
    }

    @inline(__always)
    static func regionMax<T: PixelValue, Wide: FixedWidthInteger & UnsignedInteger>(
        _ pixels: UnsafeBufferPointer<T>, _ frameWidth: Int, _ frameHeight: Int, _ region: PixelRegion, _ mask: T,
        _ out: UnsafeMutableBufferPointer<Float>, _ outWidth: Int, _ outHeight: Int, wide _: Wide.Type
    ) -> Bool {
        regionBins(pixels, frameWidth, frameHeight, region, mask, out, outWidth, outHeight,
                   columns: MaxColumns<T, Wide>.self, statistics: StatsAccumulator<T>.self)
    }

    @inline(__always)
    static func regionBins<Columns: ColumnAccumulator, Statistics: RowStatistics>(
        _ pixels: UnsafeBufferPointer<Columns.Pixel>, _ frameWidth: Int, _ frameHeight: Int, _ region: PixelRegion,
        _ mask: Columns.Pixel, _ out: UnsafeMutableBufferPointer<Float>, _ outWidth: Int, _ outHeight: Int,
        columns: Columns.Type, statistics: Statistics.Type
    ) -> Bool where Statistics.Pixel == Columns.Pixel {
        guard let g = BinGeometry(pixels, frameWidth: frameWidth, frameHeight: frameHeight, region: region,
                                  out, outWidth, outHeight),
              let base = pixels.baseAddress, let target = out.baseAddress
        else { return false }
        _ = binRows(base + region.y0 * frameWidth + region.x0, g, mask, target, stats: false,
                    columns: columns, statistics: statistics)
        return true
    }
}

/// Column maxima of integer pixels, kept as value + 1 in a wider type so that 0 means "only
/// masked pixels so far" without a second array (a branch-free max the compiler vectorises).
struct MaxColumns<Pixel: PixelValue, Wide: FixedWidthInteger & UnsignedInteger>: ColumnAccumulator {
    let maxima: UnsafeMutableBufferPointer<Wide>

    init(width: Int) { maxima = .allocate(capacity: width) }

    @inline(__always) func reset() { maxima.update(repeating: 0) }

    @inline(__always) func add(row: UnsafePointer<Pixel>, mask: Pixel) {
        for x in 0..<maxima.count {
            let v = row[x]
            let candidate = v == mask ? 0 : Wide(truncatingIfNeeded: v) &+ 1
            maxima[x] = Swift.max(maxima[x], candidate)
        }
    }

    @inline(__always) func reduce(from x0: Int, to x1: Int) -> Float {
        var m: Wide = 0
        for x in x0..<x1 { m = Swift.max(m, maxima[x]) }
        return m == 0 ? .nan : Float(m - 1)
    }

    func deallocate() { maxima.deallocate() }
}
