import Processing
import SharedMemory

/// Pedestal mode: the per-pixel dark level the pedestal tracker learned (it steps in
/// `ActiveMode` before any mode runs). The share is the (G0) pedestal's mean as image A and
/// its variance as image B, with the pedestal's frames; the view is the frame-weighted mean
/// of the workers' pedestals, or their pooled σ.
final class PedestalMode: ModeUnit {
    private let pedestal: any PedestalWork

    /// `ActiveMode` always makes the pedestal for this mode; without one there is nothing to show.
    struct MissingPedestal: Error, CustomStringConvertible {
        var description: String { "pedestal mode without a pedestal tracker" }
    }

    init(_ setup: ModeSetup) throws {
        guard let pedestal = setup.pedestal else { throw MissingPedestal() }
        self.pedestal = pedestal
    }

    func process(_: ModeFrame, result _: inout FrameResult) {}

    func fill(_ share: inout ShareImages) -> (width: Int, height: Int)? {
        let shown = pedestal.shownPedestal
        share.a = Array(shown.mean)
        share.b = Array(shown.variance)
        share.framesA = UInt64(shown.frames)
        return (shown.width, shown.height)
    }

    static func compose(_ shares: ViewShares, pumpView _: PumpView, pedestalView: PedestalView) -> [Float] {
        let count = shares.pixelCount
        let mean = weightedMean(shares.parts.map { ($0.a, Float($0.framesA)) }, count)
        guard pedestalView == .sigma else { return mean }
        return pooledSigma(shares.withB.map { ($0.a, $0.b, Float($0.framesA)) }, mean: mean, count)
    }

    private static func weightedMean(_ images: [([Float], Float)], _ count: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: count), weight = [Float](repeating: 0, count: count)
        for (image, w) in images where w > 0 {
            for i in 0..<count where !image[i].isNaN {
                sum[i] += image[i] * w
                weight[i] += w
            }
        }
        return zip(sum, weight).map { $1 > 0 ? $0 / $1 : .nan }
    }

    /// σ of the workers' pedestals taken together, from each one's mean and variance (B):
    /// Σ w (variance + (mean − common mean)²) / Σ w, as the variance of the union of their frames.
    private static func pooledSigma(_ parts: [(mean: [Float], variance: [Float], weight: Float)], mean: [Float],
                                    _ count: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: count), weight = [Float](repeating: 0, count: count)
        for (m, v, w) in parts where w > 0 {
            for i in 0..<count where !m[i].isNaN && !v[i].isNaN {
                let d = m[i] - mean[i]
                sum[i] += w * (v[i] + d * d)
                weight[i] += w
            }
        }
        return zip(sum, weight).map { $1 > 0 ? ($0 / $1).squareRoot() : .nan }
    }
}
