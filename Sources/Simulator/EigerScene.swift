import DetectorStream
import Glibc

/// Synthetic EIGER frames (photon counting): a low Poisson background brighter near the beam,
/// 2–3 textured powder rings around a beam centre, a few dozen Bragg spots (Gaussian blobs) at
/// random positions, module gaps at the all-ones value, a few hot pixels and, now and then,
/// saturated pixels at `saturationValue` (all ones − 1). Deterministic for a seed.
///
/// Speed: the background and rings are Poisson-sampled once at start into a bank of frames of
/// 8-bit counts; a frame is one bank frame (chosen at random) widened to the pixel type, then
/// gaps, spots, hot and saturated pixels. Owned by one sending thread.
public struct EigerScene: DetectorScene {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var width = 1030
        public var height = 1065
        public var pixelType: PixelType = .uint16
        /// Mean background counts per pixel far from the beam.
        public var background: Double = 0.1
        /// Mean Bragg spots per frame.
        public var spots: Double = 40
        /// Background frames sampled at start; 0 chooses by frame size (8, or 4 above 4M).
        public var bankSize = 0

        public init() {}
    }

    public let options: Options
    public let geometry: EigerGeometry
    public var width: Int { geometry.width }
    public var height: Int { geometry.height }
    public var pixelType: PixelType { options.pixelType }
    public let saturationValue: UInt64
    /// Beam centre in pixels (x, y).
    public let beamCentre: (x: Double, y: Double)
    /// Ring radii in pixels, and the mean counts each adds at its peak.
    public let rings: [(radius: Double, peak: Double)]
    /// Row-major indices of the hot pixels.
    public let hotPixels: [Int]
    /// Gaps and, as a real detector's mask does, the hot pixels (noisy).
    public var pixelMask: [UInt32]? {
        var mask = geometry.pixelMask(gapValue: SimplonEncoder.gapMaskBit)
        for i in hotPixels { mask[i] |= SimplonEncoder.noisyMaskBit }
        return mask
    }

    private let bank: [[UInt8]]
    private let gapColumnRanges: [Range<Int>]
    private let gapRows: [Bool]
    private let gapColumns: [Bool]
    private var rng: Xoshiro256

    public init(options: Options = Options()) {
        self.options = options
        geometry = EigerGeometry(width: options.width, height: options.height)
        saturationValue = options.pixelType.allOnes - 1
        var rng = Xoshiro256(seed: options.seed)
        let (w, h) = (Double(options.width), Double(options.height))
        beamCentre = (w * (0.46 + 0.08 * rng.unit()), h * (0.46 + 0.08 * rng.unit()))
        let reach = min(w, h) / 2
        let ringCount = 2 + rng.below(2)
        var rings: [(radius: Double, peak: Double)] = []
        for i in 0..<ringCount {
            let jitter: Double = 0.9 + 0.2 * rng.unit()
            let radius: Double = reach * (0.25 + 0.25 * Double(i)) * jitter
            rings.append((radius, 3.0 / Double(i + 1)))
        }
        self.rings = rings
        let columns = geometry.gapColumns
        gapColumns = columns
        gapRows = geometry.gapRows
        var ranges: [Range<Int>] = []
        var x = 0
        while x < columns.count {
            if columns[x] {
                let start = x
                while x < columns.count, columns[x] { x += 1 }
                ranges.append(start..<x)
            } else {
                x += 1
            }
        }
        gapColumnRanges = ranges
        let pixels = options.width * options.height
        hotPixels = (0..<max(3, pixels / 200_000)).map { _ in rng.below(pixels) }.sorted()
        let bankSize = options.bankSize > 0 ? options.bankSize : (pixels > 2068 * 2162 ? 4 : 8)
        bank = Self.sampleBank(count: bankSize, options: options, centre: beamCentre, rings: rings, rng: &rng)
        self.rng = rng
    }

    /// The mean counts of a pixel before spots: background (up to 3× near the beam) plus rings,
    /// whose intensity varies around the ring like a powder with some texture.
    public static func meanCounts(x: Double, y: Double, background: Double, centre: (x: Double, y: Double),
                                  rings: [(radius: Double, peak: Double)], width: Double) -> Double {
        let dx = x - centre.x, dy = y - centre.y
        let r = (dx * dx + dy * dy).squareRoot()
        let halo = width * 0.12
        var mean = background * (1 + 2 * exp(-r * r / (2 * halo * halo)))
        let sigma = max(1.5, width / 600)
        let phi = atan2(dy, dx)
        for (i, ring) in rings.enumerated() {
            let d = r - ring.radius
            guard abs(d) < 5 * sigma else { continue }
            let texture = 1 + 0.35 * cos(Double(3 + 2 * i) * phi + Double(i))
            mean += ring.peak * texture * exp(-d * d / (2 * sigma * sigma))
        }
        return mean
    }

    private static func sampleBank(count: Int, options: Options, centre: (x: Double, y: Double),
                                   rings: [(radius: Double, peak: Double)], rng: inout Xoshiro256) -> [[UInt8]] {
        let (w, h) = (options.width, options.height)
        let maxMean = options.background * 3 + (rings.map(\.peak).max() ?? 0) * 1.4 + 0.5
        let table = PoissonTable(maxMean: maxMean)
        var bins = [UInt16](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                bins[y * w + x] = table.bin(mean: meanCounts(x: Double(x), y: Double(y), background: options.background,
                                                              centre: centre, rings: rings, width: Double(w)))
            }
        }
        return (0..<count).map { _ in
            var frame = [UInt8](repeating: 0, count: w * h)
            bins.withUnsafeBufferPointer { bins in
                table.thresholds.withUnsafeBufferPointer { cdf in
                    frame.withUnsafeMutableBufferPointer { out in
                        for i in 0..<out.count {
                            let u = UInt32(truncatingIfNeeded: rng.next() >> 32)
                            let base = Int(bins[i]) * PoissonTable.maxCount
                            var k = 0
                            while k < PoissonTable.maxCount, u >= cdf[base + k] { k += 1 }
                            out[i] = UInt8(k)
                        }
                    }
                }
            }
            return frame
        }
    }

    public mutating func render(frameIndex: UInt64, into frame: UnsafeMutableRawBufferPointer) -> [Photon] {
        precondition(frame.count == frameBytes, "EIGER frame buffer of \(frame.count) bytes, expected \(frameBytes)")
        switch pixelType {
        case .uint8: renderTyped(frame.bindMemory(to: UInt8.self))
        case .uint16: renderTyped(frame.bindMemory(to: UInt16.self))
        case .uint32: renderTyped(frame.bindMemory(to: UInt32.self))
        default: preconditionFailure("EIGER scenes are uint8/16/32; SimulationOptions.validate rejects \(pixelType.name)")
        }
        return []
    }

    private mutating func renderTyped<T: FixedWidthInteger & UnsignedInteger>(_ out: UnsafeMutableBufferPointer<T>) {
        let (w, h) = (width, height)
        let base = bank[rng.below(bank.count)]
        base.withUnsafeBufferPointer { counts in
            for i in 0..<out.count { out[i] = T(truncatingIfNeeded: counts[i]) }
        }
        let saturation = T(truncatingIfNeeded: saturationValue)
        // Bragg spots: total counts log-uniform over 50…50 000, Gaussian with σ 0.7–1.5 px.
        for _ in 0..<rng.poisson(options.spots) {
            let cx = rng.unit() * Double(w), cy = rng.unit() * Double(h)
            let total = 50 * pow(1000, rng.unit())
            let sigma = 0.7 + 0.8 * rng.unit()
            let scale = total / (2 * Double.pi * sigma * sigma)
            let x0 = Int(cx), y0 = Int(cy)
            for y in max(0, y0 - 3)...min(h - 1, y0 + 3) where !gapRows[y] {
                for x in max(0, x0 - 3)...min(w - 1, x0 + 3) where !gapColumns[x] {
                    let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                    let add = UInt64((scale * exp(-(dx * dx + dy * dy) / (2 * sigma * sigma))).rounded())
                    let i = y * w + x
                    out[i] = T(truncatingIfNeeded: min(UInt64(out[i]) + add, saturationValue))
                }
            }
        }
        // Hot pixels: high counts every frame.
        let hotLevel = min(saturationValue - 1, 20_000)
        for i in hotPixels {
            out[i] = T(truncatingIfNeeded: hotLevel / 2 + UInt64(rng.below(Int(hotLevel / 2) + 1)))
        }
        // Now and then a few pixels saturate.
        if rng.unit() < 0.3 {
            for _ in 0..<(1 + rng.below(4)) { out[rng.below(w * h)] = saturation }
        }
        // Gaps last: whatever landed there becomes all ones.
        for y in 0..<h {
            let row = y * w
            if gapRows[y] {
                for x in 0..<w { out[row + x] = T.max }
            } else {
                for range in gapColumnRanges { for x in range { out[row + x] = T.max } }
            }
        }
    }
}
