import Processing

/// Max mode: the maximum projection of the frames. Its share is binned by maximum (a mean
/// would hide a single bright pixel) and the view takes the largest of the workers' maxima.
final class MaxMode: AccumulatingUnit {
    let sums: ImageAccumulation

    init(_ setup: ModeSetup) throws {
        sums = try ImageAccumulation(setup, byMaximum: true)
    }

    static var shareBinning: ShareBinning { .max }

    static func compose(_ shares: ViewShares, pumpView: PumpView, pedestalView _: PedestalView) -> [Float] {
        let count = shares.pixelCount, withB = shares.withB
        let a = ShareMath.maximum(shares.parts.map(\.a), count), b = ShareMath.maximum(withB.map(\.b), count)
        return ShareMath.pick(pumpView, a: a, b: b, hasB: !withB.isEmpty) { pumped, unpumped in pumped - unpumped }
    }
}
