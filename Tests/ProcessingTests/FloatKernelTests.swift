import XCTest
@testable import Processing

/// A Float frame of half-integers in [-1000, 1000) (sums of them are exact in Double in any
/// order, so the references need not follow the kernels' order) with ~`nanPercent`% NaN.
func randomFloatFrame(count: Int, seed: UInt64, nanPercent: Int = 20, negativeOnly: Bool = false) -> [Float] {
    var random = TestRandom(seed: seed)
    return (0..<count).map { _ in
        if random.below(100) < nanPercent { return .nan }
        let v = Float(random.below(4000)) / 2 - 1000
        return negativeOnly ? -abs(v) - 1 : v
    }
}

func naiveFloatStats(_ p: [Float]) -> FrameStats {
    let kept = p.filter { !$0.isNaN }
    guard !kept.isEmpty else { return FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: p.count, count: 0) }
    let sum = kept.reduce(0.0) { $0 + Double($1) }
    return FrameStats(sum: sum, min: Double(kept.min()!), max: Double(kept.max()!), mean: sum / Double(kept.count),
                      masked: p.count - kept.count, count: kept.count)
}

/// The binning contract written out directly for Float frames, NaN masked.
func naiveFloatBin(_ p: [Float], width: Int, height: Int, outWidth: Int, outHeight: Int, mean: Bool) -> [Float] {
    var out = [Float](repeating: 0, count: outWidth * outHeight)
    for j in 0..<outHeight {
        let y0 = j * height / outHeight, y1 = max(y0 + 1, (j + 1) * height / outHeight)
        for i in 0..<outWidth {
            let x0 = i * width / outWidth, x1 = max(x0 + 1, (i + 1) * width / outWidth)
            var values: [Double] = []
            for y in y0..<y1 {
                for x in x0..<x1 where !p[y * width + x].isNaN { values.append(Double(p[y * width + x])) }
            }
            out[j * outWidth + i] = values.isEmpty ? .nan
                : mean ? Float(values.reduce(0, +) / Double(values.count)) : Float(values.max()!)
        }
    }
    return out
}

final class FloatKernelTests: XCTestCase {
    private let sizePairs: [(Int, Int, Int, Int)] = [
        (40, 30, 10, 10), (37, 23, 5, 7), (100, 7, 33, 7), (17, 19, 17, 19),
        (5, 4, 13, 11), (3, 9, 7, 2), (1, 1, 3, 2), (64, 48, 1, 1),
    ]

    private func run(_ p: [Float], _ ow: Int, _ oh: Int,
                     _ kernel: (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
        var out = [Float](repeating: -7, count: ow * oh)
        p.withUnsafeBufferPointer { source in out.withUnsafeMutableBufferPointer { kernel(source, $0) } }
        return out
    }

    func testStatsMatchANaiveLoopWithNaNMasked() {
        for (k, count) in [0, 1, 7, 1000, 4099].enumerated() {
            let p = randomFloatFrame(count: count, seed: UInt64(k + 1))
            XCTAssertEqual(p.withUnsafeBufferPointer { FrameKernels.stats($0) }, naiveFloatStats(p), "\(count) pixels")
        }
    }

    func testBinMaxAndBinMeanMatchTheNaiveReference() {
        for (k, (w, h, ow, oh)) in sizePairs.enumerated() {
            let p = randomFloatFrame(count: w * h, seed: UInt64(k + 7))
            let max = run(p, ow, oh) { FrameKernels.binMax($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            let mean = run(p, ow, oh) { FrameKernels.binMean($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            XCTAssertTrue(sameFloats(max, naiveFloatBin(p, width: w, height: h, outWidth: ow, outHeight: oh, mean: false)),
                          "max \(w)x\(h)→\(ow)x\(oh)")
            XCTAssertTrue(sameFloats(mean, naiveFloatBin(p, width: w, height: h, outWidth: ow, outHeight: oh, mean: true)),
                          "mean \(w)x\(h)→\(ow)x\(oh)")
        }
    }

    /// A max that starts from 0 instead of "nothing yet" would show negative frames as 0.
    func testBinMaxOfAllNegativePixelsIsNegative() {
        let p = randomFloatFrame(count: 24 * 12, seed: 3, nanPercent: 10, negativeOnly: true)
        let out = run(p, 6, 4) { FrameKernels.binMax($0, width: 24, height: 12, into: $1, outWidth: 6, outHeight: 4) }
        XCTAssertTrue(out.allSatisfy { $0 < 0 }, "\(out)")
        XCTAssertTrue(sameFloats(out, naiveFloatBin(p, width: 24, height: 12, outWidth: 6, outHeight: 4, mean: false)))
    }

    func testCombinedKernelsGiveTheStatsAndTheImageOfTheSeparateOnes() {
        for (k, (w, h, ow, oh)) in sizePairs.enumerated() {
            let p = randomFloatFrame(count: w * h, seed: UInt64(k + 17))
            var statsMax: FrameStats?, statsMean: FrameStats?
            let imageMax = run(p, ow, oh) { statsMax = FrameKernels.statsAndBinMax($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            let imageMean = run(p, ow, oh) { statsMean = FrameKernels.statsAndBinMean($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            XCTAssertEqual(statsMax, naiveFloatStats(p), "max \(w)x\(h)→\(ow)x\(oh)")
            XCTAssertEqual(statsMean, naiveFloatStats(p), "mean \(w)x\(h)→\(ow)x\(oh)")
            XCTAssertTrue(sameFloats(imageMax, naiveFloatBin(p, width: w, height: h, outWidth: ow, outHeight: oh, mean: false)))
            XCTAssertTrue(sameFloats(imageMean, naiveFloatBin(p, width: w, height: h, outWidth: ow, outHeight: oh, mean: true)))
        }
    }

    func testAllNaNFrameHasNaNBinsAndNaNExtremes() {
        let p = [Float](repeating: .nan, count: 12)
        var stats: FrameStats?
        let out = run(p, 2, 2) { stats = FrameKernels.statsAndBinMax($0, width: 4, height: 3, into: $1, outWidth: 2, outHeight: 2) }
        XCTAssertTrue(out.allSatisfy(\.isNaN))
        XCTAssertEqual(stats, FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: 12, count: 0))
    }

    func testInvalidGeometryWritesNothing() {
        let p = [Float](repeating: 1, count: 12)
        let tooSmallOut = run(p, 2, 2) { XCTAssertFalse(FrameKernels.binMax($0, width: 4, height: 3, into: $1, outWidth: 3, outHeight: 2)) }
        XCTAssertEqual(tooSmallOut, [-7, -7, -7, -7])
        let frameTooSmall = run(p, 2, 2) { XCTAssertNil(FrameKernels.statsAndBinMean($0, width: 4, height: 4, into: $1, outWidth: 2, outHeight: 2)) }
        XCTAssertEqual(frameTooSmall, [-7, -7, -7, -7])
        _ = run(p, 1, 1) { XCTAssertFalse(FrameKernels.binMean($0, width: 0, height: 3, into: $1, outWidth: 1, outHeight: 1)) }
    }
}
