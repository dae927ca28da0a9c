import XCTest
@testable import Processing

/// The per-frame counting pipeline: the order of its steps, the first frames before the
/// pedestal is ready, and the same result as the kernels called one by one.
final class CountingPipelineTests: XCTestCase {
    private func process(_ p: CountingPipeline, _ f: [Float], dark: Bool = false) throws -> Int {
        try f.withUnsafeBufferPointer { fp in
            if dark {
                try p.processDark(frame: fp)
                return 0
            }
            return try p.process(frame: fp)
        }
    }

    func testFirstFramesFindNothingAndFeedThePedestalUntilItIsReady() throws {
        let p = try CountingPipeline(width: 5, height: 5, window: 3)
        var f = [Float](repeating: 5400, count: 25)
        f[12] = 6000
        XCTAssertEqual(try process(p, f), 0, "first frame: no pedestal")
        XCTAssertTrue(p.subtracted.allSatisfy(\.isNaN))
        XCTAssertEqual(try process(p, f), 0)
        XCTAssertEqual(try process(p, f), 0)
        XCTAssertTrue(p.pedestal.isReady)
        XCTAssertEqual(p.pedestal.mean[12], 6000, "unready pixels take every frame, light or not")
        XCTAssertEqual(p.finder.countImage.reduce(0, +), 0)
    }

    func testPhotonIsCountedAndDoesNotMoveThePedestal() throws {
        let p = try CountingPipeline(width: 6, height: 5, window: 4)
        var random = TestRandom(seed: 8)
        func dark() -> [Float] { (0..<30).map { _ in 5400 + Float(random.below(21) - 10) } }
        for _ in 0..<4 { _ = try process(p, dark(), dark: true) }
        let before = Array(p.pedestal.mean)
        var f = dark()
        f[2 * 6 + 3] += 500
        XCTAssertEqual(try process(p, f), 1)
        XCTAssertEqual(p.finder.lastPhotons.map { [$0.x, $0.y] }, [[3, 2]])
        XCTAssertEqual(p.finder.countImage[2 * 6 + 3], 1)
        for y in 0..<5 {
            for x in 0..<6 {
                let i = y * 6 + x
                if abs(x - 3) <= 1 && abs(y - 2) <= 1 {
                    XCTAssertEqual(p.pedestal.mean[i], before[i], "(\(x), \(y)) is the photon's 3×3")
                } else {
                    XCTAssertNotEqual(p.pedestal.mean[i], before[i], "(\(x), \(y)) learns")
                }
            }
        }
    }

    func testMatchesTheKernelsCalledOneByOne() throws {
        let w = 20, h = 15
        var random = TestRandom(seed: 9)
        let frames: [[Float]] = (0..<40).map { _ in
            var f = (0..<(w * h)).map { _ in Float(5400 + 19 * random.gaussian()).rounded() }
            for _ in 0..<3 { f[random.below(w * h)] += 110 }
            f[random.below(w * h)] = .nan
            return f
        }
        let p = try CountingPipeline(width: w, height: h, window: 10)
        let tracker = try PedestalTracker(width: w, height: h, window: 10)
        let finder = try PhotonFinder(width: w, height: h)
        var s = [Float](repeating: 0, count: w * h)
        var total = 0
        for f in frames {
            total += try process(p, f)
            try f.withUnsafeBufferPointer { fp in
                try s.withUnsafeMutableBufferPointer { try tracker.subtract(fp, into: $0) }
                try s.withUnsafeBufferPointer { _ = try finder.find($0, variance: tracker.variance, accumulate: tracker.isReady) }
                try tracker.add(fp, excluding: finder.exclusion)
            }
            XCTAssertTrue(sameFloats(Array(p.subtracted), s))
            XCTAssertEqual(p.finder.lastPhotons, finder.lastPhotons)
        }
        XCTAssertEqual(Array(p.pedestal.mean), Array(tracker.mean))
        XCTAssertEqual(Array(p.finder.countImage), Array(finder.countImage))
        XCTAssertGreaterThan(total, 0, "the frames hold photons")
    }

    /// The scalar twin and the AVX2 and AVX-512 variants give the same pipeline, bit for bit, on
    /// non-integer frames (where summation order would show): widths with vector tails (8 and
    /// 16 lanes), several rows, masked pixels, photons (so exclusions), and a window short enough
    /// that counts reach it mid-run (both the dividing and the constant-reciprocal pedestal update
    /// run), through the pedestal becoming ready.
    func testVectorVariantsAgreeWithTheScalarTwinBitForBit() throws {
        let paths = KernelPath.countingVariantsHere
        try XCTSkipIf(paths.count < 3, "no vector variant on this CPU")
        for (w, h) in [(21, 37), (400, 40), (8, 1), (1, 9), (3, 3), (17, 16), (9, 17), (33, 5), (16, 16)] {
            var random = TestRandom(seed: UInt64(w * 1000 + h))
            let frames: [[Float]] = (0..<30).map { _ in
                var f = (0..<(w * h)).map { _ in Float(5400 + 19 * random.gaussian()) }
                for _ in 0..<max(1, w * h / 40) { f[random.below(w * h)] += 110 }
                f[random.below(w * h)] = .nan
                return f
            }
            func pipeline(_ path: KernelPath) throws -> CountingPipeline {
                let p = try CountingPipeline(width: w, height: h, window: 12)
                p.finder.path = path
                p.pedestal.path = path
                return p
            }
            for path in paths.dropFirst() {
                let (a, b) = (try pipeline(.scalar), try pipeline(path))
                let label = "\(w)x\(h) \(path)"
                for (k, f) in frames.enumerated() {
                    let found = try [a, b].map { try process($0, f, dark: k < 3) }
                    XCTAssertEqual(found[0], found[1], label)
                    XCTAssertTrue(sameFloats(Array(a.subtracted), Array(b.subtracted)), label)
                    XCTAssertEqual(a.finder.lastPhotons, b.finder.lastPhotons, label)
                    XCTAssertEqual(Array(a.finder.exclusion), Array(b.finder.exclusion), label)
                    XCTAssertTrue(sameFloats(Array(a.pedestal.mean), Array(b.pedestal.mean)), label)
                    XCTAssertTrue(sameFloats(Array(a.pedestal.variance), Array(b.pedestal.variance)), label)
                    XCTAssertEqual(Array(a.pedestal.pixelFrames), Array(b.pedestal.pixelFrames), label)
                }
                XCTAssertEqual(Array(a.finder.countImage), Array(b.finder.countImage), label)
                XCTAssertEqual(b.pedestal.pixelFrames.max(), 12, "\(label): counts reached the window")
                XCTAssertGreaterThan(b.finder.countImage.reduce(0, +), 0, "\(label): photons were counted")
            }
        }
    }
}
