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
        var truePhotons = 0
        var frames = 0
        var matched: [Int]
        var falseCounts: [Int]

        init(levels: Int) {
            matched = Array(repeating: 0, count: levels)
            falseCounts = Array(repeating: 0, count: levels)
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

    private func table(_ title: String, _ t: Tally) -> String {
        var s = "\(title): \(t.truePhotons) true photons in \(t.frames) frames\nn    found   false/frame\n"
        for k in sigmas.indices {
            s += "\(Int(sigmas[k]))    \(String(format: "%.4f", t.found(k)))  \(String(format: "%8.2f", t.falsePerFrame(k)))\n"
        }
        return s
    }

    func testFoundAndFalseCounts() throws {
        let env = ProcessInfo.processInfo.environment
        let darkFrames = Int(env["EFF_DARK"] ?? "") ?? 200, lightFrames = Int(env["EFF_LIGHT"] ?? "") ?? 150
        var options = MoenchScene.Options()
        options.seed = 42
        options.deadPixels = 20
        if let s = env["EFF_SHARE"], let v = Double(s) { options.chargeSharing = v }
        var light = MoenchScene(options: options)
        options.photonsPerFrame = 0
        var dark = MoenchScene(options: options)  // same seed: same pedestal and dead pixels

        let tracker = try PedestalTracker(width: width, height: height, window: 1000)
        func makeFinders() throws -> [PhotonFinder] {
            try sigmas.map { n in
                let f = try PhotonFinder(width: width, height: height, capacity: 1 << 14)
                f.sigma = n
                return f
            }
        }
        let learned = try makeFinders(), known = try makeFinders()
        let knownVariance = [Float](repeating: Float(options.noiseSigma * options.noiseSigma), count: width * height)

        var raw = [UInt16](repeating: 0, count: width * height)
        var frame = [Float](repeating: 0, count: width * height)
        var subtracted = [Float](repeating: 0, count: width * height)
        var trueSubtracted = [Float](repeating: 0, count: width * height)
        for i in 0..<darkFrames {
            _ = raw.withUnsafeMutableBufferPointer { dark.render(frameIndex: UInt64(i), into: $0) }
            convert(raw, into: &frame)
            try frame.withUnsafeBufferPointer { try tracker.addDark($0) }
        }
        XCTAssertTrue(tracker.isReady)

        var learnedTally = Tally(levels: sigmas.count), knownTally = Tally(levels: sigmas.count)
        func tally(_ finders: [PhotonFinder], _ s: [Float], _ variance: UnsafeBufferPointer<Float>, _ truth: [Photon], into t: inout Tally) throws {
            for (k, finder) in finders.enumerated() {
                try s.withUnsafeBufferPointer { _ = try finder.find($0, variance: variance) }
                XCTAssertLessThanOrEqual(finder.lastPhotonCount, finder.capacity)
                let (m, u) = match(found: finder.lastPhotons, truth: truth)
                t.matched[k] += m
                t.falseCounts[k] += u
            }
            t.truePhotons += truth.count
            t.frames += 1
        }
        // Frame 0 of the light scene repeats the dark scene's first noise (same generator state).
        for i in 0...lightFrames {
            let truth = raw.withUnsafeMutableBufferPointer { light.render(frameIndex: UInt64(i), into: $0) }
            guard i > 0 else { continue }
            convert(raw, into: &frame)
            for p in 0..<frame.count { trueSubtracted[p] = frame[p] - Float(light.pedestal[p]) }
            try knownVariance.withUnsafeBufferPointer { try tally(known, trueSubtracted, $0, truth, into: &knownTally) }
            try frame.withUnsafeBufferPointer { fp in
                try subtracted.withUnsafeMutableBufferPointer { try tracker.subtract(fp, into: $0) }
                try tally(learned, subtracted, tracker.variance, truth, into: &learnedTally)
                try tracker.add(fp, excluding: learned[1].exclusion)
            }
        }
        print(table("known pedestal", knownTally))
        print(table("learned pedestal (\(darkFrames) dark frames)", learnedTally))
    }
}
