import Glibc

/// A photon as the scene deposited it: the pixel that got the largest share, and its energy.
public struct Photon: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var adu: Int

    public init(x: Int, y: Int, adu: Int) {
        self.x = x
        self.y = y
        self.adu = adu
    }
}

/// Synthetic MOENCH frames (400×400, u16, 14 data bits): a fixed per-pixel pedestal, Gaussian
/// read noise, single photons (some sharing their charge with neighbours), an optional pump-probe
/// disc, optional dead pixels (all ones = masked) and hot pixels, and where the photons land
/// (`MoenchIllumination`: flat, or a beam profile through a Siemens star). Deterministic for a seed: the same seed
/// renders the same sequence of frames. Owned by one sending thread.
public struct MoenchScene {
    /// The scene's physics and defects; the defaults are a plausible MOENCH in counting light.
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        /// Mean photons per frame over the whole frame (Poisson).
        public var photonsPerFrame: Double = 40
        /// The first frames of the sequence have no photons: a dark series, beam off.
        public var darkFrames: UInt64 = 0
        public var pedestal: Double = 5400
        /// Half-width of the uniform pedestal spread across pixels.
        public var pedestalSpread: Double = 100
        public var noiseSigma: Double = 19
        public var photonADU: Double = 110
        public var photonSigma: Double = 10
        /// Fraction of photons whose charge is split over 2×2 or 3×3 pixels.
        ///
        /// The default is mild sharing: the scene the issue describes ("some charge-shared", on
        /// which a plain 3×3 finder at n = 4 finds ≥ 93% of the photons). The numbers follow from
        /// that goal, not from a sensor model: an unshared 110 ± 10 ADU photon passes the
        /// 4σ = 76 ADU cut (σ = 19) with probability 0.943, one whose main pixel keeps 85–95%
        /// with 0.86, so 5% split photons leave an expected 0.939 found: three standard errors
        /// above the goal for the ~6,000 photons a test sees, where 10% would leave one.
        /// A real MOENCH shares much more: after ~300 µm of drift the charge cloud is several µm
        /// wide, so in 25 µm pixels most photons landing within a few µm of an edge lose a tenth
        /// or more of their charge, and a 4σ cut on the main pixel alone misses many of them.
        /// For that (tests of cluster sums), set `chargeSharing` 0.3…1 and `mainPixelShare`
        /// 0.5...0.85 (the old default, 30% split at 50–85%, left 80% found at n = 4).
        public var chargeSharing: Double = 0.05
        /// The part of a split photon's charge its main pixel keeps, drawn uniformly from this
        /// range; clamped to 0.5...1, so the main pixel always keeps the largest share (it is the
        /// photon's recorded position).
        public var mainPixelShare: ClosedRange<Double> = 0.85...0.95
        /// Every other frame (even frame index) gets extra photons in a central disc.
        public var pumpProbe: Bool = false
        public var deadPixels: Int = 0
        /// Pixels that fire (several photons' worth of charge) in most frames.
        public var hotPixels: Int = 0
        /// Where photons land: flat (every pixel alike) or a beamline's profile and target.
        public var illumination: MoenchIllumination.Kind = .flat

        public init() {}
    }

    public static let width = 400
    public static let height = 400
    public static let maxADU: Int32 = 0x3FFF
    /// The pump-probe disc: centre and radius in pixels.
    public static let pumpCentre = (x: 200, y: 200)
    public static let pumpRadius = 50
    /// The share of frames in which a hot pixel fires: most, but not all, so it neither hides in
    /// the pedestal nor looks like a stuck value.
    public static let hotPixelFiring = 0.8

    public let options: Options
    /// Per-pixel pedestal, row-major.
    public let pedestal: [UInt16]
    /// Row-major indices of the dead pixels (all ones in every frame).
    public let deadPixels: [Int]
    private let isDead: [Bool]
    /// Row-major indices of the hot pixels (never dead ones).
    public let hotPixels: [Int]
    public let illumination: MoenchIllumination
    private let noise: [Int16]
    private let unitNormal: [Float]
    private var rng: Xoshiro256

    public init(options: Options = Options()) {
        self.options = options
        var rng = Xoshiro256(seed: options.seed)
        let count = Self.width * Self.height
        pedestal = (0..<count).map { _ in
            UInt16(clamping: Int((options.pedestal + (rng.unit() * 2 - 1) * options.pedestalSpread).rounded()))
        }
        var dead = [Bool](repeating: false, count: count)
        var deadList: [Int] = []
        while deadList.count < min(max(options.deadPixels, 0), count) {
            let i = rng.below(count)
            if !dead[i] { dead[i] = true; deadList.append(i) }
        }
        deadPixels = deadList.sorted()
        isDead = dead
        // A generator of their own, so adding hot pixels leaves every other draw of a seed as it was.
        var hotRng = Xoshiro256(seed: options.seed ^ 0x686F_7470_6978_656C)
        var hot = Set<Int>()
        while hot.count < min(max(options.hotPixels, 0), count - deadList.count) {
            let i = hotRng.below(count)
            if !dead[i] { hot.insert(i) }
        }
        hotPixels = hot.sorted()
        illumination = MoenchIllumination(options.illumination, width: Self.width, height: Self.height)
        let table = NormalTable()
        unitNormal = table.values
        noise = table.scaledToADU(sigma: options.noiseSigma)
        self.rng = rng
    }

    public var pixelCount: Int { Self.width * Self.height }

    public func isPumped(frameIndex: UInt64) -> Bool {
        options.pumpProbe && frameIndex % 2 == 0
    }

    /// Renders the next frame of the sequence into `frame` (at least 400×400 values) and returns
    /// the photons it contains.
    public mutating func render(frameIndex: UInt64, into frame: UnsafeMutableBufferPointer<UInt16>) -> [Photon] {
        precondition(frame.count >= pixelCount, "frame buffer smaller than 400×400")
        renderNoise(into: frame)
        var photons: [Photon] = []
        photons.reserveCapacity(Int(options.photonsPerFrame * (options.pumpProbe ? 4 : 1.5)) + 8)
        let dark = frameIndex < options.darkFrames
        let flat = illumination.kind == .flat
        for _ in 0..<(dark ? 0 : poisson(options.photonsPerFrame)) {
            let (x, y): (Int, Int)
            if flat {
                (x, y) = (rng.below(Self.width), rng.below(Self.height))
            } else {
                let i = illumination.pixel(for: rng.unit())
                (x, y) = (i % Self.width, i / Self.width)
            }
            if let p = deposit(x: x, y: y, into: frame) { photons.append(p) }
        }
        if !dark, isPumped(frameIndex: frameIndex) {
            for _ in 0..<poisson(options.photonsPerFrame * 3) {
                let (x, y) = pointInPumpDisc()
                if let p = deposit(x: x, y: y, into: frame) { photons.append(p) }
            }
        }
        for i in hotPixels where rng.unit() < Self.hotPixelFiring {
            add(options.photonADU * (2 + 4 * rng.unit()), x: i % Self.width, y: i / Self.width, into: frame)
        }
        for i in deadPixels { frame[i] = 0xFFFF }
        return photons
    }

    // MARK: - Pieces

    /// Pedestal plus table noise, four pixels per 64 random bits: the hot loop.
    private mutating func renderNoise(into frame: UnsafeMutableBufferPointer<UInt16>) {
        let n = pixelCount
        pedestal.withUnsafeBufferPointer { ped in
            noise.withUnsafeBufferPointer { table in
                var i = 0
                while i + 4 <= n {
                    let r = rng.next()
                    frame[i] = UInt16(truncatingIfNeeded: Int32(ped[i]) &+ Int32(table[Int(r & 0xFFFF)]))
                    frame[i + 1] = UInt16(truncatingIfNeeded: Int32(ped[i + 1]) &+ Int32(table[Int((r >> 16) & 0xFFFF)]))
                    frame[i + 2] = UInt16(truncatingIfNeeded: Int32(ped[i + 2]) &+ Int32(table[Int((r >> 32) & 0xFFFF)]))
                    frame[i + 3] = UInt16(truncatingIfNeeded: Int32(ped[i + 3]) &+ Int32(table[Int(r >> 48)]))
                    i += 4
                }
                while i < n {
                    frame[i] = UInt16(truncatingIfNeeded: Int32(ped[i]) &+ Int32(table[Int(rng.next() & 0xFFFF)]))
                    i += 1
                }
            }
        }
    }

    /// Deposits one photon whose main pixel is (x, y); nil when that pixel is dead.
    private mutating func deposit(x: Int, y: Int, into frame: UnsafeMutableBufferPointer<UInt16>) -> Photon? {
        guard !isDead[y * Self.width + x] else { return nil }
        let energy = max(1, options.photonADU + options.photonSigma * Double(gaussian()))
        let share = rng.unit()
        if share >= options.chargeSharing {
            add(energy, x: x, y: y, into: frame)
            return Photon(x: x, y: y, adu: Int(energy.rounded()))
        }
        let range = options.mainPixelShare.clamped(to: 0.5...1)
        let main = range.lowerBound + (range.upperBound - range.lowerBound) * rng.unit()
        add(energy * main, x: x, y: y, into: frame)
        if share < options.chargeSharing / 2 {
            // 2×2: the photon landed near a corner. The neighbours' weights are at least 0.1 of
            // 1.1, so none gets more than 85% of the rest: the main pixel stays the largest.
            let dx = rng.below(2) == 0 ? -1 : 1, dy = rng.below(2) == 0 ? -1 : 1
            let w = (rng.unit() + 0.1, rng.unit() + 0.1, rng.unit() + 0.1)
            let rest = (1 - main) / (w.0 + w.1 + w.2)
            add(energy * rest * w.0, x: x + dx, y: y, into: frame)
            add(energy * rest * w.1, x: x, y: y + dy, into: frame)
            add(energy * rest * w.2, x: x + dx, y: y + dy, into: frame)
        } else {
            // 3×3: a cloud around the main pixel.
            var weights: [Double] = []
            weights.reserveCapacity(8)
            for _ in 0..<8 { weights.append(rng.unit() + 0.05) }
            let rest = (1 - main) / weights.reduce(0, +)
            var k = 0
            for dy in -1...1 {
                for dx in -1...1 where dx != 0 || dy != 0 {
                    add(energy * rest * weights[k], x: x + dx, y: y + dy, into: frame)
                    k += 1
                }
            }
        }
        return Photon(x: x, y: y, adu: Int(energy.rounded()))
    }

    /// Adds charge to a pixel, saturating at 14 bits; charge off the edge is lost.
    @inline(__always)
    private func add(_ adu: Double, x: Int, y: Int, into frame: UnsafeMutableBufferPointer<UInt16>) {
        guard x >= 0, x < Self.width, y >= 0, y < Self.height else { return }
        let i = y * Self.width + x
        frame[i] = UInt16(min(Int32(frame[i]) + Int32(adu.rounded()), Self.maxADU))
    }

    private mutating func pointInPumpDisc() -> (Int, Int) {
        let r = Self.pumpRadius
        while true {
            let dx = rng.below(2 * r + 1) - r, dy = rng.below(2 * r + 1) - r
            if dx * dx + dy * dy <= r * r { return (Self.pumpCentre.x + dx, Self.pumpCentre.y + dy) }
        }
    }

    private mutating func gaussian() -> Float {
        unitNormal[Int(rng.next() & 0xFFFF)]
    }

    /// Knuth's method for small means, a normal approximation above 60.
    private mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 60 {
            return max(0, Int((mean + mean.squareRoot() * Double(gaussian())).rounded()))
        }
        let limit = exp(-mean)
        var k = 0
        var p = rng.unit()
        while p > limit {
            k += 1
            p *= rng.unit()
        }
        return k
    }
}
