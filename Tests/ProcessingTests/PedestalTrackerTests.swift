import XCTest
@testable import Processing

/// The pedestal tracker against the naive rule (Double, per pixel), on Gaussian frames with a
/// known mean and σ, with photons excluded, masked pixels, constant frames and long runs.
final class PedestalTrackerTests: XCTestCase {
    private func paths() -> [KernelPath] {
        KernelPath.countingVariantsHere
    }

    /// Pedestal 5400 ± 100 per pixel plus Gaussian noise of σ.
    private struct DarkSource {
        var random: TestRandom
        let level: [Double]
        let sigma: Double

        init(pixels: Int, sigma: Double = 19, seed: UInt64) {
            random = TestRandom(seed: seed)
            var r = TestRandom(seed: seed &+ 99)
            level = (0..<pixels).map { _ in 5300 + Double(r.below(201)) }
            self.sigma = sigma
        }

        mutating func next() -> [Float] { level.map { Float(($0 + sigma * random.gaussian()).rounded()) } }
    }

    private func add(_ t: PedestalTracker, _ f: [Float], excluded: [UInt8]? = nil) throws {
        try f.withUnsafeBufferPointer { fp in
            if let excluded {
                try excluded.withUnsafeBufferPointer { try t.add(fp, excluding: $0) }
            } else {
                try t.addDark(fp)
            }
        }
    }

    private func subtract(_ t: PedestalTracker, _ f: [Float]) throws -> [Float] {
        var out = [Float](repeating: -1, count: f.count)
        try f.withUnsafeBufferPointer { fp in try out.withUnsafeMutableBufferPointer { try t.subtract(fp, into: $0) } }
        return out
    }

    func testMatchesNaiveRuleWithMasksAndExclusionsOnEveryVariant() throws {
        let pixels = 37
        var source = DarkSource(pixels: pixels, seed: 3)
        var random = TestRandom(seed: 4)
        let trackers = try paths().map { path -> PedestalTracker in
            let t = try PedestalTracker(width: pixels, height: 1, window: 20)
            t.path = path
            return t
        }
        var naive = NaivePedestal(pixels: pixels, window: 20)
        for frameIndex in 0..<60 {
            var f = source.next()
            for i in f.indices where random.below(10) == 0 { f[i] = .nan }
            let excluded = frameIndex % 3 == 0 ? nil : (0..<pixels).map { _ in UInt8(random.below(4) == 0 ? 1 : 0) }
            naive.add(f, excluded: excluded)
            for t in trackers { try add(t, f, excluded: excluded ?? [UInt8](repeating: 0, count: pixels)) }
        }
        for t in trackers {
            XCTAssertEqual(t.frames, 60)
            XCTAssertEqual(t.pixelFrames.map(Int.init), naive.count, "\(t.path)")
            for i in 0..<pixels {
                XCTAssertEqual(Double(t.mean[i]), naive.mean[i], accuracy: 1e-3, "mean \(i) \(t.path)")
                XCTAssertEqual(Double(t.variance[i]), naive.variance[i], accuracy: 1e-3 * naive.variance[i] + 1e-3,
                               "variance \(i) \(t.path)")
            }
            // The variants agree bit for bit.
            XCTAssertEqual(Array(t.mean), Array(trackers[0].mean))
            XCTAssertEqual(Array(t.variance), Array(trackers[0].variance))
        }
    }

    func testConvergesToTheTrueMeanAndSigmaOnGaussianFrames() throws {
        let pixels = 64
        var source = DarkSource(pixels: pixels, sigma: 19, seed: 11)
        let t = try PedestalTracker(width: 8, height: 8, window: 400)
        for _ in 0..<800 { try add(t, source.next()) }
        var sigmaSum = 0.0
        for i in 0..<pixels {
            // The window's mean scatters by σ·√(1/(2N−1)) ≈ 0.67 ADU.
            XCTAssertEqual(Double(t.mean[i]), source.level[i], accuracy: 3.5, "pixel \(i)")
            sigmaSum += Double(t.variance[i]).squareRoot()
        }
        XCTAssertEqual(sigmaSum / Double(pixels), 19, accuracy: 0.6)
        var sigma = [Float](repeating: 0, count: pixels)
        try sigma.withUnsafeMutableBufferPointer { try t.sigma(into: $0) }
        XCTAssertEqual(sigma, t.variance.map { $0.squareRoot() })
    }

    /// Float state over thousands of frames of 5400 ADU stays within 0.01 ADU of a Double
    /// computation of the same rule (sums of x² in Float would be off by whole ADU).
    func testFloatStateStaysCloseToDoubleOverALongRun() throws {
        var source = DarkSource(pixels: 4, seed: 21)
        let t = try PedestalTracker(width: 2, height: 2, window: 1000)
        var naive = NaivePedestal(pixels: 4, window: 1000)
        for _ in 0..<5000 {
            let f = source.next()
            try add(t, f)
            naive.add(f)
        }
        for i in 0..<4 {
            XCTAssertEqual(Double(t.mean[i]), naive.mean[i], accuracy: 0.01)
            XCTAssertEqual(Double(t.variance[i]).squareRoot(), naive.variance[i].squareRoot(), accuracy: 0.01)
        }
    }

    func testExcludedPixelsDoNotMoveAndOthersDo() throws {
        var source = DarkSource(pixels: 9, seed: 5)
        let t = try PedestalTracker(width: 3, height: 3, window: 100)
        for _ in 0..<100 { try add(t, source.next()) }
        XCTAssertTrue(t.isReady)
        let before = Array(t.mean), beforeVariance = Array(t.variance)
        var f = source.next()
        f[4] += 5000  // a photon, excluded with its neighbours in the top rows
        let excluded: [UInt8] = [1, 1, 1, 1, 1, 1, 0, 0, 0]
        try add(t, f, excluded: excluded)
        for i in 0..<6 {
            XCTAssertEqual(t.mean[i], before[i])
            XCTAssertEqual(t.variance[i], beforeVariance[i])
        }
        for i in 6..<9 { XCTAssertNotEqual(t.mean[i], before[i]) }
        XCTAssertEqual(t.pixelFrames[4], 100)
        XCTAssertEqual(t.frames, 101)
    }

    func testMaskedPixelsNeverUpdateNorCount() throws {
        let t = try PedestalTracker(width: 2, height: 1, window: 10)
        try add(t, [5400, .nan])
        try add(t, [5402, .nan])
        XCTAssertEqual(Array(t.mean), [5401, 0])
        XCTAssertEqual(Array(t.variance), [1, 0])
        XCTAssertEqual(Array(t.pixelFrames), [2, 0])
        XCTAssertEqual(t.frames, 2)
    }

    func testConstantAndExtremeFramesNeverGiveNegativeOrNaNVariance() throws {
        let t = try PedestalTracker(width: 3, height: 1, window: 7)
        for k in 0..<300 {
            // A constant pixel, a pixel jumping between the extremes of u16, a slowly rising pixel.
            try add(t, [5400, k % 2 == 0 ? 0 : 65535, 5400 + Float(k) * 0.001])
            XCTAssertTrue(t.variance.allSatisfy { $0 >= 0 && !$0.isNaN }, "frame \(k)")
            XCTAssertTrue(t.mean.allSatisfy { !$0.isNaN })
        }
        XCTAssertEqual(t.mean[0], 5400)
        XCTAssertEqual(t.variance[0], 0)
    }

    func testSubtractGivesNaNUntilThePixelIsReadyAndForMaskedPixels() throws {
        let t = try PedestalTracker(width: 3, height: 1, window: 4)
        XCTAssertEqual(t.readyFrames, 4)
        XCTAssertTrue(try subtract(t, [1, 2, 3]).allSatisfy(\.isNaN), "no pedestal yet")
        for _ in 0..<3 { try add(t, [100, 200, 300]) }
        XCTAssertFalse(t.isReady)
        XCTAssertTrue(try subtract(t, [1, 2, 3]).allSatisfy(\.isNaN))
        try add(t, [100, 200, .nan])
        XCTAssertTrue(t.isReady)
        let s = try subtract(t, [150, .nan, 310])
        XCTAssertEqual(s[0], 50)
        XCTAssertTrue(s[1].isNaN, "masked in this frame")
        XCTAssertTrue(s[2].isNaN, "pixel 2 has only 3 frames")
    }

    func testResetForgetsEverything() throws {
        let t = try PedestalTracker(width: 2, height: 2, window: 3)
        for _ in 0..<5 { try add(t, [1, 2, 3, 4]) }
        t.reset()
        XCTAssertEqual(t.frames, 0)
        XCTAssertFalse(t.isReady)
        XCTAssertEqual(Array(t.mean), [0, 0, 0, 0])
        XCTAssertEqual(Array(t.pixelFrames), [0, 0, 0, 0])
        try add(t, [9, 9, 9, 9])
        XCTAssertEqual(Array(t.mean), [9, 9, 9, 9], "the first frame after a reset is taken whole")
    }

    func testReadyFramesIsTheWindowCappedAtOneHundred() throws {
        XCTAssertEqual(try PedestalTracker(width: 1, height: 1, window: 1000).readyFrames, 100)
        XCTAssertEqual(try PedestalTracker(width: 1, height: 1, window: 30).readyFrames, 30)
    }

    func testBadSizesAndWindowsThrow() throws {
        XCTAssertThrowsError(try PedestalTracker(width: 4, height: -1)) {
            XCTAssertEqual($0 as? CountingError, .invalidSize(width: 4, height: -1))
        }
        XCTAssertThrowsError(try PedestalTracker(width: 4, height: 4, window: 0)) {
            XCTAssertEqual($0 as? CountingError, .invalidWindow(0))
        }
        let t = try PedestalTracker(width: 2, height: 2)
        XCTAssertThrowsError(try add(t, [1, 2, 3])) {
            XCTAssertEqual($0 as? CountingError, .wrongBufferSize(expected: 4, got: 3))
        }
        XCTAssertThrowsError(try add(t, [1, 2, 3, 4], excluded: [0])) {
            XCTAssertEqual($0 as? CountingError, .wrongBufferSize(expected: 4, got: 1))
        }
        XCTAssertEqual(t.frames, 0, "a refused frame changes nothing")
    }
}
