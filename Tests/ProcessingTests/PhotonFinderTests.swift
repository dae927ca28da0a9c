import XCTest
@testable import Processing

/// The counting finder against the naive rule (CountingReference.swift) on random frames, and
/// on hand-made frames that pin each part of the rule: the three nσ tests, the tie rule, the
/// clipped borders, masked pixels, σ = 0, and the exclusion map the pedestal needs.
final class PhotonFinderTests: XCTestCase {
    private func paths() -> [KernelPath] {
        KernelPath.countingVariantsHere
    }

    /// An empty w×h frame of zeros, variance σ² everywhere, with the given pixels set.
    private func frame(_ w: Int, _ h: Int, sigma: Float = 10, _ pixels: [(Int, Int, Float)]) -> ([Float], [Float]) {
        var s = [Float](repeating: 0, count: w * h)
        for (x, y, v) in pixels { s[y * w + x] = v }
        return (s, [Float](repeating: sigma * sigma, count: w * h))
    }

    private func positions(_ photons: [FoundPhoton]) -> [[Int]] { photons.map { [$0.x, $0.y] } }

    private func find(_ w: Int, _ h: Int, _ f: ([Float], [Float]), n: Float = 4) throws -> [FoundPhoton] {
        let finder = try PhotonFinder(width: w, height: h)
        finder.sigma = n
        return try findPhotons(finder, f.0, variance: f.1)
    }

    func testRandomFramesMatchNaiveRuleOnEveryVariant() throws {
        let sizes = [(1, 1), (2, 2), (3, 5), (17, 9), (64, 48), (9, 1), (1, 7)]
        for (k, (w, h)) in sizes.enumerated() {
            var random = TestRandom(seed: UInt64(500 + k))
            // Integer values and integer σ: every sum and square is exact, in any order.
            var s = (0..<(w * h)).map { _ in Float(random.below(81) - 40) }
            for _ in 0..<max(1, w * h / 30) { s[random.below(w * h)] = Float(60 + random.below(120)) }
            for i in s.indices where random.below(20) == 0 { s[i] = .nan }
            let variance = (0..<(w * h)).map { _ in Float(random.below(21) * random.below(21)) }
            for n: Float in [3, 3.5, 4, 6] {
                let expected = naivePhotons(s, variance: variance, width: w, height: h, n: Double(n), minimumSigma: 1)
                for path in paths() {
                    let finder = try PhotonFinder(width: w, height: h)
                    finder.sigma = n
                    finder.path = path
                    let found = try findPhotons(finder, s, variance: variance)
                    XCTAssertEqual(found, expected, "\(w)x\(h) n=\(n) \(path)")
                    var image = [UInt32](repeating: 0, count: w * h)
                    for p in expected { image[p.y * w + p.x] += 1 }
                    XCTAssertEqual(Array(finder.countImage), image, "\(w)x\(h) n=\(n) \(path)")
                }
            }
        }
    }

    func testSinglePhotonCountsOnceAtItsPixel() throws {
        let found = try find(7, 6, frame(7, 6, [(3, 2, 110)]))
        XCTAssertEqual(found, [FoundPhoton(x: 3, y: 2, value: 110)])
    }

    func testPhotonsOnEdgesAndCornersAreFound() throws {
        let spots: [(Int, Int, Float)] = [(0, 0, 100), (4, 0, 100), (9, 0, 100), (0, 4, 100), (9, 4, 100), (0, 9, 100), (9, 9, 100)]
        let found = try find(10, 10, frame(10, 10, spots))
        XCTAssertEqual(positions(found), [[0, 0], [4, 0], [9, 0], [0, 4], [9, 4], [0, 9], [9, 9]])
    }

    func testAdjacentPhotonsGiveOneCountAtTheLargerAndSeparatedByOneGiveTwo() throws {
        XCTAssertEqual(positions(try find(8, 8, frame(8, 8, [(3, 3, 100), (4, 3, 120)]))), [[4, 3]])
        XCTAssertEqual(positions(try find(8, 8, frame(8, 8, [(3, 3, 100), (4, 4, 120)]))), [[4, 4]])
        XCTAssertEqual(positions(try find(8, 8, frame(8, 8, [(2, 3, 100), (4, 3, 120)]))), [[2, 3], [4, 3]])
    }

    func testFlatPairOfEqualMaximaCountsOnceAtTheFirst() throws {
        XCTAssertEqual(positions(try find(6, 6, frame(6, 6, [(2, 2, 100), (3, 2, 100)]))), [[2, 2]])
        XCTAssertEqual(positions(try find(6, 6, frame(6, 6, [(2, 2, 100), (2, 3, 100)]))), [[2, 2]])
        XCTAssertEqual(positions(try find(6, 6, frame(6, 6, [(3, 2, 100), (2, 3, 100)]))), [[3, 2]])
    }

    func testChargeSharedPhotonCountsOnce() throws {
        let shared3x3: [(Int, Int, Float)] = [(4, 4, 60), (3, 3, 5), (4, 3, 8), (5, 3, 6), (3, 4, 9), (5, 4, 7),
                                              (3, 5, 4), (4, 5, 6), (5, 5, 5)]
        XCTAssertEqual(positions(try find(9, 9, frame(9, 9, shared3x3))), [[4, 4]])
        let shared2x2: [(Int, Int, Float)] = [(4, 4, 45), (5, 4, 30), (4, 5, 20), (5, 5, 15)]
        XCTAssertEqual(positions(try find(9, 9, frame(9, 9, shared2x2))), [[4, 4]])
    }

    /// σ = 10, n = 4: the pixel test needs > 40, the 2×2 test > 80, the 3×3 test > 120.
    func testEachSigmaTestAloneFindsItsPhoton() throws {
        // Only the 2×2 test: 4 × 30 = 120 > 80; 3×3 sum 120 is not > 120; 30 < 40.
        XCTAssertEqual(positions(try find(6, 6, frame(6, 6, [(2, 2, 30), (3, 2, 30), (2, 3, 30), (3, 3, 30)]))), [[2, 2]])
        // Only the 3×3 test: 15 + 8·14 = 127 > 120; best 2×2 = 57; 15 < 40.
        var cloud: [(Int, Int, Float)] = []
        for y in 2...4 { for x in 2...4 { cloud.append((x, y, x == 3 && y == 3 ? 15 : 14)) } }
        XCTAssertEqual(positions(try find(7, 7, frame(7, 7, cloud))), [[3, 3]])
        // Only the pixel test: 41 alone.
        XCTAssertEqual(positions(try find(5, 5, frame(5, 5, [(2, 2, 41)]))), [[2, 2]])
        // Just below every test: nothing.
        XCTAssertEqual(try find(5, 5, frame(5, 5, [(2, 2, 40)])), [])
    }

    func testMaskedPixelCountsAsZeroAndIsNeverAPhoton() throws {
        // A masked neighbour does not hide the photon.
        XCTAssertEqual(positions(try find(7, 7, frame(7, 7, [(3, 3, 50), (2, 3, .nan)]))), [[3, 3]])
        // Nor does it poison the sums: 20 + 7 · 15 = 125 > 120 passes the 3×3 test alone.
        var cloud: [(Int, Int, Float)] = []
        for y in 2...4 { for x in 2...4 { cloud.append((x, y, x == 3 && y == 3 ? 20 : 15)) } }
        cloud.append((4, 4, .nan))
        XCTAssertEqual(positions(try find(7, 7, frame(7, 7, cloud))), [[3, 3]])
        // A masked pixel amid charge (its window sums to 240) is not counted; the first of the
        // ring around it is (its 2×2 holds 90 > 80).
        var ring: [(Int, Int, Float)] = [(3, 3, .nan)]
        for y in 2...4 { for x in 2...4 where x != 3 || y != 3 { ring.append((x, y, 30)) } }
        XCTAssertEqual(positions(try find(7, 7, frame(7, 7, ring))), [[2, 2]])
    }

    func testZeroSigmaIsFlooredAtTheMinimumSigma() throws {
        let finder = try PhotonFinder(width: 5, height: 5)
        var s = [Float](repeating: 0, count: 25)
        let zero = [Float](repeating: 0, count: 25)
        s[12] = 3.9  // below 4 · 1 ADU
        XCTAssertEqual(try findPhotons(finder, s, variance: zero), [])
        s[12] = 4.5
        XCTAssertEqual(positions(try findPhotons(finder, s, variance: zero)), [[2, 2]])
        finder.minimumSigma = 2
        XCTAssertEqual(try findPhotons(finder, s, variance: zero), [])
    }

    func testAllMaskedFindsNothingAndLeavesNoExclusion() throws {
        let finder = try PhotonFinder(width: 4, height: 3)
        let s = [Float](repeating: .nan, count: 12)
        XCTAssertEqual(try findPhotons(finder, s, variance: [Float](repeating: 0, count: 12)), [])
        XCTAssertEqual(finder.lastPhotonCount, 0)
        XCTAssertEqual(Array(finder.exclusion), [UInt8](repeating: 0, count: 12))
    }

    func testOneByOneAndTwoByTwoImages() throws {
        XCTAssertEqual(positions(try find(1, 1, frame(1, 1, [(0, 0, 41)]))), [[0, 0]])
        XCTAssertEqual(try find(1, 1, frame(1, 1, [(0, 0, 40)])), [])
        XCTAssertEqual(positions(try find(2, 2, frame(2, 2, [(1, 1, 50), (0, 0, 20)]))), [[1, 1]])
        // The whole 2×2 is one window: one count even when every pixel holds charge.
        XCTAssertEqual(positions(try find(2, 2, frame(2, 2, [(0, 0, 30), (1, 0, 31), (0, 1, 29), (1, 1, 30)]))), [[1, 0]])
    }

    func testExclusionMarksEachPhotonsClippedNeighbourhoodAndIsRewrittenEachFrame() throws {
        let finder = try PhotonFinder(width: 5, height: 4)
        var f = frame(5, 4, [(0, 0, 100), (3, 2, 100)])
        try findPhotons(finder, f.0, variance: f.1)
        let expected: [UInt8] = [1, 1, 0, 0, 0,
                                 1, 1, 1, 1, 1,
                                 0, 0, 1, 1, 1,
                                 0, 0, 1, 1, 1]
        XCTAssertEqual(Array(finder.exclusion), expected)
        f = frame(5, 4, [])
        try findPhotons(finder, f.0, variance: f.1)
        XCTAssertEqual(Array(finder.exclusion), [UInt8](repeating: 0, count: 20))
    }

    func testListIsCappedButTheCountIsNot() throws {
        let finder = try PhotonFinder(width: 9, height: 3, capacity: 2)
        let f = frame(9, 3, [(0, 1, 100), (2, 1, 100), (4, 1, 100), (6, 1, 100), (8, 1, 100)])
        let stored = try findPhotons(finder, f.0, variance: f.1)
        XCTAssertEqual(finder.lastPhotonCount, 5)
        XCTAssertEqual(positions(stored), [[0, 1], [2, 1]])
        XCTAssertEqual(finder.countImage.reduce(0, +), 5)
    }

    func testCountImageAccumulatesOnlyWhenAskedAndClears() throws {
        let finder = try PhotonFinder(width: 5, height: 5)
        let f = frame(5, 5, [(1, 1, 100)])
        try findPhotons(finder, f.0, variance: f.1)
        try findPhotons(finder, f.0, variance: f.1)
        try findPhotons(finder, f.0, variance: f.1, accumulate: false)
        XCTAssertEqual(finder.countImage[6], 2)
        XCTAssertEqual(finder.accumulatedFrames, 2)
        XCTAssertEqual(finder.lastPhotonCount, 1)
        finder.clear()
        XCTAssertEqual(Array(finder.countImage), [UInt32](repeating: 0, count: 25))
        XCTAssertEqual(finder.accumulatedFrames, 0)
        finder.countsPhotons = false
        XCTAssertEqual(try findPhotons(finder, f.0, variance: f.1).count, 1, "still found and listed")
        XCTAssertEqual(Array(finder.countImage), [UInt32](repeating: 0, count: 25), "but not counted")
    }

    func testBadSizesThrow() throws {
        XCTAssertThrowsError(try PhotonFinder(width: 0, height: 5)) {
            XCTAssertEqual($0 as? CountingError, .invalidSize(width: 0, height: 5))
        }
        let finder = try PhotonFinder(width: 3, height: 3)
        XCTAssertThrowsError(try findPhotons(finder, [Float](repeating: 0, count: 8), variance: [Float](repeating: 0, count: 9))) {
            XCTAssertEqual($0 as? CountingError, .wrongBufferSize(expected: 9, got: 8))
        }
    }
}
