import CKernels

extension FrameKernels {
    /// Pixels as Float (32-bit values above 2²⁴ rounded to nearest), the all-ones value as NaN
    /// (masked), and the frame's statistics, in one pass in C with AVX2 where the CPU has it.
    /// `out` must hold at least `pixels.count` values.
    public static func widenWithStats(_ pixels: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<Float>) -> FrameStats {
        widenWithStats(pixels, into: out, path: .best)
    }

    public static func widenWithStats(_ pixels: UnsafeBufferPointer<UInt16>, into out: UnsafeMutableBufferPointer<Float>) -> FrameStats {
        widenWithStats(pixels, into: out, path: .best)
    }

    public static func widenWithStats(_ pixels: UnsafeBufferPointer<UInt32>, into out: UnsafeMutableBufferPointer<Float>) -> FrameStats {
        widenWithStats(pixels, into: out, path: .best)
    }

    static func widenWithStats<T: PixelValue>(_ pixels: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<Float>,
                                              path: KernelPath) -> FrameStats {
        let count = Swift.min(pixels.count, out.count)
        guard let source = pixels.baseAddress, let target = out.baseAddress, count > 0 else {
            return FrameStats(ck_stats(sum: 0, masked: 0, min: 0, max: 0), total: 0)
        }
        return FrameStats(T.cWidenStats(source, count, .max, target, path.c), total: count)
    }
}
