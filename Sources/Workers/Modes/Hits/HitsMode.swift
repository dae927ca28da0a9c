import Processing
import SharedMemory

/// Hits mode: the peaks of each frame (bright spots over the local background) and whether
/// there are enough of them for a hit; the viewer keeps the hit rate. It has no composed
/// view: the heatmap shows the latest frame with its peaks marked.
final class HitsMode: ModeUnit {
    private let finder: HitFinder

    init(_ setup: ModeSetup) throws {
        let options = setup.options
        finder = try HitFinder(width: setup.width, height: setup.height, settings: HitFinder.Settings(
            sigma: Float(options.hitSigma), minPixels: options.minPixels, minPeaks: options.minPeaks))
    }

    func process(_ frame: ModeFrame, result: inout FrameResult) throws {
        // σ and the minimum peaks move live (`[`/`]`, `<`/`>`): this frame uses the control block's.
        try finder.retune(sigma: frame.live.hitSigma, minPeaks: frame.live.minPeaks)
        let found = try finder.find(frame.processed)
        result.peaks = Int32(clamping: found.peakCount)
        result.hit = found.isHit ? 1 : 0
    }

    func fill(_: inout ShareImages) -> (width: Int, height: Int)? { nil }

    func forEachMark(_ add: (_ x: Int, _ y: Int) -> Void) {
        // Int(_:) traps on NaN: a centroid is finite unless the frame is absurd, but never trust it.
        for peak in finder.peaks where peak.x.isFinite && peak.y.isFinite && abs(peak.x) < 1e9 && abs(peak.y) < 1e9 {
            add(Int(peak.x), Int(peak.y))
        }
    }

    /// Never called: hits mode has no composed view, and its workers publish no share.
    static func compose(_: ViewShares, pumpView _: PumpView, pedestalView _: PedestalView) -> [Float] { [] }
}
