import Processing

/// Mean mode: each worker keeps the sum of its frames; the view is the workers' total sum
/// over their total frames (so a worker that saw more frames weighs more), per side.
final class MeanMode: AccumulatingUnit {
    let sums: ImageAccumulation

    init(_ setup: ModeSetup) throws {
        sums = try ImageAccumulation(setup)
    }

    static func compose(_ shares: ViewShares, pumpView: PumpView, pedestalView _: PedestalView) -> [Float] {
        let count = shares.pixelCount, withB = shares.withB
        let a = ShareMath.scaled(ShareMath.total(shares.parts.map(\.a), count), by: shares.framesA)
        let b = ShareMath.scaled(ShareMath.total(withB.map(\.b), count), by: shares.framesB)
        return ShareMath.pick(pumpView, a: a, b: b, hasB: !withB.isEmpty) { $0 - $1 }
    }
}
