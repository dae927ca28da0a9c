import Processing
import SharedMemory

/// Threshold mode: per pixel, the frames above the threshold (ADU above the pedestal; `+`/`-`
/// move it live, so each frame brings the control block's level). One count image per
/// pump-probe side; the view adds the workers' counts.
final class ThresholdMode: ModeUnit {
    private let counters: [ThresholdCounter]
    private let width: Int
    private let height: Int

    init(_ setup: ModeSetup) throws {
        counters = try (0..<setup.sides).map { _ in
            try ThresholdCounter(width: setup.width, height: setup.height, threshold: Float(setup.options.threshold))
        }
        width = setup.width
        height = setup.height
    }

    func process(_ frame: ModeFrame, result _: inout FrameResult) throws {
        let counter = counters[frame.pumped ? 1 : 0]
        counter.threshold = frame.threshold
        try counter.add(frame.processed)
    }

    func fill(_ share: inout ShareImages) -> (width: Int, height: Int)? {
        share.a = counters[0].counts.map { Float($0) }
        share.b = counters.count > 1 ? counters[1].counts.map { Float($0) } : []
        return (width, height)
    }

    static func compose(_ shares: ViewShares, pumpView: PumpView, pedestalView _: PedestalView) -> [Float] {
        ShareMath.totals(shares, pumpView: pumpView)
    }
}
