import CCodecs

/// Which bit-untranspose variant of CCodecs a decode runs. Callers take `.best` (AVX2 when the
/// CPU has it); tests and benchmarks force each variant to compare them. A plain value.
public enum CodecPath: Sendable, CaseIterable {
    case best
    case scalar
    case avx2

    /// Short name for the command line (`bench decode --path scalar`) and bench tables.
    public var name: String {
        switch self {
        case .best: "best"
        case .scalar: "scalar"
        case .avx2: "avx2"
        }
    }

    /// True when `.avx2` really runs AVX2 code here; otherwise it runs the scalar twin.
    public static var avx2Available: Bool { cc_avx2_available() != 0 }

    var c: cc_path {
        switch self {
        case .best: CC_PATH_BEST
        case .scalar: CC_PATH_SCALAR
        case .avx2: CC_PATH_AVX2
        }
    }
}
