import Processing
import SharedMemory

/// Counting mode: single photons per pixel. On a charge-integrating detector the pedestal's
/// photon finder (3×3 cluster finding, run in `ActiveMode` with the pedestal) finds them and
/// this mode counts each found photon in its pixel; a photon-counting detector has counted
/// them already, so its frames are summed and a frame's sum is its photons. One image per
/// pump-probe side; the view adds the workers' counts.
final class CountingMode: ModeUnit {
    /// The photon finder's owner (charge-integrating detectors only).
    private let pedestal: (any PedestalWork)?
    /// Photons per pixel, unpumped (or all) and pumped (charge-integrating detectors).
    private var photonCounts: [[UInt32]]
    /// The summed frames (photon-counting detectors).
    private let sums: ImageAccumulation?
    private let width: Int
    private let height: Int

    init(_ setup: ModeSetup) throws {
        width = setup.width
        height = setup.height
        if setup.chargeIntegrating, let pedestal = setup.pedestal {
            self.pedestal = pedestal
            photonCounts = [[UInt32]](repeating: [UInt32](repeating: 0, count: setup.pixelCount), count: setup.sides)
            sums = nil
        } else {
            pedestal = nil
            photonCounts = []
            sums = try ImageAccumulation(setup)
        }
    }

    func process(_ frame: ModeFrame, result: inout FrameResult) throws {
        if let sums {
            try sums.add(frame)
            // The frame's sum (already in the result) is its photons.
            result.photons = Int32(clamping: Int(result.stats.sum.rounded()))
            return
        }
        guard let finder = pedestal?.finder else { return }
        result.photons = Int32(clamping: frame.photons)
        let width = width
        photonCounts[frame.pumped ? 1 : 0].withUnsafeMutableBufferPointer { counts in
            for i in 0..<finder.storedPhotonCount {
                let p = finder.photon(at: i)
                counts[p.y * width + p.x] &+= 1
            }
        }
    }

    func fill(_ share: inout ShareImages) throws -> (width: Int, height: Int)? {
        if let sums { return try sums.fill(&share) }
        share.a = photonCounts[0].map { Float($0) }
        share.b = photonCounts.count > 1 ? photonCounts[1].map { Float($0) } : []
        return (width, height)
    }

    /// A photon-counting detector's counts are its summed frames: binned straight from them.
    /// The photon counts of a charge-integrating one are filled and binned (false).
    func binShare(region: PixelRegion, image: (width: Int, height: Int), a: inout [Float], b: inout [Float]) throws -> Bool {
        guard let sums else { return false }
        return try sums.bin(region: region, image: image, a: &a, b: &b)
    }

    func forEachMark(_ add: (_ x: Int, _ y: Int) -> Void) {
        guard let finder = pedestal?.finder else { return }
        for i in 0..<finder.storedPhotonCount {
            let photon = finder.photon(at: i)
            add(photon.x, photon.y)
        }
    }

    static func compose(_ shares: ViewShares, pumpView: PumpView, pedestalView _: PedestalView) -> [Float] {
        ShareMath.totals(shares, pumpView: pumpView)
    }
}
