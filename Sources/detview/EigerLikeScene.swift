import DetectorStream
import Glibc

import Simulator

/// A sparse EIGER 4M-like frame, deterministic from its seed: low Poisson background with air
/// scatter near the beam, a few powder rings, Bragg spots, and module gaps at all ones. Photon
/// counts in `UInt32`; `bytes(as:)` gives a frame of a pixel type, saturating one below all ones.
/// Built once by the benchmark; not a physical model (the Simulator has its own EIGER scene).
struct EigerLikeScene {
    static let moduleWidth = 1030, moduleHeight = 514
    static let gap = UInt32.max

    let width: Int
    let height: Int
    private(set) var counts: [UInt32]

    init(width: Int = 2068, height: Int = 2162, seed: UInt64 = 1) {
        self.width = width
        self.height = height
        counts = [UInt32](repeating: 0, count: width * height)
        var random = Xoshiro256(seed: seed)
        let cx = Double(width) * 0.52, cy = Double(height) * 0.47
        // Mean photons per pixel by whole-pixel radius: exp(-λ) tabulated for Poisson inversion.
        let maxRadius = Int((Double(width * width + height * height)).squareRoot()) + 2
        let rings: [(radius: Double, sigma: Double, mean: Double)] = [(310, 3, 2.5), (520, 4, 1.4), (790, 5, 0.9), (1040, 5, 0.5)]
        let expMinusMean: [Double] = (0..<maxRadius).map { r in
            let radius = Double(r)
            var mean = 0.05 + 0.4 * exp(-radius / 300)
            for ring in rings {
                let z = (radius - ring.radius) / ring.sigma
                mean += ring.mean * exp(-0.5 * z * z)
            }
            return exp(-mean)
        }
        for y in 0..<height {
            let dy = Double(y) - cy
            for x in 0..<width {
                let dx = Double(x) - cx
                let limit = expMinusMean[Int((dx * dx + dy * dy).squareRoot())]
                // Knuth's product of uniforms: cheap for means this small.
                var k: UInt32 = 0
                var product = random.unit()
                while product > limit && k < 50 {
                    k += 1
                    product *= random.unit()
                }
                counts[y * width + x] = k
            }
        }
        addSpots(count: 400, random: &random)
        maskGaps()
    }

    /// Gaussian spots of 30 to 30,000 photons (log-uniform), sigma about one pixel.
    private mutating func addSpots(count: Int, random: inout Xoshiro256) {
        for _ in 0..<count {
            let sx = Int(random.unit() * Double(width - 6)) + 3
            let sy = Int(random.unit() * Double(height - 6)) + 3
            let photons = 30 * pow(1000, random.unit())
            for oy in -3...3 {
                for ox in -3...3 {
                    let weight = exp(-0.5 * Double(ox * ox + oy * oy) / 1.1) / (2 * Double.pi * 1.1)
                    let index = (sy + oy) * width + sx + ox
                    counts[index] = counts[index] &+ UInt32(photons * weight)
                }
            }
        }
    }

    /// Columns and rows between modules (2 × 4 of 1030 × 514, gaps spread evenly) hold all ones.
    private mutating func maskGaps() {
        let columnGap = Self.gapMask(length: width, module: Self.moduleWidth, modules: 2)
        let rowGap = Self.gapMask(length: height, module: Self.moduleHeight, modules: 4)
        for y in 0..<height {
            for x in 0..<width where rowGap[y] || columnGap[x] { counts[y * width + x] = Self.gap }
        }
    }

    private static func gapMask(length: Int, module: Int, modules: Int) -> [Bool] {
        var mask = [Bool](repeating: true, count: length)
        let spare = max(0, length - module * modules)
        for m in 0..<modules {
            let start = m * module + (modules > 1 ? m * spare / (modules - 1) : 0)
            for i in start..<min(length, start + module) { mask[i] = false }
        }
        return mask
    }

    /// The frame as little-endian pixels of `type`.
    func bytes(as type: PixelType) -> [UInt8] {
        let allOnes = UInt32(truncatingIfNeeded: type.allOnes)
        let size = type.bytesPerPixel
        var out = [UInt8](repeating: 0, count: counts.count * size)
        for (i, count) in counts.enumerated() {
            var value = count == Self.gap ? allOnes : min(count, allOnes - 1)
            for b in 0..<size {
                out[i * size + b] = UInt8(truncatingIfNeeded: value)
                value >>= 8
            }
        }
        return out
    }
}
