#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A colour in Björn Ottosson's OKLab space: L is perceived lightness (0 black … 1 white), a and b
/// the green–red and blue–yellow axes. Euclidean distance in OKLab (ΔE_OK) approximates how
/// different two colours look, which RGB distance does not (it ranks a grey as "nearer" to a dark
/// purple than a slightly different purple).
///
/// Implemented from the published definition, "A perceptual color space for image processing"
/// (Björn Ottosson, 2020, https://bottosson.github.io/posts/oklab/): sRGB is linearised with the
/// sRGB transfer function (IEC 61966-2-1), taken to an LMS-like cone space by the first matrix,
/// compressed by a cube root, and rotated into L, a, b by the second matrix. Pure value type.
public struct OKLab: Hashable, Sendable {
    public var L: Double
    public var a: Double
    public var b: Double

    public init(L: Double, a: Double, b: Double) {
        self.L = L
        self.a = a
        self.b = b
    }

    /// The OKLab coordinates of an 8-bit sRGB colour.
    public init(r: UInt8, g: UInt8, b: UInt8) {
        self.init(linearRed: Self.linear(r), green: Self.linear(g), blue: Self.linear(b))
    }

    public init(_ rgb: (UInt8, UInt8, UInt8)) {
        self.init(r: rgb.0, g: rgb.1, b: rgb.2)
    }

    /// From linear-light sRGB channels in 0…1.
    public init(linearRed r: Double, green g: Double, blue b: Double) {
        let l = 0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b
        let m = 0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b
        let s = 0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b
        let l3 = Self.cubeRoot(l), m3 = Self.cubeRoot(m), s3 = Self.cubeRoot(s)
        L = 0.2104542553 * l3 + 0.7936177850 * m3 - 0.0040720468 * s3
        a = 1.9779984951 * l3 - 2.4285922050 * m3 + 0.4505937099 * s3
        self.b = 0.0259040371 * l3 + 0.7827717662 * m3 - 0.8086757660 * s3
    }

    /// ΔE_OK: the Euclidean distance between two colours.
    public func distance(to other: OKLab) -> Double {
        let dL = L - other.L, da = a - other.a, db = b - other.b
        return (dL * dL + da * da + db * db).squareRoot()
    }

    /// The sRGB transfer function inverted: an 8-bit channel to linear light.
    public static func linear(_ channel: UInt8) -> Double {
        let c = Double(channel) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }

    private static func cubeRoot(_ x: Double) -> Double {
        x < 0 ? -pow(-x, 1.0 / 3) : pow(x, 1.0 / 3)
    }
}

