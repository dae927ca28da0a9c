import Processing
import SharedMemory

/// Radial mode: the azimuthal mean around the beam centre (the control block's, or the
/// image centre), accumulated over frames. The share is a profile, not an image: ring sums
/// as A and ring pixel counts as B, not binned; the view is total ring sums over total ring
/// pixels, drawn by the viewer as a curve.
final class RadialMode: ModeUnit {
    private let profile: RadialProfile

    init(_ setup: ModeSetup) throws {
        let cx = setup.beamX.isNaN ? Double(setup.width) / 2 : Double(setup.beamX)
        let cy = setup.beamY.isNaN ? Double(setup.height) / 2 : Double(setup.beamY)
        profile = try RadialProfile(width: setup.width, height: setup.height, centerX: cx, centerY: cy)
    }

    static var shareBinning: ShareBinning { .none }
    static var usesBeamCentre: Bool { true }

    func process(_ frame: ModeFrame, result _: inout FrameResult) throws {
        try profile.add(frame.values)
    }

    func fill(_ share: inout ShareImages) -> (width: Int, height: Int)? {
        let rings = profile.ringCount
        share.a = (0..<rings).map { r in
            profile.count(ring: r) > 0 ? Float(profile.mean(ring: r) * Double(profile.count(ring: r))) : 0
        }
        share.b = (0..<rings).map { Float(profile.count(ring: $0)) }
        return (rings, 1)
    }

    static func compose(_ shares: ViewShares, pumpView _: PumpView, pedestalView _: PedestalView) -> [Float] {
        let count = shares.pixelCount
        let sums = ShareMath.total(shares.parts.map(\.a), count)
        let pixels = ShareMath.total(shares.withB.map(\.b), count)
        return zip(sums, pixels).map { $1 > 0 ? $0 / $1 : .nan }
    }
}
