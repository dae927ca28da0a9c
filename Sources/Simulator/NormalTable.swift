import Glibc

/// 65536 standard normal variates for the scenes' noise: a scene indexes it with 16 random bits
/// per pixel instead of computing a logarithm per pixel. Immutable after creation; shared freely.
///
/// Entry i is the normal quantile at (i + 0.5)/65536, not a random draw: a table of random draws
/// has a lumpy tail (one such table put ~14 pixels of a 400×400 frame above 4σ instead of ~5),
/// while quantiles make the fraction of entries above any kσ equal the normal law's to within
/// one entry (1.5·10⁻⁵). The cost is a cut tail: the law's mass beyond 4.17σ all sits in the
/// last entry, 4.32σ, so a 400×400 frame lacks the 0.05 pixels the law puts above 5σ.
public struct NormalTable: Sendable {
    public static let size = 1 << 16
    public let values: [Float]

    public init() {
        var values = [Double](repeating: 0, count: Self.size)
        // Exactly antisymmetric (so the mean is exactly 0): the lower half, mirrored.
        for i in 0..<(Self.size / 2) {
            let x = Self.quantile((Double(i) + 0.5) / Double(Self.size))
            values[i] = x
            values[Self.size - 1 - i] = -x
        }
        // Unit variance (the midpoint quantiles have 0.99998), so measured noise equals the
        // requested sigma; the tail fractions move by far less than one entry.
        let variance = values.reduce(0.0) { $0 + $1 * $1 } / Double(Self.size)
        let scale = 1 / variance.squareRoot()
        self.values = values.map { Float($0 * scale) }
    }

    /// The table scaled by `sigma` and rounded to whole ADU, as an ADC would.
    public func scaledToADU(sigma: Double) -> [Int16] {
        values.map { Int16(clamping: Int((Double($0) * sigma).rounded())) }
    }

    /// The standard normal quantile Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation
    /// (relative error 1.15·10⁻⁹), refined by one Halley step on Φ(x) = erfc(−x/√2)/2, which
    /// brings it to Double precision.
    static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "quantile needs 0 < p < 1")
        let a = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
        let b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01)
        let c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
        let d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00)
        let low = 0.02425
        var x: Double
        if p < low || p > 1 - low {
            // The tails: a rational function of √(−2 ln q), q the smaller tail probability.
            let q = (-2 * log(min(p, 1 - p))).squareRoot()
            let num = ((((c.0 * q + c.1) * q + c.2) * q + c.3) * q + c.4) * q + c.5
            let den = (((d.0 * q + d.1) * q + d.2) * q + d.3) * q + 1
            x = p < low ? num / den : -num / den
        } else {
            let q = p - 0.5, r = q * q
            let num = (((((a.0 * r + a.1) * r + a.2) * r + a.3) * r + a.4) * r + a.5) * q
            let den = ((((b.0 * r + b.1) * r + b.2) * r + b.3) * r + b.4) * r + 1
            x = num / den
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
