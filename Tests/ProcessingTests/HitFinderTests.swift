import XCTest
@testable import Processing

/// The hit finder's contract written out plainly: documented tile samples, sorted medians,
/// a per-pixel bright test, depth-first 8-connected components seeded in row-major order.
struct NaiveHitFinder {
    let width: Int, height: Int, settings: HitFinder.Settings
    var background: [Float] = [], threshold: [Float] = []

    init(width: Int, height: Int, settings: HitFinder.Settings) {
        self.width = width
        self.height = height
        self.settings = settings
    }

    func tile(_ x: Int, _ y: Int) -> Int {
        let tilesX = (width + settings.tileSize - 1) / settings.tileSize
        return (y / settings.tileSize) * tilesX + x / settings.tileSize
    }

    static func lowerMedian(_ v: [Float]) -> Float { v.sorted()[(v.count - 1) / 2] }

    mutating func estimate(_ f: [Float]) {
        let t = settings.tileSize, step = max(1, t / 8)
        var estimates: [(bg: Float, sigma: Float)?] = []
        for y0 in stride(from: 0, to: height, by: t) {
            for x0 in stride(from: 0, to: width, by: t) {
                var samples: [Float] = []
                for y in stride(from: y0 + step / 2, to: min(height, y0 + t), by: step) {
                    for x in stride(from: x0 + step / 2, to: min(width, x0 + t), by: step) where !f[y * width + x].isNaN {
                        samples.append(f[y * width + x])
                    }
                }
                if samples.count < 8 {
                    estimates.append(nil)
                } else {
                    let m = Self.lowerMedian(samples)
                    let mad = Self.lowerMedian(samples.map { abs($0 - m) })
                    estimates.append((m, max(1.4826 * mad, settings.sigmaFloor)))
                }
            }
        }
        let good = estimates.compactMap { $0 }
        let fallback: (bg: Float, sigma: Float) = good.isEmpty
            ? (.nan, .nan) : (Self.lowerMedian(good.map(\.bg)), Self.lowerMedian(good.map(\.sigma)))
        background = estimates.map { ($0 ?? fallback).bg }
        threshold = estimates.map {
            let e = $0 ?? fallback
            let level = e.bg + settings.sigma * e.sigma
            return level.isNaN ? .infinity : level
        }
    }

    mutating func find(_ f: [Float]) -> (count: Int, peaks: [Peak]) {
        estimate(f)
        let bright = (0..<(width * height)).map { f[$0] > threshold[tile($0 % width, $0 / width)] }
        var seen = [Bool](repeating: false, count: width * height)
        var peaks: [Peak] = []
        for seed in 0..<(width * height) where bright[seed] && !seen[seed] {
            var stack = [seed], members: [Int] = []
            seen[seed] = true
            while let i = stack.popLast() {
                members.append(i)
                for dy in -1...1 {
                    for dx in -1...1 {
                        let x = i % width + dx, y = i / width + dy
                        guard x >= 0, x < width, y >= 0, y < height else { continue }
                        let j = y * width + x
                        if bright[j] && !seen[j] {
                            seen[j] = true
                            stack.append(j)
                        }
                    }
                }
            }
            guard members.count >= settings.minPixels else { continue }
            var w = 0.0, sx = 0.0, sy = 0.0
            for i in members {
                let e = Double(f[i]) - Double(background[tile(i % width, i / width)])
                w += e
                sx += e * (Double(i % width) + 0.5)
                sy += e * (Double(i / width) + 0.5)
            }
            peaks.append(Peak(x: sx / w, y: sy / w, pixels: members.count, intensity: w,
                              maxValue: members.map { f[$0] }.max()!))
        }
        return (peaks.count, peaks)
    }
}

final class HitFinderTests: XCTestCase {
    let flat = HitFinder.Settings(sigma: 5, sigmaFloor: 1, minPixels: 2, minPeaks: 2, tileSize: 16)

    /// The finder's result, after checking that the scalar scan finds the same as the vector one.
    func find(_ frame: [Float], _ w: Int, _ h: Int, _ settings: HitFinder.Settings) throws
        -> (result: HitFinder.Result, peaks: [Peak]) {
        let runs = try [KernelPath.best, .scalar].map { path in
            let finder = try HitFinder(width: w, height: h, settings: settings)
            finder.path = path
            let result = try frame.withUnsafeBufferPointer { try finder.find($0) }
            return (result: result, peaks: Array(finder.peaks))
        }
        XCTAssertEqual(runs[0].result, runs[1].result, "vector and scalar scans")
        XCTAssertEqual(runs[0].peaks, runs[1].peaks, "vector and scalar scans")
        return runs[0]
    }

    func assertSamePeaks(_ a: [Peak], _ b: [Peak], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (p, q) in zip(a, b) {
            XCTAssertEqual(p.pixels, q.pixels, file: file, line: line)
            XCTAssertEqual(p.maxValue, q.maxValue, file: file, line: line)
            XCTAssertEqual(p.x, q.x, accuracy: 1e-9, file: file, line: line)
            XCTAssertEqual(p.y, q.y, accuracy: 1e-9, file: file, line: line)
            XCTAssertEqual(p.intensity, q.intensity, accuracy: 1e-6, file: file, line: line)
        }
    }

    /// Noisy background 10…16 with 3×3 spots and single hot pixels, ~2% masked.
    func spottyFrame(_ w: Int, _ h: Int, seed: UInt64, spots: Int) -> [Float] {
        var random = TestRandom(seed: seed)
        var f = (0..<(w * h)).map { _ in Float(10 + random.below(7)) }
        for _ in 0..<spots {
            let cx = random.below(w), cy = random.below(h), peak = Float(100 + random.below(200))
            for dy in -1...1 {
                for dx in -1...1 where (0..<w).contains(cx + dx) && (0..<h).contains(cy + dy) {
                    f[(cy + dy) * w + cx + dx] = dx == 0 && dy == 0 ? peak : peak / 3
                }
            }
        }
        for _ in 0..<(w * h / 50) { f[random.below(w * h)] = .nan }
        for _ in 0..<5 { f[random.below(w * h)] = 400 }
        return f
    }

    func testPeaksMatchNaiveFinderOnRandomFrames() throws {
        for (seed, settings) in [(1, flat), (2, HitFinder.Settings(sigma: 3, minPixels: 1, minPeaks: 1, tileSize: 7)),
                                 (3, HitFinder.Settings(sigma: 4, minPixels: 3, minPeaks: 5, tileSize: 64))] {
            let (w, h) = (45, 31)
            let frame = spottyFrame(w, h, seed: UInt64(seed), spots: 12)
            var naive = NaiveHitFinder(width: w, height: h, settings: settings)
            let expected = naive.find(frame)
            let (result, peaks) = try find(frame, w, h, settings)
            XCTAssertGreaterThan(expected.count, 3, "the scene must have peaks to compare")
            XCTAssertEqual(result.peakCount, expected.count)
            XCTAssertEqual(result.isHit, expected.count >= settings.minPeaks)
            assertSamePeaks(peaks, expected.peaks)
        }
    }

    func testOddSizesAndTileSizesMatchTheNaiveFinder() throws {
        var random = TestRandom(seed: 77)
        for _ in 0..<60 {
            let w = 1 + random.below(23), h = 1 + random.below(17)
            let settings = HitFinder.Settings(sigma: Float(random.below(6)), sigmaFloor: Float(random.below(3)),
                                              minPixels: 1 + random.below(3), minPeaks: 1, tileSize: 1 + random.below(20))
            let frame = spottyFrame(w, h, seed: random.next(), spots: 1 + w * h / 40)
            var naive = NaiveHitFinder(width: w, height: h, settings: settings)
            let expected = naive.find(frame)
            let (result, peaks) = try find(frame, w, h, settings)
            XCTAssertEqual(result.peakCount, expected.count, "\(w)×\(h) \(settings)")
            assertSamePeaks(peaks, expected.peaks)
        }
    }

    func testSingleBrightSpotIsOnePeakAtItsCentre() throws {
        let frame = handFrame(width: 16, height: 16, spots: [(6, 9, 100), (7, 9, 100), (6, 10, 100), (7, 10, 100)])
        let (result, peaks) = try find(frame, 16, 16, flat)
        XCTAssertEqual(result, HitFinder.Result(peakCount: 1, isHit: false))
        XCTAssertEqual(peaks, [Peak(x: 7, y: 10, pixels: 4, intensity: 400, maxValue: 100)])
    }

    func testSpotOnTheCornerIsFound() throws {
        let frame = handFrame(width: 16, height: 16, spots: [(15, 15, 50), (14, 15, 30)])
        let (result, peaks) = try find(frame, 16, 16, flat)
        XCTAssertEqual(result.peakCount, 1)
        XCTAssertEqual(peaks[0].x, (50 * 15.5 + 30 * 14.5) / 80, accuracy: 1e-12)
        XCTAssertEqual(peaks[0].y, 15.5)
        XCTAssertEqual(peaks[0].maxValue, 50)
    }

    func testDiagonallyTouchingSpotsAreOnePeakAndSeparatedSpotsTwo() throws {
        let touching = handFrame(width: 16, height: 16, spots: [(3, 3, 90), (4, 3, 90), (5, 4, 90), (6, 4, 90)])
        XCTAssertEqual(try find(touching, 16, 16, flat).result.peakCount, 1)
        let apart = handFrame(width: 16, height: 16, spots: [(3, 3, 90), (4, 3, 90), (6, 4, 90), (7, 4, 90)])
        let (result, peaks) = try find(apart, 16, 16, flat)
        XCTAssertEqual(result, HitFinder.Result(peakCount: 2, isHit: true))
        XCTAssertEqual(peaks.map(\.pixels), [2, 2])
    }

    func testMaskedPixelInsideAPeakIsLeftOutButKeepsThePeakWhole() throws {
        var spots: [(x: Int, y: Int, v: Float)] = []
        for y in 4...6 { for x in 4...6 { spots.append((x, y, x == 5 && y == 5 ? .nan : 60)) } }
        let (result, peaks) = try find(handFrame(width: 16, height: 16, spots: spots), 16, 16, flat)
        XCTAssertEqual(result.peakCount, 1)
        XCTAssertEqual(peaks, [Peak(x: 5.5, y: 5.5, pixels: 8, intensity: 480, maxValue: 60)])
    }

    func testPeaksSmallerThanMinPixelsDoNotCount() throws {
        let frame = handFrame(width: 16, height: 16, spots: [(2, 2, 100), (10, 10, 100), (11, 10, 100)])
        XCTAssertEqual(try find(frame, 16, 16, flat).result.peakCount, 1)
        var single = flat
        single.minPixels = 1
        XCTAssertEqual(try find(frame, 16, 16, single).result.peakCount, 2)
    }

    func testPeakListIsCappedButTheCountIsTrue() throws {
        let spots = (0..<5).flatMap { k -> [(x: Int, y: Int, v: Float)] in [(1, 3 * k, 80), (2, 3 * k, 80)] }
        var settings = flat
        settings.maxStoredPeaks = 2
        let (result, peaks) = try find(handFrame(width: 16, height: 16, spots: spots), 16, 16, settings)
        XCTAssertEqual(result.peakCount, 5)
        XCTAssertEqual(peaks.map(\.y), [0.5, 3.5], "the first peaks in scan order are kept")
    }

    func testThresholdFollowsTheLocalBackground() throws {
        // Left half at 0, right half at 100 (a gradient a per-frame median would call peaks).
        var frame = (0..<(32 * 16)).map { $0 % 32 < 16 ? Float(0) : 100 }
        frame[5 * 32 + 3] = 50
        frame[5 * 32 + 4] = 50
        frame[9 * 32 + 20] = 150
        frame[9 * 32 + 21] = 150
        let finder = try HitFinder(width: 32, height: 16, settings: flat)
        let result = try frame.withUnsafeBufferPointer { try finder.find($0) }
        XCTAssertEqual(result.peakCount, 2)
        XCTAssertEqual(finder.tileEstimate(x: 0, y: 0)?.background, 0)
        XCTAssertEqual(finder.tileEstimate(x: 31, y: 15)?.background, 100)
        XCTAssertEqual(finder.tileEstimate(x: 31, y: 15)?.threshold, 105, "σ floor 1, n = 5")
        XCTAssertEqual(Array(finder.peaks).map(\.intensity), [100, 100], "intensity is above the local background")
    }

    func testAllMaskedFrameHasNoPeaksAndInfiniteThresholds() throws {
        let finder = try HitFinder(width: 8, height: 8, settings: flat)
        let frame = [Float](repeating: .nan, count: 64)
        XCTAssertEqual(try frame.withUnsafeBufferPointer { try finder.find($0) }, HitFinder.Result(peakCount: 0, isHit: false))
        XCTAssertEqual(finder.tileEstimate(x: 3, y: 3)?.threshold, .infinity)
    }

    func testTileWithTooFewValidSamplesUsesTheOtherTiles() throws {
        // Tile 0 fully masked but for a 2-pixel spot; tile 1 gives background 0 and σ 1.
        var frame = (0..<(16 * 8)).map { $0 % 16 < 8 ? Float.nan : 0 }
        frame[3 * 16 + 2] = 40
        frame[3 * 16 + 3] = 40
        let settings = HitFinder.Settings(sigma: 5, minPixels: 2, minPeaks: 1, tileSize: 8)
        let (result, _) = try find(frame, 16, 8, settings)
        XCTAssertEqual(result, HitFinder.Result(peakCount: 1, isHit: true))
    }

    func testOnePixelImageHasNoBackgroundSoNoPeak() throws {
        var settings = flat
        settings.minPixels = 1
        XCTAssertEqual(try find([1000], 1, 1, settings).result.peakCount, 0)
    }

    func testSecondFrameIsNotDisturbedByTheFirst() throws {
        let finder = try HitFinder(width: 16, height: 16, settings: flat)
        let first = handFrame(width: 16, height: 16, spots: [(3, 3, 90), (4, 3, 90)])
        let second = handFrame(width: 16, height: 16, spots: [(3, 3, 90), (4, 3, 90), (9, 9, 90), (9, 10, 90)])
        XCTAssertEqual(try first.withUnsafeBufferPointer { try finder.find($0) }.peakCount, 1)
        XCTAssertEqual(try second.withUnsafeBufferPointer { try finder.find($0) }.peakCount, 2)
        XCTAssertEqual(try first.withUnsafeBufferPointer { try finder.find($0) }.peakCount, 1)
        XCTAssertEqual(finder.peaks.count, 1)
    }

    func testBadSettingsAndFrameSizesAreTypedErrors() {
        let bad: [HitFinder.Settings] = [
            .init(sigma: .nan), .init(sigma: -1), .init(sigmaFloor: .infinity), .init(minPixels: 0),
            .init(minPeaks: 0), .init(tileSize: 0), .init(maxStoredPeaks: -1),
        ]
        for settings in bad {
            XCTAssertThrowsError(try HitFinder(width: 4, height: 4, settings: settings)) { error in
                guard case AnalysisError.invalidSetting = error else { return XCTFail("\(error)") }
            }
        }
        XCTAssertThrowsError(try find([1, 2], 4, 4, flat)) { error in
            XCTAssertEqual(error as? AnalysisError, .frameSizeMismatch(expected: 16, actual: 2))
        }
    }

    /// The viewer's keys retune σ and the minimum peaks between frames: the next `find` uses
    /// them; a value the settings refuse is an error and leaves the old ones.
    func testRetuneChangesTheNextFramesPeaksAndHitDecision() throws {
        let (w, h) = (32, 32)
        var frame = [Float](repeating: 2, count: w * h)
        for (x, y) in [(5, 5), (20, 8), (10, 25)] { frame[y * w + x] = 100; frame[y * w + x + 1] = 100 }
        let finder = try HitFinder(width: w, height: h, settings: HitFinder.Settings(sigma: 6, minPixels: 2, minPeaks: 3))
        func find() throws -> HitFinder.Result { try frame.withUnsafeBufferPointer { try finder.find($0) } }
        XCTAssertEqual(try find(), HitFinder.Result(peakCount: 3, isHit: true))
        try finder.retune(sigma: 6, minPeaks: 4)
        XCTAssertEqual(try find(), HitFinder.Result(peakCount: 3, isHit: false))
        try finder.retune(sigma: 500, minPeaks: 4)
        XCTAssertEqual(try find(), HitFinder.Result(peakCount: 0, isHit: false))
        XCTAssertThrowsError(try finder.retune(sigma: 6, minPeaks: 0))
        XCTAssertEqual(finder.settings.sigma, 500, "a refused retune changes nothing")
        XCTAssertEqual(finder.settings.minPeaks, 4)
    }
}
