extension FrameAccumulator {
    /// Replaces `target`'s state with this one's binned to `target`'s (display) size: per
    /// output pixel, the sums and valid-frame counts of its source pixels add and the maxima
    /// take the max. Binned states of several workers then `combine` exactly, so a worker can
    /// publish display-sized state and the viewer still composes the true sum, mean (over
    /// valid pixel-frames in the bin) and max.
    ///
    /// Geometry as `FrameKernels.binMax`: output (i, j) covers source columns
    /// [⌊i·W/w⌋, ⌊(i+1)·W/w⌋) and rows [⌊j·H/h⌋, ⌊(j+1)·H/h⌋), each at least one wide.
    /// Runs once per display update, not per frame.
    public func bin(into target: FrameAccumulator) throws(AnalysisError) {
        guard target !== self else { throw .incompatibleParts("binning an accumulator into itself") }
        guard target.contents == contents else {
            throw .incompatibleParts("binning into an accumulator of other contents")
        }
        let (w, h, ow, oh) = (width, height, target.width, target.height)
        func span(_ k: Int, _ n: Int, _ out: Int) -> Range<Int> {
            let start = k * n / out
            return start..<Swift.max(start + 1, (k + 1) * n / out)
        }
        // The widest bin times the frames must fit the UInt32 counts.
        let binPixels = UInt64(span(0, w, ow).count + 1) * UInt64(span(0, h, oh).count + 1)
        guard binPixels * frames <= UInt64(UInt32.max) else { throw .accumulatorFull(frames: frames) }
        target.clear()
        target.frames = frames
        let tracksSum = contents.contains(.sum), tracksMax = contents.contains(.max)
        for j in 0..<oh {
            let rows = span(j, h, oh)
            for i in 0..<ow {
                let columns = span(i, w, ow)
                var sum = 0.0, count: UInt32 = 0, top = -Float.infinity
                for y in rows {
                    for x in columns {
                        let s = y * w + x
                        if tracksSum {
                            sum += sums[s]
                            count &+= counts[s]
                        }
                        if tracksMax { top = maxima[s] > top ? maxima[s] : top }
                    }
                }
                let o = j * ow + i
                if tracksSum {
                    target.sums[o] = sum
                    target.counts[o] = count
                }
                if tracksMax { target.maxima[o] = top }
            }
        }
    }
}
