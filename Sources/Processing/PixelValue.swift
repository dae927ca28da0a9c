import CKernels

/// The pixel types the kernels accept (UInt8, UInt16, UInt32). Each maps the kernels to its
/// own C functions (CKernels) and picks the fastest Swift statistics loop for the mean
/// binning; generic kernel bodies call these after specialisation, so the choice costs
/// nothing per pixel.
protocol PixelValue: FixedWidthInteger & UnsignedInteger {
    static func accumulate(_ pixels: UnsafeBufferPointer<Self>, _ mask: Self, into accumulator: inout StatsAccumulator<Self>)
    /// `ck_stats_*`: exact statistics of `count` pixels (`pixels` may be nil when count is 0).
    static func cStats(_ pixels: UnsafePointer<Self>?, _ count: Int, _ mask: Self, _ path: ck_path) -> ck_stats
    /// `ck_bin_max_*`: max binning with optional stats; sizes already validated.
    static func cBinMax(_ pixels: UnsafePointer<Self>, _ width: Int, _ height: Int, _ mask: Self,
                        _ out: UnsafeMutablePointer<Float>, _ outWidth: Int, _ outHeight: Int,
                        _ scratch: UnsafeMutableRawPointer, _ stats: UnsafeMutablePointer<ck_stats>?, _ path: ck_path)
    /// `ck_widen_stats_*`: the pixels as Float (masked as NaN) and their exact statistics.
    static func cWidenStats(_ pixels: UnsafePointer<Self>, _ count: Int, _ mask: Self,
                            _ out: UnsafeMutablePointer<Float>, _ path: ck_path) -> ck_stats
}

extension UInt8: PixelValue {
    @inline(__always)
    static func accumulate(_ pixels: UnsafeBufferPointer<UInt8>, _ mask: UInt8,
                           into accumulator: inout StatsAccumulator<UInt8>) {
        accumulator.add(pixels, mask, partial: UInt32.self)
    }

    @inline(__always)
    static func cStats(_ pixels: UnsafePointer<UInt8>?, _ count: Int, _ mask: UInt8, _ path: ck_path) -> ck_stats {
        ck_stats_u8(pixels, count, mask, path)
    }

    @inline(__always)
    static func cWidenStats(_ pixels: UnsafePointer<UInt8>, _ count: Int, _ mask: UInt8,
                            _ out: UnsafeMutablePointer<Float>, _ path: ck_path) -> ck_stats {
        ck_widen_stats_u8(pixels, count, mask, out, path)
    }

    @inline(__always)
    static func cBinMax(_ pixels: UnsafePointer<UInt8>, _ width: Int, _ height: Int, _ mask: UInt8,
                        _ out: UnsafeMutablePointer<Float>, _ outWidth: Int, _ outHeight: Int,
                        _ scratch: UnsafeMutableRawPointer, _ stats: UnsafeMutablePointer<ck_stats>?, _ path: ck_path) {
        ck_bin_max_u8(pixels, width, height, mask, out, outWidth, outHeight, scratch, stats, path)
    }
}

extension UInt32: PixelValue {
    @inline(__always)
    static func accumulate(_ pixels: UnsafeBufferPointer<UInt32>, _ mask: UInt32,
                           into accumulator: inout StatsAccumulator<UInt32>) {
        accumulator.add(pixels, mask, partial: UInt64.self)
    }

    @inline(__always)
    static func cStats(_ pixels: UnsafePointer<UInt32>?, _ count: Int, _ mask: UInt32, _ path: ck_path) -> ck_stats {
        ck_stats_u32(pixels, count, mask, path)
    }

    @inline(__always)
    static func cWidenStats(_ pixels: UnsafePointer<UInt32>, _ count: Int, _ mask: UInt32,
                            _ out: UnsafeMutablePointer<Float>, _ path: ck_path) -> ck_stats {
        ck_widen_stats_u32(pixels, count, mask, out, path)
    }

    @inline(__always)
    static func cBinMax(_ pixels: UnsafePointer<UInt32>, _ width: Int, _ height: Int, _ mask: UInt32,
                        _ out: UnsafeMutablePointer<Float>, _ outWidth: Int, _ outHeight: Int,
                        _ scratch: UnsafeMutableRawPointer, _ stats: UnsafeMutablePointer<ck_stats>?, _ path: ck_path) {
        ck_bin_max_u32(pixels, width, height, mask, out, outWidth, outHeight, scratch, stats, path)
    }
}

extension UInt16: PixelValue {
    @inline(__always)
    static func cStats(_ pixels: UnsafePointer<UInt16>?, _ count: Int, _ mask: UInt16, _ path: ck_path) -> ck_stats {
        ck_stats_u16(pixels, count, mask, path)
    }

    @inline(__always)
    static func cWidenStats(_ pixels: UnsafePointer<UInt16>, _ count: Int, _ mask: UInt16,
                            _ out: UnsafeMutablePointer<Float>, _ path: ck_path) -> ck_stats {
        ck_widen_stats_u16(pixels, count, mask, out, path)
    }

    @inline(__always)
    static func cBinMax(_ pixels: UnsafePointer<UInt16>, _ width: Int, _ height: Int, _ mask: UInt16,
                        _ out: UnsafeMutablePointer<Float>, _ outWidth: Int, _ outHeight: Int,
                        _ scratch: UnsafeMutableRawPointer, _ stats: UnsafeMutablePointer<ck_stats>?, _ path: ck_path) {
        ck_bin_max_u16(pixels, width, height, mask, out, outWidth, outHeight, scratch, stats, path)
    }

    /// Baseline x86-64 (SSE2) has signed but not unsigned 16-bit min/max, so the loop
    /// tracks min and max of `v ^ 0x8000` as Int16 (same order) and flips back at the end.
    @inline(__always)
    static func accumulate(_ pixels: UnsafeBufferPointer<UInt16>, _ mask: UInt16,
                           into accumulator: inout StatsAccumulator<UInt16>) {
        let chunk = 1 << 16  // 65535 · 65536 < 2^32: the partial sum cannot overflow
        var low = Int16(bitPattern: accumulator.minimum ^ 0x8000)
        var high = Int16(bitPattern: accumulator.maximum ^ 0x8000)
        var start = 0
        while start < pixels.count {
            let end = Swift.min(pixels.count, start + chunk)
            var sum: UInt32 = 0
            var masked: UInt32 = 0
            for i in start..<end {
                let v = pixels[i]
                let isMasked = v == mask
                let flipped = Int16(bitPattern: v ^ 0x8000)
                masked &+= isMasked ? 1 : 0
                sum &+= isMasked ? 0 : UInt32(v)
                let forMin = isMasked ? Int16.max : flipped
                let forMax = isMasked ? Int16.min : flipped
                low = forMin < low ? forMin : low
                high = forMax > high ? forMax : high
            }
            accumulator.sum &+= UInt64(sum)
            accumulator.masked += Int(masked)
            start = end
        }
        accumulator.minimum = UInt16(bitPattern: low) ^ 0x8000
        accumulator.maximum = UInt16(bitPattern: high) ^ 0x8000
        accumulator.total += pixels.count
    }
}
