import XCTest
@testable import Processing

final class BinningTests: XCTestCase {
    private let sizePairs: [(Int, Int, Int, Int)] = [
        (40, 30, 10, 10), (37, 23, 5, 7), (100, 7, 33, 7), (17, 19, 17, 19),
        (5, 4, 13, 11), (3, 9, 7, 2), (1, 1, 3, 2), (64, 48, 1, 1),
    ]

    private func bin<T: FixedWidthInteger & UnsignedInteger>(
        _ p: [T], _ w: Int, _ h: Int, _ ow: Int, _ oh: Int,
        _ kernel: (UnsafeBufferPointer<T>, UnsafeMutableBufferPointer<Float>) -> Void
    ) -> [Float] {
        var out = [Float](repeating: -7, count: ow * oh)
        p.withUnsafeBufferPointer { source in out.withUnsafeMutableBufferPointer { kernel(source, $0) } }
        return out
    }

    func testBinMaxMatchesNaiveReference() {
        for (k, (w, h, ow, oh)) in sizePairs.enumerated() {
            let a = randomFrame(UInt8.self, count: w * h, seed: UInt64(k + 1), maskedPercent: 20)
            let b = randomFrame(UInt16.self, count: w * h, seed: UInt64(k + 11), maskedPercent: 20)
            let c = randomFrame(UInt32.self, count: w * h, seed: UInt64(k + 21), maskedPercent: 20)
            let ra = bin(a, w, h, ow, oh) { FrameKernels.binMax($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            let rb = bin(b, w, h, ow, oh) { FrameKernels.binMax($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            let rc = bin(c, w, h, ow, oh) { FrameKernels.binMax($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            XCTAssertTrue(sameFloats(ra, naiveBin(a, width: w, height: h, outWidth: ow, outHeight: oh, mean: false)), "u8 \(w)x\(h)→\(ow)x\(oh)")
            XCTAssertTrue(sameFloats(rb, naiveBin(b, width: w, height: h, outWidth: ow, outHeight: oh, mean: false)), "u16 \(w)x\(h)→\(ow)x\(oh)")
            XCTAssertTrue(sameFloats(rc, naiveBin(c, width: w, height: h, outWidth: ow, outHeight: oh, mean: false)), "u32 \(w)x\(h)→\(ow)x\(oh)")
        }
    }

    func testBinMeanMatchesNaiveReference() {
        for (k, (w, h, ow, oh)) in sizePairs.enumerated() {
            let a = randomFrame(UInt8.self, count: w * h, seed: UInt64(k + 31), maskedPercent: 20)
            let b = randomFrame(UInt16.self, count: w * h, seed: UInt64(k + 41), maskedPercent: 20)
            let c = randomFrame(UInt32.self, count: w * h, seed: UInt64(k + 51), maskedPercent: 20)
            let ra = bin(a, w, h, ow, oh) { FrameKernels.binMean($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            let rb = bin(b, w, h, ow, oh) { FrameKernels.binMean($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            let rc = bin(c, w, h, ow, oh) { FrameKernels.binMean($0, width: w, height: h, into: $1, outWidth: ow, outHeight: oh) }
            XCTAssertTrue(sameFloats(ra, naiveBin(a, width: w, height: h, outWidth: ow, outHeight: oh, mean: true)), "u8 \(w)x\(h)→\(ow)x\(oh)")
            XCTAssertTrue(sameFloats(rb, naiveBin(b, width: w, height: h, outWidth: ow, outHeight: oh, mean: true)), "u16 \(w)x\(h)→\(ow)x\(oh)")
            XCTAssertTrue(sameFloats(rc, naiveBin(c, width: w, height: h, outWidth: ow, outHeight: oh, mean: true)), "u32 \(w)x\(h)→\(ow)x\(oh)")
        }
    }

    func testUpscalingReplicatesPixels() {
        let p: [UInt16] = [1, 2, 3, 4]
        let out = bin(p, 2, 2, 4, 4) { FrameKernels.binMax($0, width: 2, height: 2, into: $1, outWidth: 4, outHeight: 4) }
        XCTAssertEqual(out, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    func testBinWithOnlyMaskedPixelsIsNaN() {
        let p: [UInt16] = [.max, .max, 5, 6,
                           .max, .max, 7, .max]
        let maxed = bin(p, 4, 2, 2, 1) { FrameKernels.binMax($0, width: 4, height: 2, into: $1, outWidth: 2, outHeight: 1) }
        XCTAssertTrue(maxed[0].isNaN)
        XCTAssertEqual(maxed[1], 7)
        let meaned = bin(p, 4, 2, 2, 1) { FrameKernels.binMean($0, width: 4, height: 2, into: $1, outWidth: 2, outHeight: 1) }
        XCTAssertTrue(meaned[0].isNaN)
        XCTAssertEqual(meaned[1], 6)
    }

    func testInvalidGeometryWritesNothing() {
        let p = [UInt16](repeating: 1, count: 10)
        var out = [Float](repeating: -1, count: 4)
        let ok = p.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer {
                FrameKernels.binMax(source, width: 4, height: 4, into: $0, outWidth: 2, outHeight: 2)
            }
        }
        XCTAssertFalse(ok)
        XCTAssertEqual(out, [-1, -1, -1, -1])
        let tooSmallOut = p.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer {
                FrameKernels.binMean(source, width: 5, height: 2, into: $0, outWidth: 3, outHeight: 2)
            }
        }
        XCTAssertFalse(tooSmallOut)
        XCTAssertNil(p.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer {
                FrameKernels.statsAndBinMax(source, width: 0, height: 2, into: $0, outWidth: 1, outHeight: 1)
            }
        })
    }

    func testStatsAndBinInOnePassEqualTheSeparateKernels() {
        for (k, (w, h, ow, oh)) in sizePairs.enumerated() {
            let p = randomFrame(UInt16.self, count: w * h, seed: UInt64(k + 61), maskedPercent: 10)
            var combined = [Float](repeating: 0, count: ow * oh)
            var combinedMean = combined
            let stats = p.withUnsafeBufferPointer { source in
                combined.withUnsafeMutableBufferPointer {
                    FrameKernels.statsAndBinMax(source, width: w, height: h, into: $0, outWidth: ow, outHeight: oh)
                }
            }
            let statsMean = p.withUnsafeBufferPointer { source in
                combinedMean.withUnsafeMutableBufferPointer {
                    FrameKernels.statsAndBinMean(source, width: w, height: h, into: $0, outWidth: ow, outHeight: oh)
                }
            }
            XCTAssertEqual(stats, naiveStats(p), "\(w)x\(h)→\(ow)x\(oh)")
            XCTAssertEqual(statsMean, naiveStats(p), "\(w)x\(h)→\(ow)x\(oh)")
            XCTAssertTrue(sameFloats(combined, naiveBin(p, width: w, height: h, outWidth: ow, outHeight: oh, mean: false)))
            XCTAssertTrue(sameFloats(combinedMean, naiveBin(p, width: w, height: h, outWidth: ow, outHeight: oh, mean: true)))
        }
    }
}
