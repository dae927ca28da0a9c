import Processing

/// Running sums or maxima of frames, one image per pump-probe side, as analog, sum, mean
/// and max (and counting on a photon-counting detector) keep them. Owned by one mode unit.
final class ImageAccumulation {
    private let sides: PumpProbeAccumulator
    private let byMaximum: Bool
    private let pumpProbe: Bool
    private let width: Int
    private let height: Int
    /// The region of the maxima, as `bin` reads it out for the max kernel (reused).
    private var staging: [Float] = []

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

    /// The sums (or maxima) of `region` binned to `image` as images A and B (B only with a
    /// pump-probe pattern, else emptied): read straight from the accumulators, only the
    /// region's pixels, with the same values as `fill` and then binning the region (mean, or
    /// maximum for maxima). False when the region does not fit the frame.
    func bin(region: PixelRegion, image: (width: Int, height: Int), a: inout [Float], b: inout [Float]) throws -> Bool {
        guard try bin(sides.unpumped, region, image, into: &a) else { return false }
        if pumpProbe {
            guard try bin(sides.pumped, region, image, into: &b) else { return false }
        } else {
            b = []
        }
        return true
    }

    private func bin(_ side: FrameAccumulator, _ region: PixelRegion, _ image: (width: Int, height: Int),
                     into out: inout [Float]) throws -> Bool {
        ShareImages.size(&out, image.width * image.height)
        return try out.withUnsafeMutableBufferPointer { target in
            byMaximum
                ? try side.binMaximum(region: region, staging: &staging, into: target,
                                      outWidth: image.width, outHeight: image.height)
                : try side.binSum(region: region, into: target, outWidth: image.width, outHeight: image.height)
        }
    }

    private func read(_ side: FrameAccumulator, into out: UnsafeMutableBufferPointer<Float>) throws {
        if byMaximum { try side.maximum(into: out) } else { try side.sum(into: out) }
    }
}
