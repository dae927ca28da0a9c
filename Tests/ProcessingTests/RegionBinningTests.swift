import XCTest
@testable import Processing

/// The zoomed viewport's binning (`FrameKernels.binMax/binMean(…, region:)`) against a plain
/// reference written here: every output pixel looks up its bin of the region directly.
final class RegionBinningTests: XCTestCase {
    /// (frame width, height, region, output width, height): regions shrunk to the output, as
    /// large as it, and smaller than it (detector pixels become blocks), at the frame's edges too.
    private let cases: [(Int, Int, PixelRegion, Int, Int)] = [
        (64, 48, PixelRegion(x0: 8, y0: 4, x1: 40, y1: 36), 16, 16),
        (64, 48, PixelRegion(x0: 0, y0: 0, x1: 37, y1: 23), 5, 7),
        (64, 48, PixelRegion(x0: 50, y0: 40, x1: 64, y1: 48), 14, 8),
        (64, 48, PixelRegion(x0: 30, y0: 20, x1: 34, y1: 23), 16, 12),
        (64, 48, PixelRegion(x0: 63, y0: 47, x1: 64, y1: 48), 8, 8),
        (101, 77, PixelRegion(x0: 17, y0: 9, x1: 33, y1: 19), 64, 40),
        (101, 77, PixelRegion(x0: 0, y0: 0, x1: 101, y1: 77), 33, 21),
    ]

    /// Max (or mean) over the unmasked pixels of each bin of `region`, NaN for none.
    private func reference<T>(_ p: [T], frameWidth: Int, region r: PixelRegion, outWidth: Int, outHeight: Int,
                              masked: (T) -> Bool, value: (T) -> Double, mean: Bool) -> [Float] {
        var out = [Float](repeating: .nan, count: outWidth * outHeight)
        for j in 0..<outHeight {
            for i in 0..<outWidth {
                let x0 = i * r.width / outWidth, x1 = max(x0 + 1, (i + 1) * r.width / outWidth)
                let y0 = j * r.height / outHeight, y1 = max(y0 + 1, (j + 1) * r.height / outHeight)
                var values: [Double] = []
                for y in y0..<y1 {
                    for x in x0..<x1 {
                        let v = p[(r.y0 + y) * frameWidth + r.x0 + x]
                        if !masked(v) { values.append(value(v)) }
                    }
                }
                if !values.isEmpty {
                    out[j * outWidth + i] = mean ? Float(values.reduce(0, +) / Double(values.count)) : Float(values.max()!)
                }
            }
        }
        return out
    }

    private func integerCase<T: FixedWidthInteger & UnsignedInteger>(
        _: T.Type, seed: UInt64,
        _ kernel: ([T], Int, Int, PixelRegion, inout [Float], Int, Int) -> Bool
    ) {
        for (k, (w, h, region, ow, oh)) in cases.enumerated() {
            let frame = randomFrame(T.self, count: w * h, seed: seed + UInt64(k), maskedPercent: 15)
            var out = [Float](repeating: -7, count: ow * oh)
            XCTAssertTrue(kernel(frame, w, h, region, &out, ow, oh))
            let expected = reference(frame, frameWidth: w, region: region, outWidth: ow, outHeight: oh,
                                     masked: { $0 == .max }, value: { Double($0) }, mean: false)
            XCTAssertTrue(sameFloats(out, expected), "\(T.self) \(w)x\(h) \(region) → \(ow)x\(oh)")
        }
    }

    func testIntegerRegionMaxMatchesTheReference() {
        integerCase(UInt8.self, seed: 100) { p, w, h, r, out, ow, oh in
            p.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer {
                FrameKernels.binMax(s, frameWidth: w, frameHeight: h, region: r, into: $0, outWidth: ow, outHeight: oh)
            } }
        }
        integerCase(UInt16.self, seed: 200) { p, w, h, r, out, ow, oh in
            p.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer {
                FrameKernels.binMax(s, frameWidth: w, frameHeight: h, region: r, into: $0, outWidth: ow, outHeight: oh)
            } }
        }
        integerCase(UInt32.self, seed: 300) { p, w, h, r, out, ow, oh in
            p.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer {
                FrameKernels.binMax(s, frameWidth: w, frameHeight: h, region: r, into: $0, outWidth: ow, outHeight: oh)
            } }
        }
    }

    func testFloatRegionMaxAndMeanMatchTheReference() {
        for (k, (w, h, region, ow, oh)) in cases.enumerated() {
            var generator = TestRandom(seed: 400 + UInt64(k))
            let frame: [Float] = (0..<(w * h)).map { _ in
                generator.below(7) == 0 ? .nan : Float(generator.below(1000)) * 0.25 - 50
            }
            for mean in [false, true] {
                var out = [Float](repeating: -7, count: ow * oh)
                let ok = frame.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer {
                    mean ? FrameKernels.binMean(s, frameWidth: w, frameHeight: h, region: region, into: $0, outWidth: ow, outHeight: oh)
                         : FrameKernels.binMax(s, frameWidth: w, frameHeight: h, region: region, into: $0, outWidth: ow, outHeight: oh)
                } }
                XCTAssertTrue(ok)
                let expected = reference(frame, frameWidth: w, region: region, outWidth: ow, outHeight: oh,
                                         masked: { $0.isNaN }, value: { Double($0) }, mean: mean)
                // Means are summed in another order: equal to a few ulps.
                let close = zip(out, expected).allSatisfy { a, b in
                    (a.isNaN && b.isNaN) || abs(a - b) <= 1e-4 * max(1, abs(b))
                }
                XCTAssertTrue(close && out.count == expected.count, "\(mean ? "mean" : "max") \(w)x\(h) \(region) → \(ow)x\(oh)")
            }
        }
    }

    func testARegionSmallerThanTheImageBecomesWholeBlocksPerPixel() {
        // 2 × 2 pixels of a 4 × 4 frame shown as 4 × 4: each pixel a 2 × 2 block.
        let frame: [UInt16] = [0, 0, 0, 0,
                               0, 1, 2, 0,
                               0, 3, 4, 0,
                               0, 0, 0, 0]
        var out = [Float](repeating: 0, count: 16)
        frame.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer {
            _ = FrameKernels.binMax(s, frameWidth: 4, frameHeight: 4, region: PixelRegion(x0: 1, y0: 1, x1: 3, y1: 3),
                                    into: $0, outWidth: 4, outHeight: 4)
        } }
        XCTAssertEqual(out, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
    }

    func testARegionOutsideTheFrameIsRefusedAndWritesNothing() {
        let frame = [UInt16](repeating: 5, count: 16)
        var out = [Float](repeating: -1, count: 4)
        for region in [PixelRegion(x0: 2, y0: 2, x1: 5, y1: 4), PixelRegion(x0: -1, y0: 0, x1: 2, y1: 2),
                       PixelRegion(x0: 2, y0: 2, x1: 2, y1: 4)] {
            let ok = frame.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer {
                FrameKernels.binMax(s, frameWidth: 4, frameHeight: 4, region: region, into: $0, outWidth: 2, outHeight: 2)
            } }
            XCTAssertFalse(ok, "\(region)")
        }
        XCTAssertEqual(out, [-1, -1, -1, -1])
    }
}
