import Processing
import SharedMemory

/// A mode whose state is one `ImageAccumulation` (analog, sum, mean, max): it adds each
/// frame and shares the accumulated images; only the composition differs between them, and
/// totals (sums add) unless the mode says otherwise.
protocol AccumulatingUnit: ModeUnit {
    var sums: ImageAccumulation { get }
}

extension AccumulatingUnit {
    func process(_ frame: ModeFrame, result _: inout FrameResult) throws {
        try sums.add(frame)
    }

    func fill(_ share: inout ShareImages) throws -> (width: Int, height: Int)? {
        try sums.fill(&share)
    }

    func binShare(region: PixelRegion, image: (width: Int, height: Int), a: inout [Float], b: inout [Float]) throws -> Bool {
        try sums.bin(region: region, image: image, a: &a, b: &b)
    }

    static func compose(_ shares: ViewShares, pumpView: PumpView, pedestalView _: PedestalView) -> [Float] {
        ShareMath.totals(shares, pumpView: pumpView)
    }
}
