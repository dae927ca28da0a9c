#if canImport(Glibc)
import Glibc
#endif

/// How far apart two colours must be before a cell is worth rewriting: a distance in OKLab, the
/// perceptual space where equal distances look about equally different.
///
/// OKLab rather than a palette-index neighbourhood because the heatmap's colours are 24-bit
/// until the backend degrades them: one rule then serves every colour mode, and the colormap's
/// steps are not equally visible (viridis' dark end moves slowly in lightness). The default,
/// 0.02, is about one just-noticeable difference in OKLab. (No shortcut on RGB steps: a step of
/// 96 in one 8-bit channel can still be an OKLab distance of only 0.026.) Pure; used by `Buffer.visibleChanges`
/// on the render side (main actor).
public struct PerceptualTolerance: Sendable, Equatable {
    /// The largest OKLab distance treated as no visible change (0: every change is written).
    public var threshold: Float

    public init(threshold: Float) { self.threshold = max(0, threshold) }

    public static let invisible = PerceptualTolerance(threshold: 0.02)
    public static let exact = PerceptualTolerance(threshold: 0)

    /// True when `a` and `b` look the same: equal, or both 24-bit, or both from the fixed part of
    /// the 256-colour palette (16-255, the cube and grey ramp every terminal shares), and closer
    /// than the threshold. The 16 ANSI colours and the default colour are compared exactly (users
    /// redefine them). Adjacent entries of the fixed palette are further apart than the default
    /// threshold, so only a raised one (`HeatmapFidelity`) lets a 256-colour cell stay as it is.
    @inline(__always)
    public func looksSame(_ a: Color, _ b: Color) -> Bool {
        if a == b { return true }
        guard threshold > 0, let (r1, g1, b1) = Self.fixedRGB(a), let (r2, g2, b2) = Self.fixedRGB(b) else { return false }
        let p = Self.oklab(r1, g1, b1), q = Self.oklab(r2, g2, b2)
        let dl = p.0 - q.0, da = p.1 - q.1, db = p.2 - q.2
        return dl * dl + da * da + db * db <= threshold * threshold
    }

    /// The RGB a colour shows everywhere: 24-bit, or a fixed palette entry; nil for the rest.
    @inline(__always)
    private static func fixedRGB(_ color: Color) -> (UInt8, UInt8, UInt8)? {
        switch color {
        case .rgb(let r, let g, let b): (r, g, b)
        case .indexed(let i) where i >= 16: Palette.rgb(ofXterm256: i)
        default: nil
        }
    }

    /// sRGB (8 bits a channel) to OKLab (Björn Ottosson's published matrices).
    public static func oklab(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> (Float, Float, Float) {
        let lr = linear[Int(r)], lg = linear[Int(g)], lb = linear[Int(b)]
        let l = cbrtf(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb)
        let m = cbrtf(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb)
        let s = cbrtf(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb)
        return (0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
                1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
                0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s)
    }

    /// The sRGB transfer function undone, one entry per 8-bit value.
    private static let linear: [Float] = (0..<256).map { value in
        let c = Float(value) / 255
        return c <= 0.04045 ? c / 12.92 : powf((c + 0.055) / 1.055, 2.4)
    }
}
