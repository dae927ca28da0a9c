import CKernels

extension FrameKernels {
    /// 16-bit pixels as Float, the all-ones value as NaN (masked), in C with AVX2 where the CPU
    /// has it. `out` must hold at least `pixels.count` values.
    public static func widen(_ pixels: UnsafeBufferPointer<UInt16>, into out: UnsafeMutableBufferPointer<Float>) {
        widen(pixels, into: out, path: .best)
    }

    /// `widen` and the frame's statistics (as `stats`) in one pass.
    public static func widenWithStats(_ pixels: UnsafeBufferPointer<UInt16>,
                                      into out: UnsafeMutableBufferPointer<Float>) -> FrameStats {
        widenWithStats(pixels, into: out, path: .best)
    }

    static func widenWithStats(_ pixels: UnsafeBufferPointer<UInt16>, into out: UnsafeMutableBufferPointer<Float>,
                               path: KernelPath) -> FrameStats {
        let count = Swift.min(pixels.count, out.count)
        guard let source = pixels.baseAddress, let target = out.baseAddress, count > 0 else {
            return FrameStats(ck_stats(sum: 0, masked: 0, min: 0, max: 0), total: 0)
        }
        return FrameStats(ck_widen_stats_u16(source, count, .max, target, path.c), total: count)
    }

    static func widen(_ pixels: UnsafeBufferPointer<UInt16>, into out: UnsafeMutableBufferPointer<Float>, path: KernelPath) {
        guard let source = pixels.baseAddress, let target = out.baseAddress else { return }
        ck_widen_u16(source, Swift.min(pixels.count, out.count), .max, target, path.c)
    }
}
