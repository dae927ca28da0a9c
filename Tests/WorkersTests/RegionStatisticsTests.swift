import Processing
import SharedMemory
@testable import Workers
import XCTest

/// The workers' region-of-interest numbers against a plain computation over the same pixels:
/// random frames with masked pixels, regions at the frame's edges, a region outside it.
final class RegionStatisticsTests: XCTestCase {
    /// The reference: a double loop over the region clipped by hand, NaN pixels left out.
    private func reference(_ frame: [Float], width: Int, height: Int, _ r: PixelRegion) -> RegionNumbers {
        let x0 = max(r.x0, 0), x1 = min(r.x1, width), y0 = max(r.y0, 0), y1 = min(r.y1, height)
        guard x1 > x0, y1 > y0 else { return RegionNumbers() }
        var sum = 0.0, count = 0, top = -Double.infinity, w = 0.0, wx = 0.0, wy = 0.0
        for y in y0..<y1 {
            for x in x0..<x1 {
                let v = frame[y * width + x]
                if v.isNaN { continue }
                sum += Double(v)
                count += 1
                top = max(top, Double(v))
                if v > 0 {
                    w += Double(v)
                    wx += Double(v) * (Double(x) + 0.5)
                    wy += Double(v) * (Double(y) + 0.5)
                }
            }
        }
        return RegionNumbers(x0: Int32(x0), y0: Int32(y0), x1: Int32(x1), y1: Int32(y1), sum: sum,
                             mean: count > 0 ? sum / Double(count) : .nan, max: count > 0 ? top : .nan,
                             centroidX: w > 0 ? wx / w : .nan, centroidY: w > 0 ? wy / w : .nan, pixels: UInt32(count))
    }

    private func assertClose(_ a: RegionNumbers, _ b: RegionNumbers, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual([a.x0, a.y0, a.x1, a.y1], [b.x0, b.y0, b.x1, b.y1], "bounds", file: file, line: line)
        XCTAssertEqual(a.pixels, b.pixels, "pixels", file: file, line: line)
        for (name, x, y) in [("sum", a.sum, b.sum), ("mean", a.mean, b.mean), ("max", a.max, b.max),
                             ("cx", a.centroidX, b.centroidX), ("cy", a.centroidY, b.centroidY)] {
            if x.isNaN || y.isNaN {
                XCTAssertTrue(x.isNaN && y.isNaN, "\(name): \(x) vs \(y)", file: file, line: line)
            } else {
                XCTAssertEqual(x, y, accuracy: 1e-9 * max(1, abs(y)), name, file: file, line: line)
            }
        }
    }

    func testRandomFramesWithMaskedPixelsMatchThePlainSumsAtEdgesAndInside() throws {
        var generator = SystemRandomNumberGenerator()
        let (width, height) = (37, 23)
        let regions = [PixelRegion(x0: 0, y0: 0, x1: 5, y1: 4),          // the top-left corner
                       PixelRegion(x0: 30, y0: 17, x1: 37, y1: 23),      // the bottom-right corner, exactly
                       PixelRegion(x0: -4, y0: 10, x1: 3, y1: 40),       // over the left and bottom edges: clipped
                       PixelRegion(x0: 12, y0: 5, x1: 21, y1: 14)]       // inside
        for _ in 0..<20 {
            let frame = (0..<(width * height)).map { _ -> Float in
                Int.random(in: 0..<10, using: &generator) == 0 ? .nan : Float(Int.random(in: -50...5000, using: &generator))
            }
            let measured = try frame.withUnsafeBufferPointer {
                try ModeEngine.measure(ControlRegions(regions), on: $0, width: width, height: height)
            }
            XCTAssertEqual(measured.count, 4)
            for (r, numbers) in zip(regions, measured) { assertClose(numbers, reference(frame, width: width, height: height, r)) }
        }
    }

    func testARegionOutsideTheFrameHasEmptyBoundsAndNoNumbers() throws {
        let frame = [Float](repeating: 1, count: 6 * 4)
        let measured = try frame.withUnsafeBufferPointer {
            try ModeEngine.measure(ControlRegions([PixelRegion(x0: 10, y0: 0, x1: 20, y1: 4),
                                                   PixelRegion(x0: 0, y0: 0, x1: 2, y1: 2)]), on: $0, width: 6, height: 4)
        }
        XCTAssertFalse(measured[0].measured)
        XCTAssertTrue(measured[0].sum.isNaN)
        XCTAssertEqual(measured[0].pixels, 0)
        XCTAssertEqual(measured[1].sum, 4, "the region after it is still measured")
    }

    func testAllMaskedRegionCountsNoPixelsAndHasNoMean() throws {
        let frame = [Float](repeating: .nan, count: 4 * 4)
        let measured = try frame.withUnsafeBufferPointer {
            try ModeEngine.measure(ControlRegions([PixelRegion(x0: 1, y0: 1, x1: 3, y1: 3)]), on: $0, width: 4, height: 4)
        }
        XCTAssertEqual(measured[0].pixels, 0)
        XCTAssertEqual(measured[0].sum, 0)
        XCTAssertTrue(measured[0].mean.isNaN && measured[0].max.isNaN)
    }
}
