import Glibc

/// Where the photons of a MOENCH frame land: uniformly (the default, what the counting tests
/// were recorded with), or as at a beamline: a broad Gaussian beam profile with a Siemens-star
/// test target in it, whose spokes absorb most of the beam.
///
/// The star is why the demo shows photon counting at its best: in a raw frame its spokes drown
/// in read noise, while the counted photons draw it sharply after a few seconds.
/// Immutable once built (the intensity map is computed once per scene), so sampling a photon
/// position costs one random number and a binary search, whatever the frame rate.
public struct MoenchIllumination: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Every pixel equally likely.
        case flat
        /// A Gaussian beam (σ = 120 pixels, centred) through a 36-spoke Siemens star.
        case beamline
    }

    public let kind: Kind
    /// Relative intensity per pixel, row-major (beam × the target's transmission), peak 1;
    /// empty for `flat`.
    public let intensity: [Float]
    /// The running sum of `intensity`, normalised to end at 1: a photon lands on the first pixel
    /// whose running sum exceeds a uniform random number.
    private let cumulative: [Double]

    public static let beamCentre = (x: 200.0, y: 200.0)
    public static let beamSigma = 120.0
    /// The star: centre, outer radius, number of opaque spokes (as many clear ones between
    /// them), the transmission of a spoke, and the radius of its opaque centre disc.
    public static let starCentre = (x: 196.0, y: 204.0)
    public static let starRadius = 140.0
    public static let starSpokes = 18
    public static let spokeTransmission: Float = 0.12
    public static let starHubRadius = 8.0

    public init(_ kind: Kind, width: Int, height: Int) {
        self.kind = kind
        guard kind == .beamline else {
            intensity = []
            cumulative = []
            return
        }
        var map = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let bx = Double(x) + 0.5 - Self.beamCentre.x, by = Double(y) + 0.5 - Self.beamCentre.y
                let beam = Float(exp(-(bx * bx + by * by) / (2 * Self.beamSigma * Self.beamSigma)))
                map[y * width + x] = beam * Self.transmission(x: Double(x) + 0.5, y: Double(y) + 0.5)
            }
        }
        intensity = map
        var sums = [Double](repeating: 0, count: map.count)
        var total = 0.0
        for i in map.indices {
            total += Double(map[i])
            sums[i] = total
        }
        cumulative = sums.map { $0 / total }
    }

    /// The target's transmission at a point: clear outside the star and between its spokes.
    public static func transmission(x: Double, y: Double) -> Float {
        let dx = x - starCentre.x, dy = y - starCentre.y
        let r = (dx * dx + dy * dy).squareRoot()
        guard r <= starRadius else { return 1 }
        if r < starHubRadius { return spokeTransmission }
        return isInSpoke(angle: atan2(dy, dx)) ? spokeTransmission : 1
    }

    /// Spokes and gaps alternate in equal sectors, a spoke first from angle -π.
    public static func isInSpoke(angle: Double) -> Bool {
        let sector = Int(((angle + .pi) / (2 * .pi) * Double(2 * starSpokes)).rounded(.down))
        return sector % 2 == 0
    }

    /// The pixel (row-major index) a photon drawn with `u` (uniform in 0..<1) lands on.
    @inline(__always)
    public func pixel(for u: Double) -> Int {
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > u { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
