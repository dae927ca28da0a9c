// Binning a frame to the display size.
//
// Output pixel (i, j) of an outWidth × outHeight image covers source columns
// [floor(i·W/outW), floor((i+1)·W/outW)) and rows [floor(j·H/outH), floor((j+1)·H/outH)),
// widened to at least one pixel, so scaling up replicates pixels. Going down, these ranges
// partition the frame exactly. Bins holding only masked pixels are NaN.
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
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: false, stats: false) != nil
    }

    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<UInt16>, width: Int, height: Int, maskValue: UInt16 = .max,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: false, stats: false) != nil
    }

    @discardableResult
    public static func binMax(_ pixels: UnsafeBufferPointer<UInt32>, width: Int, height: Int, maskValue: UInt32 = .max,
                              into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: false, stats: false) != nil
    }

    /// Mean binning over the unmasked pixels of each bin; same contract as `binMax`.
    @discardableResult
    public static func binMean(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, maskValue: UInt8 = .max,
                               into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: true, stats: false) != nil
    }

    @discardableResult
    public static func binMean(_ pixels: UnsafeBufferPointer<UInt16>, width: Int, height: Int, maskValue: UInt16 = .max,
                               into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: true, stats: false) != nil
    }

    @discardableResult
    public static func binMean(_ pixels: UnsafeBufferPointer<UInt32>, width: Int, height: Int, maskValue: UInt32 = .max,
                               into out: UnsafeMutableBufferPointer<Float>, outWidth: Int, outHeight: Int) -> Bool {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: true, stats: false) != nil
    }

    /// Frame statistics and max binning in one pass over the frame (when the image is not
    /// taller than the frame; otherwise two passes). Nil when a size or buffer is invalid.
    public static func statsAndBinMax(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                                      maskValue: UInt8 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                      outWidth: Int, outHeight: Int) -> FrameStats? {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: false, stats: true)
    }

    public static func statsAndBinMax(_ pixels: UnsafeBufferPointer<UInt16>, width: Int, height: Int,
                                      maskValue: UInt16 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                      outWidth: Int, outHeight: Int) -> FrameStats? {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: false, stats: true)
    }

    public static func statsAndBinMax(_ pixels: UnsafeBufferPointer<UInt32>, width: Int, height: Int,
                                      maskValue: UInt32 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                      outWidth: Int, outHeight: Int) -> FrameStats? {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: false, stats: true)
    }

    /// Frame statistics and mean binning in one pass; see `statsAndBinMax`.
    public static func statsAndBinMean(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                                       maskValue: UInt8 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                       outWidth: Int, outHeight: Int) -> FrameStats? {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: true, stats: true)
    }

    public static func statsAndBinMean(_ pixels: UnsafeBufferPointer<UInt16>, width: Int, height: Int,
                                       maskValue: UInt16 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                       outWidth: Int, outHeight: Int) -> FrameStats? {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: true, stats: true)
    }

    public static func statsAndBinMean(_ pixels: UnsafeBufferPointer<UInt32>, width: Int, height: Int,
                                       maskValue: UInt32 = .max, into out: UnsafeMutableBufferPointer<Float>,
                                       outWidth: Int, outHeight: Int) -> FrameStats? {
        binBody(pixels, width, height, maskValue, out, outWidth, outHeight, mean: true, stats: true)
    }

    /// The shared body; `mean` and `stats` are constants at every call site, so after
    /// inlining each overload keeps only its own loops. Returns nil on invalid geometry,
    /// else the frame's stats (empty stats when `stats` is false).
    @inline(__always)
    static func binBody<T: FixedWidthInteger & UnsignedInteger>(
        _ pixels: UnsafeBufferPointer<T>, _ width: Int, _ height: Int, _ mask: T,
        _ out: UnsafeMutableBufferPointer<Float>, _ outWidth: Int, _ outHeight: Int,
        mean: Bool, stats: Bool
    ) -> FrameStats? {
        guard width > 0, height > 0, outWidth > 0, outHeight > 0,
              width <= Int(Int32.max), height <= Int(Int32.max),
              outWidth <= Int(Int32.max), outHeight <= Int(Int32.max),
              pixels.count >= width * height, out.count >= outWidth * outHeight,
              let source = pixels.baseAddress, let target = out.baseAddress
        else { return nil }

        // Rows are visited more than once when scaling up vertically: stats need their own pass.
        let statsInPass = stats && outHeight <= height
        var accumulator = StatsAccumulator<T>()
        if stats && !statsInPass {
            accumulator.add(UnsafeBufferPointer(start: source, count: width * height), mask)
        }

        withUnsafeTemporaryAllocation(of: Int.self, capacity: outWidth + 1) { columnStarts in
            for i in 0...outWidth { columnStarts[i] = i * width / outWidth }
            withUnsafeTemporaryAllocation(of: Int64.self, capacity: width) { columns in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: mean ? width : 1) { counts in
                    for j in 0..<outHeight {
                        let y0 = j * height / outHeight
                        let y1 = Swift.max(y0 + 1, (j + 1) * height / outHeight)
                        if mean {
                            for x in 0..<width {
                                columns[x] = 0
                                counts[x] = 0
                            }
                        } else {
                            for x in 0..<width { columns[x] = -1 }
                        }
                        for y in y0..<y1 {
                            let row = source + y * width
                            if mean {
                                for x in 0..<width {
                                    let v = row[x]
                                    let isMasked = v == mask
                                    columns[x] &+= isMasked ? 0 : Int64(v)
                                    counts[x] &+= isMasked ? 0 : 1
                                }
                            } else {
                                for x in 0..<width {
                                    let v = row[x]
                                    columns[x] = Swift.max(columns[x], v == mask ? -1 : Int64(v))
                                }
                            }
                            if statsInPass {
                                accumulator.add(UnsafeBufferPointer(start: row, count: width), mask)
                            }
                        }
                        let outRow = target + j * outWidth
                        for i in 0..<outWidth {
                            let x0 = columnStarts[i]
                            let x1 = Swift.max(x0 + 1, columnStarts[i + 1])
                            if mean {
                                var sum: Int64 = 0
                                var count: UInt64 = 0
                                for x in x0..<x1 {
                                    sum &+= columns[x]
                                    count &+= UInt64(counts[x])
                                }
                                outRow[i] = count == 0 ? .nan : Float(Double(sum) / Double(count))
                            } else {
                                var m: Int64 = -1
                                for x in x0..<x1 { m = Swift.max(m, columns[x]) }
                                outRow[i] = m < 0 ? .nan : Float(m)
                            }
                        }
                    }
                }
            }
        }
        return accumulator.stats
    }
}
