/// The processing parameters a key moves while frames arrive, besides threshold mode's level:
/// the photon finder's n of nσ (counting, and every mode that tracks a pedestal on a
/// charge-integrating detector), the hit finder's nσ and the peaks that make a frame a hit.
/// The reducer steps them within their bounds; the core writes them to the control block,
/// and the workers use them from their next frame. A plain value.
public struct LiveParameters: Sendable, Equatable {
    public var photonSigma: Float
    public var hitSigma: Float
    public var minPeaks: Int

    /// `ProcessingOptions`' defaults; the core starts from the command line's values.
    public init(photonSigma: Float = 4, hitSigma: Float = 6, minPeaks: Int = 10) {
        self.photonSigma = photonSigma
        self.hitSigma = hitSigma
        self.minPeaks = minPeaks
    }

    /// One key press of `n`/`N` and `[`/`]` moves nσ by this much.
    public static let sigmaStep: Float = 0.5
    /// Below 1σ nearly every noisy pixel passes; above 20σ nothing does: the keys stop there
    /// (a value given outside on the command line is kept until a key moves it in).
    public static let sigmaRange: ClosedRange<Float> = 1...20
    public static let minPeaksRange: ClosedRange<Int> = 1...1000

    /// `sigma` moved one step up or down, kept within `sigmaRange`.
    static func stepped(_ sigma: Float, up: Bool) -> Float {
        let moved = sigma + (up ? sigmaStep : -sigmaStep)
        return min(sigmaRange.upperBound, max(sigmaRange.lowerBound, moved))
    }

    /// The peaks one up or down, within `minPeaksRange`.
    static func stepped(_ peaks: Int, up: Bool) -> Int {
        min(minPeaksRange.upperBound, max(minPeaksRange.lowerBound, peaks + (up ? 1 : -1)))
    }

    /// "4σ", "4.5σ".
    static func sigmaText(_ sigma: Float) -> String {
        sigma == sigma.rounded() ? "\(Int(sigma))σ" : "\(sigma)σ"
    }
}
