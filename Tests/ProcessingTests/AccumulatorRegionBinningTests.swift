import XCTest
@testable import Processing

/// `FrameAccumulator.binSum` / `binMaximum` bin a region straight from the accumulator; they
/// must give, to the bit, what reading the whole image out and binning the region gives, on
/// both kernel variants, whatever the region: the whole image, a part larger or smaller than
/// the output (bins of several pixels, blocks of one), at the edges, one pixel.
final class AccumulatorRegionBinningTests: XCTestCase {
    private let (width, height) = (37, 23)

    /// (region, output size)
    private let cases: [(PixelRegion, Int, Int)] = [
        (PixelRegion(x0: 0, y0: 0, x1: 37, y1: 23), 10, 7),
        (PixelRegion(x0: 0, y0: 0, x1: 37, y1: 23), 37, 23),
        (PixelRegion(x0: 5, y0: 3, x1: 30, y1: 20), 8, 6),
        (PixelRegion(x0: 30, y0: 15, x1: 37, y1: 23), 20, 17),
        (PixelRegion(x0: 12, y0: 9, x1: 13, y1: 10), 4, 3),
    ]

    private func paths() -> [KernelPath] {
        KernelPath.avx2Available ? [.scalar, .avx2, .best] : [.scalar, .best]
    }

    /// Frames of large counts (sums beyond Float's 2^24, so the read-out rounds), masked now
    /// and then, with column 4 masked in every frame (a module gap: never valid).
    private func accumulated(path: KernelPath) throws -> FrameAccumulator {
        let accumulator = try FrameAccumulator(width: width, height: height)
        accumulator.path = path
        for k in 0..<40 {
            var frame = randomCountFrame(count: width * height, seed: 900 + UInt64(k), maxValue: 3_000_000, maskedPercent: 8)
            for y in 0..<height { frame[y * width + 4] = .nan }
            try accumulator.add(frame)
        }
        return accumulator
    }

    private func binned(_ image: [Float], _ region: PixelRegion, _ ow: Int, _ oh: Int, byMaximum: Bool) -> [Float] {
        var out = [Float](repeating: -7, count: ow * oh)
        let done = image.withUnsafeBufferPointer { pixels in
            out.withUnsafeMutableBufferPointer {
                byMaximum
                    ? FrameKernels.binMax(pixels, frameWidth: width, frameHeight: height, region: region, into: $0, outWidth: ow, outHeight: oh)
                    : FrameKernels.binMean(pixels, frameWidth: width, frameHeight: height, region: region, into: $0, outWidth: ow, outHeight: oh)
            }
        }
        XCTAssertTrue(done)
        return out
    }

    private func assertBitIdentical(_ a: [Float], _ b: [Float], _ what: String) {
        XCTAssertEqual(a.count, b.count, what)
        for (i, (x, y)) in zip(a, b).enumerated() where !(x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)) {
            return XCTFail("\(what) bin \(i): \(x) != \(y)")
        }
    }

    func testBinSumIsTheSumImageReadOutThenMeanBinned() throws {
        for path in paths() {
            let accumulator = try accumulated(path: path)
            let image = accumulator.sumImage
            for (region, ow, oh) in cases {
                var out = [Float](repeating: -7, count: ow * oh)
                let done = try out.withUnsafeMutableBufferPointer {
                    try accumulator.binSum(region: region, into: $0, outWidth: ow, outHeight: oh)
                }
                XCTAssertTrue(done)
                assertBitIdentical(out, binned(image, region, ow, oh, byMaximum: false), "\(path) \(region) → \(ow)×\(oh)")
            }
        }
    }

    func testBinMaximumIsTheMaxImageReadOutThenMaxBinned() throws {
        let accumulator = try accumulated(path: .best)
        let image = accumulator.maxImage
        var staging: [Float] = []
        for (region, ow, oh) in cases {
            var out = [Float](repeating: -7, count: ow * oh)
            let done = try out.withUnsafeMutableBufferPointer {
                try accumulator.binMaximum(region: region, staging: &staging, into: $0, outWidth: ow, outHeight: oh)
            }
            XCTAssertTrue(done)
            assertBitIdentical(out, binned(image, region, ow, oh, byMaximum: true), "\(region) → \(ow)×\(oh)")
        }
    }

    func testTheGapColumnBinsToNaNAndNotZero() throws {
        let accumulator = try accumulated(path: .best)
        var out = [Float](repeating: 0, count: 2)
        try out.withUnsafeMutableBufferPointer {
            _ = try accumulator.binSum(region: PixelRegion(x0: 4, y0: 0, x1: 5, y1: 2), into: $0, outWidth: 1, outHeight: 2)
        }
        XCTAssertTrue(out.allSatisfy(\.isNaN), "\(out)")
    }

    func testARegionOutsideTheImageOrATooSmallOutputWritesNothing() throws {
        let accumulator = try accumulated(path: .best)
        var out = [Float](repeating: -7, count: 4)
        try out.withUnsafeMutableBufferPointer {
            XCTAssertFalse(try accumulator.binSum(region: PixelRegion(x0: 30, y0: 0, x1: 40, y1: 5), into: $0, outWidth: 2, outHeight: 2))
            XCTAssertFalse(try accumulator.binSum(region: PixelRegion(x0: 0, y0: 0, x1: 10, y1: 10), into: $0, outWidth: 3, outHeight: 2))
            XCTAssertFalse(try accumulator.binSum(region: PixelRegion(x0: 3, y0: 3, x1: 3, y1: 9), into: $0, outWidth: 2, outHeight: 2))
        }
        XCTAssertEqual(out, [-7, -7, -7, -7])
        let maxOnly = try FrameAccumulator(width: 4, height: 4, contents: .max)
        XCTAssertThrowsError(try out.withUnsafeMutableBufferPointer {
            try maxOnly.binSum(region: .whole(width: 4, height: 4), into: $0, outWidth: 2, outHeight: 2)
        }) { XCTAssertEqual($0 as? AnalysisError, .notTracked("sum")) }
    }
}
