#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps a pixel value to t ∈ [0, 1] between display limits, linearly or logarithmically.
///
/// Values clamp to [low, high]. The log scale is log10(1 + v − low) / log10(1 + high − low): a log of
/// the offset above `low`, so it is defined for any limits (low ≤ 0, negative pedestal-subtracted
/// values) and stays monotone; it shows detail near `low` the way a log of counts does when low ≈ 0.
/// Degenerate limits (high ≤ low, or not finite) map every value to 0, or to 1 above `low`.
/// NaN maps to 0 here; callers treat NaN as masked before asking.
public struct IntensityScale: Sendable, Equatable {
    public let low: Float
    public let high: Float
    public let logScale: Bool
    private let inverseSpan: Float
    private let inverseLogSpan: Float
    private let degenerate: Bool

    public init(low: Float, high: Float, logScale: Bool) {
        self.low = low
        self.high = high
        self.logScale = logScale
        let span = high - low
        degenerate = !(span > 0) || !span.isFinite
        inverseSpan = degenerate ? 0 : 1 / span
        inverseLogSpan = degenerate ? 0 : 1 / log10(1 + span)
    }

    @inline(__always)
    public func normalized(_ value: Float) -> Float {
        guard !degenerate else { return value > low ? 1 : 0 }
        guard value > low else { return 0 }
        guard value < high else { return 1 }
        return logScale ? log10(1 + value - low) * inverseLogSpan : (value - low) * inverseSpan
    }
}
