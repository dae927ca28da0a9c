import CKernels

/// Which variant of the C kernels (CKernels) a call runs. Callers take `.best` (AVX2 when
/// the CPU has it); tests force each variant to compare both against naive references.
enum KernelPath: Sendable, CaseIterable {
    case best
    case scalar
    case avx2

    /// True when `.avx2` really runs AVX2 code here; otherwise it runs the scalar twin.
    static var avx2Available: Bool { ck_avx2_available() != 0 }

    var c: ck_path {
        switch self {
        case .best: CK_PATH_BEST
        case .scalar: CK_PATH_SCALAR
        case .avx2: CK_PATH_AVX2
        }
    }
}

extension FrameStats {
    /// Stats of `total` pixels from the C kernels' exact totals.
    init(_ s: ck_stats, total: Int) {
        self = FrameStats.from(sum: s.sum, min: s.min, max: s.max, masked: Int(s.masked), total: total)
    }
}
