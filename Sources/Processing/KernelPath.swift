import CKernels

/// Which variant of the C kernels (CKernels) a call runs. Callers take `.best` (the widest the
/// CPU has); tests force each variant to compare them all against naive references.
enum KernelPath: Sendable, CaseIterable {
    case best
    case scalar
    case avx2
    /// Only the charge-integrating loops (pedestal, threshold, photon finding) have an AVX-512
    /// variant; the other kernels run AVX2 for it.
    case avx512

    /// True when `.avx2` really runs AVX2 code here; otherwise it runs the scalar twin.
    static var avx2Available: Bool { ck_avx2_available() != 0 }
    /// True when `.avx512` really runs AVX-512 code here; otherwise it runs AVX2 (or scalar).
    static var avx512Available: Bool { ck_avx512_available() != 0 }

    /// The variants of the charge-integrating loops that run distinct code on this CPU, with
    /// `.best`: what their tests compare.
    static var countingVariantsHere: [KernelPath] {
        [.scalar] + (avx2Available ? [.avx2] : []) + (avx512Available ? [.avx512] : []) + [.best]
    }

    var c: ck_path {
        switch self {
        case .best: CK_PATH_BEST
        case .scalar: CK_PATH_SCALAR
        case .avx2: CK_PATH_AVX2
        case .avx512: CK_PATH_AVX512
        }
    }
}

extension FrameStats {
    /// Stats of `total` pixels from the C kernels' exact totals.
    init(_ s: ck_stats, total: Int) {
        self.init(integerSum: s.sum, min: s.min, max: s.max, masked: Int(s.masked), total: total)
    }
}
