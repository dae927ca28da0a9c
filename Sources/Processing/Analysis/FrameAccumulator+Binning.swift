import CKernels

// Binning a region of the accumulated images straight to the display size. A worker shows its
// share of a sum or max view binned to the viewer's viewport; reading the whole image out
// first (4.5 M pixels on an EIGER 4M, for a viewport that may hold a few thousand) and then
// binning the region cost more than a frame's processing. These read only the region's
// pixels, once, and give the same floats as `sum(into:)` / `maximum(into:)` followed by the
// region kernels of `FrameKernels` (same bins, same arithmetic).

extension FrameAccumulator {
    /// The sum image's `region`, mean-binned (over the pixels that had a valid frame) to
    /// `outWidth × outHeight`: what `sum(into:)` then `FrameKernels.binMean(_:frameWidth:
    /// frameHeight:region:into:outWidth:outHeight:)` give, to the bit. False (nothing written)
    /// when the region leaves the image, a size is not positive or `out` is too small.
    @discardableResult
    public func binSum(region: PixelRegion, into out: UnsafeMutableBufferPointer<Float>,
                       outWidth: Int, outHeight: Int) throws(AnalysisError) -> Bool {
        guard contents.contains(.sum) else { throw .notTracked("sum") }
        guard fits(region, out, outWidth, outHeight), let target = out.baseAddress else { return false }
        let start = region.y0 * width + region.x0
        let scratchBytes = ck_bin_sums_scratch_bytes(region.width, outWidth)
        // Doubles and 8-byte counts: 8-byte words keep the scratch aligned for them.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: (scratchBytes + 7) / 8) { scratch in
            ck_bin_mean_sums(sums.baseAddress! + start, maskedFrames.baseAddress! + start, UInt32(frames), width,
                             region.width, region.height, target, outWidth, outHeight,
                             UnsafeMutableRawPointer(scratch.baseAddress!), path.c)
        }
        return true
    }

    /// The max image's `region`, max-binned to `outWidth × outHeight` (NaN where no pixel of a
    /// bin was ever valid): what `maximum(into:)` then the region max kernel give. Reads the
    /// region's pixels into `staging` (reused) first, as the maxima keep -infinity for "never
    /// valid" where the kernel wants NaN. False as for `binSum`.
    @discardableResult
    public func binMaximum(region: PixelRegion, staging: inout [Float], into out: UnsafeMutableBufferPointer<Float>,
                           outWidth: Int, outHeight: Int) throws(AnalysisError) -> Bool {
        guard contents.contains(.max) else { throw .notTracked("max") }
        guard fits(region, out, outWidth, outHeight) else { return false }
        let (w, h) = (region.width, region.height)
        if staging.count != w * h { staging = [Float](repeating: .nan, count: w * h) }
        staging.withUnsafeMutableBufferPointer { copy in
            for y in 0..<h {
                let source = maxima.baseAddress! + (region.y0 + y) * width + region.x0
                let target = copy.baseAddress! + y * w
                for x in 0..<w { target[x] = source[x] == -.infinity ? .nan : source[x] }
            }
        }
        return staging.withUnsafeBufferPointer { copy in
            FrameKernels.binMax(copy, frameWidth: w, frameHeight: h, region: .whole(width: w, height: h),
                                into: out, outWidth: outWidth, outHeight: outHeight)
        }
    }

    /// The region lies inside the image and the output holds the binned image.
    private func fits(_ region: PixelRegion, _ out: UnsafeMutableBufferPointer<Float>,
                      _ outWidth: Int, _ outHeight: Int) -> Bool {
        !region.isEmpty && region.x0 >= 0 && region.y0 >= 0 && region.x1 <= width && region.y1 <= height
            && outWidth > 0 && outHeight > 0 && out.count >= outWidth * outHeight
    }
}
