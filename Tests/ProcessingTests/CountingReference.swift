import Foundation
@testable import Processing

// Plain references for the charge-integrating kernels: the rules written out directly, in
// Double, one pixel at a time.

extension TestRandom {
    /// A standard normal deviate (Box–Muller).
    mutating func gaussian() -> Double {
        let u1 = (Double(next() >> 11) + 1) / Double(1 << 53)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// The pedestal rule per pixel: Welford while the count grows, then an exponential window.
struct NaivePedestal {
    var mean: [Double]
    var variance: [Double]
    var count: [Int]
    let window: Int

    init(pixels: Int, window: Int) {
        mean = Array(repeating: 0, count: pixels)
        variance = Array(repeating: 0, count: pixels)
        count = Array(repeating: 0, count: pixels)
        self.window = window
    }

    mutating func add(_ frame: [Float], excluded: [UInt8]? = nil) {
        for i in frame.indices where !frame[i].isNaN && (excluded?[i] ?? 0) == 0 {
            count[i] = min(count[i] + 1, window)
            let a = 1 / Double(count[i])
            let d = Double(frame[i]) - mean[i]
            mean[i] += a * d
            variance[i] = (1 - a) * (variance[i] + a * d * d)
        }
    }
}

/// The photon rule per pixel, on a frame given as Float values (NaN = masked).
func naivePhotons(_ s: [Float], variance: [Float], width: Int, height: Int, n: Double,
                  minimumSigma: Double) -> [FoundPhoton] {
    func value(_ x: Int, _ y: Int) -> Double? {
        guard x >= 0, x < width, y >= 0, y < height else { return nil }
        let v = s[y * width + x]
        return v.isNaN ? 0 : Double(v)
    }
    var found: [FoundPhoton] = []
    for y in 0..<height {
        for x in 0..<width where !s[y * width + x].isNaN {
            let v = Double(s[y * width + x])
            var isMax = true
            var sum = 0.0
            for dy in -1...1 {
                for dx in -1...1 {
                    guard let q = value(x + dx, y + dy) else { continue }
                    sum += q
                    if dx == 0 && dy == 0 { continue }
                    let earlier = dy < 0 || (dy == 0 && dx < 0)
                    if earlier ? !(v > q) : !(v >= q) { isMax = false }
                }
            }
            var bestQuad = -Double.infinity
            for (qx, qy) in [(-1, -1), (0, -1), (-1, 0), (0, 0)] {
                var quad = 0.0
                for dy in 0...1 { for dx in 0...1 { quad += value(x + qx + dx, y + qy + dy) ?? 0 } }
                bestQuad = max(bestQuad, quad)
            }
            let sigma = max(Double(variance[y * width + x]).squareRoot(), minimumSigma)
            let passes = v > n * sigma || sum > 3 * n * sigma || bestQuad > 2 * n * sigma
            if isMax && passes { found.append(FoundPhoton(x: x, y: y, value: s[y * width + x])) }
        }
    }
    return found
}

/// Runs a finder on plain arrays; returns the photons of the frame.
@discardableResult
func findPhotons(_ finder: PhotonFinder, _ s: [Float], variance: [Float], accumulate: Bool = true) throws -> [FoundPhoton] {
    try s.withUnsafeBufferPointer { sp in
        try variance.withUnsafeBufferPointer { vp in _ = try finder.find(sp, variance: vp, accumulate: accumulate) }
    }
    return finder.lastPhotons
}
