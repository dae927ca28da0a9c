import DetectorStream
import Glibc

/// Synthetic JUNGFRAU module frames (1024×512, u16, raw as the detector sends them): bits 15–14
/// are the gain stage (0 = G0, 1 = G1, 3 = G2), bits 13–0 the ADC value. Every pixel sits at its
/// G0 pedestal (~3000 ADU) with read noise; single photons (12.4 keV, ~500 ADU in G0) land at
/// random, and Bragg spots pile up enough charge to switch their brightest pixels to G1
/// (pedestal ~14 500, −1.5 ADU/keV) or G2 (~14 800, −0.1 ADU/keV): the JUNGFRAU gains fall in
/// the higher stages. Deterministic for a seed. Owned by one sending thread.
public struct JungfrauScene: DetectorScene {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        /// Mean single photons per frame.
        public var photonsPerFrame: Double = 60
        /// Mean Bragg spots per frame.
        public var spots: Double = 12
        public init() {}
    }

    public static let width = 1024
    public static let height = 512
    public static let photonKeV = 12.4
    /// ADU per keV of each stage; the higher stages count down from their pedestal.
    public static let gain = (g0: 40.0, g1: -1.5, g2: -0.1)
    public static let pedestal = (g0: 3000.0, g1: 14_500.0, g2: 14_800.0)
    /// A G0 signal above this switches the pixel to G1; a G1 value below `g1Floor` to G2.
    public static let g0Ceiling = 15_000.0
    public static let g1Floor = 1_000.0
    /// Gain stage codes in bits 15–14.
    public enum Stage: UInt16, Sendable { case g0 = 0, g1 = 1, g2 = 3 }

    public let options: Options
    public var width: Int { Self.width }
    public var height: Int { Self.height }
    public var pixelType: PixelType { .uint16 }
    public var pixelMask: [UInt32]? { nil }
    public var hasGainBits: Bool { true }
    /// G2 at its lowest ADC value: the strongest signal the module can report.
    public var saturationValue: UInt64 { UInt64(Stage.g2.rawValue) << 14 }
    /// Per-pixel G0 pedestal, row-major.
    public let pedestalG0: [UInt16]
    private let noise: [Int16]
    private var rng: Xoshiro256
    private var charge: [Int: Double] = [:]

    public init(options: Options = Options()) {
        self.options = options
        var rng = Xoshiro256(seed: options.seed)
        pedestalG0 = (0..<(Self.width * Self.height)).map { _ in UInt16(Self.pedestal.g0 - 200 + 400 * rng.unit()) }
        noise = NormalTable().scaledToADU(sigma: 12)
        self.rng = rng
    }

    /// The raw 16-bit value for `keV` deposited on a pixel whose G0 pedestal is `pedestal`.
    public static func encode(keV: Double, pedestal: Double) -> UInt16 {
        let g0 = pedestal + keV * gain.g0
        if g0 <= g0Ceiling { return word(.g0, g0) }
        let g1 = Self.pedestal.g1 + keV * gain.g1
        if g1 >= g1Floor { return word(.g1, g1) }
        return word(.g2, Self.pedestal.g2 + keV * gain.g2)
    }

    /// The gain stage of a raw value (2 in bits 15–14 is not a valid stage: nil).
    public static func stage(_ raw: UInt16) -> Stage? { Stage(rawValue: raw >> 14) }

    private static func word(_ stage: Stage, _ adc: Double) -> UInt16 {
        stage.rawValue << 14 | UInt16(min(max(adc.rounded(), 0), 0x3FFF))
    }

    public mutating func render(frameIndex: UInt64, into frame: UnsafeMutableRawBufferPointer) -> [Photon] {
        precondition(frame.count == frameBytes, "JUNGFRAU frame buffer of \(frame.count) bytes, expected \(frameBytes)")
        let out = frame.bindMemory(to: UInt16.self)
        let n = out.count
        pedestalG0.withUnsafeBufferPointer { ped in
            noise.withUnsafeBufferPointer { table in
                var i = 0
                while i + 4 <= n {
                    let r = rng.next()
                    for k in 0..<4 {
                        let v = Int32(ped[i + k]) &+ Int32(table[Int((r >> (16 * UInt64(k))) & 0xFFFF)])
                        out[i + k] = UInt16(clamping: v)
                    }
                    i += 4
                }
            }
        }
        charge.removeAll(keepingCapacity: true)
        var photons: [Photon] = []
        for _ in 0..<rng.poisson(options.photonsPerFrame) {
            let x = rng.below(Self.width), y = rng.below(Self.height)
            charge[y * Self.width + x, default: 0] += Self.photonKeV
            photons.append(Photon(x: x, y: y, adu: Int(Self.photonKeV * Self.gain.g0)))
        }
        // Spots: 20…20 000 photons, σ ≈ 1 px, so the centres of the bright ones leave G0.
        for _ in 0..<rng.poisson(options.spots) {
            let cx = rng.unit() * Double(Self.width), cy = rng.unit() * Double(Self.height)
            let total = 20 * pow(1000, rng.unit())
            let sigma = 0.8 + 0.5 * rng.unit()
            let scale = total / (2 * Double.pi * sigma * sigma)
            let (x0, y0) = (Int(cx), Int(cy))
            for y in max(0, y0 - 3)...min(Self.height - 1, y0 + 3) {
                for x in max(0, x0 - 3)...min(Self.width - 1, x0 + 3) {
                    let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                    let count = (scale * exp(-(dx * dx + dy * dy) / (2 * sigma * sigma))).rounded()
                    if count >= 1 { charge[y * Self.width + x, default: 0] += count * Self.photonKeV }
                }
            }
        }
        for (i, keV) in charge {
            // The noise already in the pixel rides on the G0 pedestal.
            let noisyPedestal = Double(out[i])
            out[i] = Self.encode(keV: keV, pedestal: noisyPedestal)
        }
        return photons
    }
}
