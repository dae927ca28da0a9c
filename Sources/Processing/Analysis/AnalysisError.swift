/// Why an analysis kernel refused its input. Kernels never trap on bad sizes: a worker that
/// gets this error counts the frame as bad and goes on with the next one.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An image size that is not positive, or more pixels than `AnalysisLimits.maxPixels`.
    case invalidSize(width: Int, height: Int)
    /// A frame buffer whose pixel count differs from the size the kernel was made for.
    case frameSizeMismatch(expected: Int, actual: Int)
    /// Two kernels combined (or composed) that were made for different sizes or settings.
    case incompatibleParts(String)
    /// An accumulator asked for a quantity it was made without (e.g. a mean from a max-only one).
    case notTracked(String)
    /// A kernel setting out of its range; the text names the setting and the value.
    case invalidSetting(String)
    /// An accumulator that holds as many frames as its per-pixel counters can count.
    case accumulatorFull(frames: UInt64)

    public var description: String {
        switch self {
        case let .invalidSize(width, height):
            "invalid image size \(width)×\(height) (each side ≥ 1, at most \(AnalysisLimits.maxPixels) pixels)"
        case let .frameSizeMismatch(expected, actual):
            "frame has \(actual) pixels, the kernel was made for \(expected)"
        case let .incompatibleParts(why):
            "cannot combine: \(why)"
        case let .notTracked(what):
            "\(what) is not tracked by this accumulator"
        case let .invalidSetting(why):
            "invalid setting: \(why)"
        case let .accumulatorFull(frames):
            "accumulator is full after \(frames) frames: clear it"
        }
    }
}

/// Bounds on what the analysis kernels accept, so an absurd size is a typed error instead
/// of an allocation that takes the host down.
public enum AnalysisLimits {
    /// 2^28 pixels: 16 times an EIGER2 16M.
    public static let maxPixels = 1 << 28

    /// The pixel count of a `width × height` image, or `.invalidSize`.
    static func pixelCount(width: Int, height: Int) throws(AnalysisError) -> Int {
        guard width > 0, height > 0, width <= maxPixels, height <= maxPixels else {
            throw .invalidSize(width: width, height: height)
        }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, count <= maxPixels else { throw .invalidSize(width: width, height: height) }
        return count
    }

    /// Throws unless `frame` holds exactly `expected` pixels.
    @inline(__always)
    static func check(_ frame: UnsafeBufferPointer<Float>, _ expected: Int) throws(AnalysisError) {
        guard frame.count == expected else { throw .frameSizeMismatch(expected: expected, actual: frame.count) }
    }
}
