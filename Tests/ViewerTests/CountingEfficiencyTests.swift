import Processing
import Simulator
import Foundation
import XCTest

/// The photon finder on simulated MOENCH frames with known photons (MoenchScene): the fraction
/// of true photons found and the false counts per frame, for n = 3…6, printed as a table.
///
/// Here and not in ProcessingTests (which may not see Simulator) nor SimulatorTests (which may
/// not import Processing): ViewerTests sees both.
///
/// The issue's goal at n = 4 (≥ 0.93 found, ≤ 10 false per frame) is not reachable on this scene
/// with the rule as specified, so it is not asserted (measured: 0.80 found, 21.5 false):
/// - 30% of photons share their charge, the main pixel keeping 50–85% of 110 ADU, i.e. often
///   below 4σ = 76 ADU, while a single photon never reaches the sum tests (3×3 > 228 ADU,
///   2×2 > 152 ADU). Without sharing the same finder finds 0.94.
/// - The scene's noise comes from a 65,536-entry table whose tail is heavier than Gaussian:
///   ~14 pixels per frame above 4σ instead of 5. The three tests together give ~10 false counts
///   per frame on Gaussian noise, ~19 on the scene's (measured with the true pedestal and σ).
/// What is asserted: more n finds fewer photons and fewer false ones, and the n = 4 figures stay
/// near what the scene's physics allows (unshared photons are 5.8σ: ≥ 0.75 found; ≤ 25 false).
final class CountingEfficiencyTests: XCTestCase {
    private let width = MoenchScene.width, height = MoenchScene.height

    /// What the worker does before processing: u16 to Float, the all-ones value to NaN.
    private func convert(_ raw: [UInt16], into out: inout [Float]) {
        for i in raw.indices { out[i] = raw[i] == 0xFFFF ? .nan : Float(raw[i]) }
    }

    /// Matches found photons to true ones within one pixel (Chebyshev), each true photon at most
    /// once, exact positions first. Returns (matched, unmatched found).
    private func match(found: [FoundPhoton], truth: [Photon]) -> (Int, Int) {
        var used = [Bool](repeating: false, count: truth.count)
        var matched = 0
        var pending: [FoundPhoton] = []
        for f in found {
            if let k = truth.indices.first(where: { !used[$0] && truth[$0].x == f.x && truth[$0].y == f.y }) {
                used[k] = true
                matched += 1
            } else {
                pending.append(f)
            }
        }
        var unmatched = 0
        for f in pending {
            if let k = truth.indices.first(where: { !used[$0] && max(abs(truth[$0].x - f.x), abs(truth[$0].y - f.y)) <= 1 }) {
                used[k] = true
                matched += 1
            } else {
                unmatched += 1
            }
        }
        return (matched, unmatched)
    }

    func testFoundAndFalseCountsFallWithSigmaAndStayNearTheScenesLimits() throws {
        let darkFrames = 200, lightFrames = 150
        var options = MoenchScene.Options()
        options.seed = 42
        options.deadPixels = 20
        var light = MoenchScene(options: options)
        options.photonsPerFrame = 0
        var dark = MoenchScene(options: options)  // same seed: same pedestal and dead pixels

        let tracker = try PedestalTracker(width: width, height: height, window: 1000)
        let sigmas: [Float] = [3, 4, 5, 6]
        let finders = try sigmas.map { n -> PhotonFinder in
            let f = try PhotonFinder(width: width, height: height, capacity: 1 << 14)
            f.sigma = n
            return f
        }
        let pedestalFinder = finders[1]  // n = 4 decides which pixels the pedestal skips

        var raw = [UInt16](repeating: 0, count: width * height)
        var frame = [Float](repeating: 0, count: width * height)
        var subtracted = [Float](repeating: 0, count: width * height)
        for i in 0..<darkFrames {
            _ = raw.withUnsafeMutableBufferPointer { dark.render(frameIndex: UInt64(i), into: $0) }
            convert(raw, into: &frame)
            try frame.withUnsafeBufferPointer { try tracker.addDark($0) }
        }
        XCTAssertTrue(tracker.isReady)

        var truePhotons = 0
        var matched = [Int](repeating: 0, count: sigmas.count)
        var falseCounts = [Int](repeating: 0, count: sigmas.count)
        // Frame 0 of the light scene repeats the dark scene's first noise (same generator state).
        for i in 0...lightFrames {
            let truth = raw.withUnsafeMutableBufferPointer { light.render(frameIndex: UInt64(i), into: $0) }
            guard i > 0 else { continue }
            convert(raw, into: &frame)
            try frame.withUnsafeBufferPointer { fp in
                try subtracted.withUnsafeMutableBufferPointer { try tracker.subtract(fp, into: $0) }
                for (k, finder) in finders.enumerated() {
                    try subtracted.withUnsafeBufferPointer { _ = try finder.find($0, variance: tracker.variance) }
                    XCTAssertLessThanOrEqual(finder.lastPhotonCount, finder.capacity)
                    let (m, u) = match(found: finder.lastPhotons, truth: truth)
                    matched[k] += m
                    falseCounts[k] += u
                }
                try tracker.add(fp, excluding: pedestalFinder.exclusion)
            }
            truePhotons += truth.count
        }

        var table = "n    found   false/frame   (\(truePhotons) true photons in \(lightFrames) frames)\n"
        for k in sigmas.indices {
            let found = Double(matched[k]) / Double(truePhotons)
            let falsePerFrame = Double(falseCounts[k]) / Double(lightFrames)
            table += "\(Int(sigmas[k]))    \(String(format: "%.4f", found))  \(String(format: "%8.2f", falsePerFrame))\n"
        }
        print(table)
        XCTAssertGreaterThan(truePhotons, lightFrames * 30)
        for k in 1..<sigmas.count {
            XCTAssertLessThan(matched[k], matched[k - 1], table)
            XCTAssertLessThan(falseCounts[k], falseCounts[k - 1], table)
        }
        XCTAssertGreaterThanOrEqual(Double(matched[1]) / Double(truePhotons), 0.75, table)
        XCTAssertLessThanOrEqual(Double(falseCounts[1]) / Double(lightFrames), 25, table)
    }
}
