/// Why a charge-integrating kernel (pedestal, threshold, photon finding) refused its input.
/// Thrown before any pixel is touched, so state is unchanged after an error.
public enum CountingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Width or height not positive, or their product does not fit.
    case invalidSize(width: Int, height: Int)
    /// The pedestal window must be at least 1 frame (and below 2^31).
    case invalidWindow(Int)
    /// A frame or output buffer whose element count is not width × height.
    case wrongBufferSize(expected: Int, got: Int)

    /// What a worker shows as a bad frame's reason.
    public var description: String {
        switch self {
        case .invalidSize(let width, let height): "invalid frame size \(width)×\(height)"
        case .invalidWindow(let frames): "invalid pedestal window \(frames) frames (1…2³¹−1)"
        case .wrongBufferSize(let expected, let got): "buffer of \(got) pixels, expected \(expected)"
        }
    }

    /// width × height, or a typed error for sizes no frame can have.
    static func pixelCount(width: Int, height: Int) throws(CountingError) -> Int {
        guard width > 0, height > 0 else { throw .invalidSize(width: width, height: height) }
        let (n, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, n <= Int(Int32.max) else { throw .invalidSize(width: width, height: height) }
        return n
    }

    static func check(_ count: Int, is expected: Int) throws(CountingError) {
        guard count == expected else { throw .wrongBufferSize(expected: expected, got: count) }
    }
}
