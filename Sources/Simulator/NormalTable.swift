import Glibc

/// 65536 standard normal variates, drawn once with Box–Muller from a fixed generator: a scene
/// indexes it with 16 random bits per pixel instead of computing a logarithm per pixel.
/// Immutable after creation; shared freely.
public struct NormalTable: Sendable {
    public static let size = 1 << 16
    public let values: [Float]

    public init() {
        var rng = Xoshiro256(seed: 0x5EED_7AB1E)
        var values = [Float](repeating: 0, count: Self.size)
        var i = 0
        while i < Self.size {
            let u1 = max(rng.unit(), 0x1.0p-60), u2 = rng.unit()
            let r = (-2 * log(u1)).squareRoot()
            values[i] = Float(r * cos(2 * Double.pi * u2))
            if i + 1 < Self.size { values[i + 1] = Float(r * sin(2 * Double.pi * u2)) }
            i += 2
        }
        // Exactly zero mean and unit variance, so measured noise equals the requested sigma.
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(Self.size)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(Self.size)
        let scale = 1 / variance.squareRoot()
        self.values = values.map { Float((Double($0) - mean) * scale) }
    }

    /// The table scaled by `sigma` and rounded to whole ADU, as an ADC would.
    public func scaledToADU(sigma: Double) -> [Int16] {
        values.map { Int16(clamping: Int((Double($0) * sigma).rounded())) }
    }
}
