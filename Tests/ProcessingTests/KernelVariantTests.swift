import XCTest
@testable import Processing

/// Each C kernel variant (scalar twin, AVX2, and the run-time choice) against the naive
/// references, on sizes that leave vector tails, at the narrow-accumulator flush limits,
/// and with other mask values (where all-ones pixels are ordinary values).
final class KernelVariantTests: XCTestCase {
    private let frameSizes: [(Int, Int)] = [(1, 1), (3, 5), (17, 33), (400, 400), (1031, 7)]

    /// The variants that run distinct code here (without AVX2, `.avx2` would only repeat the scalar twin).
    private func paths() -> [KernelPath] {
        KernelPath.avx2Available ? [.scalar, .avx2, .best] : [.scalar, .best]
    }

    private func binMax<T: PixelValue>(_ p: [T], _ w: Int, _ h: Int, _ ow: Int, _ oh: Int, mask: T = .max,
                                       stats: Bool, path: KernelPath) -> ([Float], FrameStats?) {
        var out = [Float](repeating: -7, count: ow * oh)
        let s = p.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer {
                FrameKernels.binMaxBody(source, w, h, mask, $0, ow, oh, stats: stats, path: path)
            }
        }
        return (out, s)
    }

    /// Output sizes for a frame: scaled down like a display (about 120×80), to one pixel,
    /// to the same size, by uneven factors, and (small frames, to keep the naive reference
    /// quick) scaled up.
    private func outSizes(_ w: Int, _ h: Int) -> [(Int, Int)] {
        let down = [(min(w, 120), min(h, 80)), (1, 1), (w, h), (max(1, w / 3), max(1, h / 2))]
        return w * h <= 1000 ? down + [(w * 2 + 1, h * 3)] : down
    }

    private func checkStats<T: PixelValue>(_ p: [T], mask: T = .max, _ label: String) {
        let expected = naiveStats(p, mask: mask)
        for path in paths() {
            let s = p.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: mask, path: path) }
            XCTAssertEqual(s, expected, "\(label) \(path)")
        }
    }

    private func checkBinMax<T: PixelValue>(_ p: [T], _ w: Int, _ h: Int, mask: T = .max, _ label: String) {
        let expectedStats = naiveStats(p, mask: mask)
        for (ow, oh) in outSizes(w, h) {
            let expected = naiveBin(p, width: w, height: h, outWidth: ow, outHeight: oh, mean: false, mask: mask)
            for path in paths() {
                let (image, stats) = binMax(p, w, h, ow, oh, mask: mask, stats: true, path: path)
                XCTAssertTrue(sameFloats(image, expected), "\(label) \(w)x\(h)→\(ow)x\(oh) \(path)")
                XCTAssertEqual(stats, expectedStats, "\(label) \(w)x\(h)→\(ow)x\(oh) \(path)")
                let (plain, _) = binMax(p, w, h, ow, oh, mask: mask, stats: false, path: path)
                XCTAssertTrue(sameFloats(plain, expected), "\(label) no stats \(w)x\(h)→\(ow)x\(oh) \(path)")
            }
        }
    }

    func testStatsVariantsMatchNaiveOnSizesWithVectorTails() {
        for (k, (w, h)) in frameSizes.enumerated() {
            for masked in [5, 40] {
                let seed = UInt64(100 + k * 7 + masked)
                checkStats(randomFrame(UInt8.self, count: w * h, seed: seed, maskedPercent: masked), "u8 \(w)x\(h)")
                checkStats(randomFrame(UInt16.self, count: w * h, seed: seed, maskedPercent: masked), "u16 \(w)x\(h)")
                checkStats(randomFrame(UInt32.self, count: w * h, seed: seed, maskedPercent: masked), "u32 \(w)x\(h)")
            }
        }
    }

    func testStatsAndBinMaxVariantsMatchNaiveOnSizesWithVectorTails() {
        for (k, (w, h)) in frameSizes.enumerated() {
            let seed = UInt64(200 + k)
            checkBinMax(randomFrame(UInt8.self, count: w * h, seed: seed, maskedPercent: 30), w, h, "u8")
            checkBinMax(randomFrame(UInt16.self, count: w * h, seed: seed, maskedPercent: 30), w, h, "u16")
            checkBinMax(randomFrame(UInt32.self, count: w * h, seed: seed, maskedPercent: 30), w, h, "u32")
        }
    }

    /// With a mask other than all-ones, all-ones pixels are values: the largest there is.
    func testOtherMaskValuesKeepAllOnesPixelsInEveryVariant() {
        func fullRange<T: PixelValue>(_: T.Type, count: Int, seed: UInt64) -> [T] {
            var random = TestRandom(seed: seed)
            return (0..<count).map { _ in
                switch random.below(10) {
                case 0: T.max
                case 1: 0
                default: T(truncatingIfNeeded: random.next())
                }
            }
        }
        let (w, h) = (37, 21)
        let a = fullRange(UInt8.self, count: w * h, seed: 5)
        let b = fullRange(UInt16.self, count: w * h, seed: 6)
        let c = fullRange(UInt32.self, count: w * h, seed: 7)
        for (label, maskA, maskB, maskC) in [("zero", UInt8(0), UInt16(0), UInt32(0)),
                                             ("a value", a[3], b[3], c[3])] {
            checkStats(a, mask: maskA, "u8 mask \(label)")
            checkStats(b, mask: maskB, "u16 mask \(label)")
            checkStats(c, mask: maskC, "u32 mask \(label)")
            checkBinMax(a, w, h, mask: maskA, "u8 mask \(label)")
            checkBinMax(b, w, h, mask: maskB, "u16 mask \(label)")
            checkBinMax(c, w, h, mask: maskC, "u32 mask \(label)")
        }
    }

    /// Frames of the largest unmasked value, long enough to pass the lane flush limits
    /// several times (u16 sums: 32767 additions of 32-bit lanes; u8 counts: 255).
    func testLargestValuesSumExactlyPastTheLaneFlushLimits() {
        let count = 1_200_000
        let b = [UInt16](repeating: 0xFFFE, count: count)
        let a = [UInt8](repeating: 0xFE, count: count)
        let c = [UInt32](repeating: 0xFFFF_FFFE, count: 40_000)
        for path in paths() {
            let sb = b.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: .max, path: path) }
            XCTAssertEqual(sb, FrameStats(sum: Double(UInt64(count) * 0xFFFE), min: 0xFFFE, max: 0xFFFE, mean: 0xFFFE,
                                          masked: 0, count: count), "u16 \(path)")
            let sa = a.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: .max, path: path) }
            XCTAssertEqual(sa, FrameStats(sum: Double(UInt64(count) * 0xFE), min: 0xFE, max: 0xFE, mean: 0xFE,
                                          masked: 0, count: count), "u8 \(path)")
            let sc = c.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: .max, path: path) }
            XCTAssertEqual(sc.sum, Double(UInt64(c.count) * 0xFFFF_FFFE), "u32 \(path)")
        }
    }

    /// A tall frame binned to few rows: one band has more rows than a lane may take before
    /// it is flushed (u8 counts: 255; u16 sums: 32767), so bands are folded in chunks.
    func testTallBandsSumExactlyPastTheLaneFlushLimits() {
        let (w, h) = (35, 33_000)
        let b = [UInt16](repeating: 0xFFFE, count: w * h)
        var a = [UInt8](repeating: 0xFE, count: w * h)
        for y in 0..<h { a[y * w + 4] = .max }  // a masked column: one lane counts every row
        a[w * 32_999 + 34] = 3
        for path in paths() {
            let (imageB, statsB) = binMax(b, w, h, 2, 1, stats: true, path: path)
            XCTAssertEqual(imageB, [0xFFFE, 0xFFFE], "u16 \(path)")
            XCTAssertEqual(statsB, FrameStats(sum: Double(UInt64(w * h) * 0xFFFE), min: 0xFFFE, max: 0xFFFE,
                                              mean: 0xFFFE, masked: 0, count: w * h), "u16 \(path)")
            let (imageA, statsA) = binMax(a, w, h, 3, 2, stats: true, path: path)
            XCTAssertEqual(imageA, [0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE], "u8 \(path)")
            XCTAssertEqual(statsA, naiveStats(a), "u8 \(path)")
        }
    }

    func testAllMaskedFramesHaveNoValuesAndNaNBinsInEveryVariant() {
        let (w, h) = (67, 9)
        let a = [UInt8](repeating: .max, count: 40_000)
        let b = [UInt16](repeating: .max, count: w * h)
        let c = [UInt32](repeating: .max, count: w * h)
        for path in paths() {
            let sa = a.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: .max, path: path) }
            XCTAssertEqual(sa, FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: a.count, count: 0), "\(path)")
            for (ow, oh) in [(5, 3), (1, 1), (200, 20)] {
                let (imageB, statsB) = binMax(b, w, h, ow, oh, stats: true, path: path)
                XCTAssertTrue(imageB.allSatisfy(\.isNaN), "u16 \(ow)x\(oh) \(path)")
                XCTAssertEqual(statsB, FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: w * h, count: 0))
                let (imageC, _) = binMax(c, w, h, ow, oh, stats: false, path: path)
                XCTAssertTrue(imageC.allSatisfy(\.isNaN), "u32 \(ow)x\(oh) \(path)")
            }
        }
    }

    /// One unmasked pixel in a masked frame: exactly its bin has a value, wherever it sits.
    func testSingleUnmaskedPixelLightsOnlyItsBin() {
        let (w, h, ow, oh) = (50, 20, 7, 3)
        for (x, y) in [(0, 0), (49, 19), (31, 7), (48, 0), (15, 13)] {
            var p = [UInt16](repeating: .max, count: w * h)
            p[y * w + x] = 9
            let expected = naiveBin(p, width: w, height: h, outWidth: ow, outHeight: oh, mean: false)
            for path in paths() {
                let (image, stats) = binMax(p, w, h, ow, oh, stats: true, path: path)
                XCTAssertTrue(sameFloats(image, expected), "(\(x), \(y)) \(path)")
                XCTAssertEqual(image.filter { !$0.isNaN }, [9], "(\(x), \(y)) \(path)")
                XCTAssertEqual(stats, naiveStats(p), "(\(x), \(y)) \(path)")
            }
        }
    }

    func testEmptyBufferHasNoValues() {
        let empty = [UInt16]()
        for path in paths() {
            let s = empty.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: .max, path: path) }
            XCTAssertEqual(s, FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: 0, count: 0))
        }
    }
}
