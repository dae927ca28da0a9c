import Processing

/// Running sums or maxima of frames, one image per pump-probe side, as analog, sum, mean
/// and max (and counting on a photon-counting detector) keep them. Owned by one mode unit.
final class ImageAccumulation {
    private let sides: PumpProbeAccumulator
    private let byMaximum: Bool
    private let pumpProbe: Bool
    private let width: Int
    private let height: Int

    init(_ setup: ModeSetup, byMaximum: Bool = false) throws {
        sides = try PumpProbeAccumulator(width: setup.width, height: setup.height, contents: byMaximum ? .max : .sum)
        self.byMaximum = byMaximum
        pumpProbe = setup.pumpProbe
        width = setup.width
        height = setup.height
    }

    func add(_ frame: ModeFrame) throws {
        try sides.add(frame.processed, kind: frame.pumped ? .pumped : .unpumped)
    }

    /// The sums (or maxima) as images A and B (B only with a pump-probe pattern), and their size.
    func fill(_ share: inout ShareImages) throws -> (width: Int, height: Int) {
        let pixelCount = width * height
        ShareImages.size(&share.a, pixelCount)
        try share.a.withUnsafeMutableBufferPointer { try read(sides.unpumped, into: $0) }
        if pumpProbe {
            ShareImages.size(&share.b, pixelCount)
            try share.b.withUnsafeMutableBufferPointer { try read(sides.pumped, into: $0) }
        } else {
            share.b = []
        }
        return (width, height)
    }

    private func read(_ side: FrameAccumulator, into out: UnsafeMutableBufferPointer<Float>) throws {
        if byMaximum { try side.maximum(into: out) } else { try side.sum(into: out) }
    }
}
