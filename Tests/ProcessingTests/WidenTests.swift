@testable import Processing
import XCTest

final class WidenTests: XCTestCase {
    func testEveryVariantWidensExactlyAndMasksTheAllOnesValue() {
        var rng = SystemRandomNumberGenerator()
        for count in [0, 1, 7, 8, 9, 31, 1000, 160_003] {
            var pixels = (0..<count).map { _ in UInt16.random(in: 0...UInt16.max, using: &rng) }
            for i in stride(from: 0, to: count, by: 13) { pixels[i] = .max }
            for path in [KernelPath.scalar, .avx2, .best] {
                var out = [Float](repeating: -1, count: count + 1)
                pixels.withUnsafeBufferPointer { p in
                    out.withUnsafeMutableBufferPointer { _ = FrameKernels.widenWithStats(p, into: $0, path: path) }
                }
                for i in 0..<count {
                    if pixels[i] == .max {
                        XCTAssertTrue(out[i].isNaN, "\(path) \(count) pixel \(i)")
                    } else {
                        XCTAssertEqual(out[i], Float(pixels[i]), "\(path) \(count) pixel \(i)")
                    }
                }
                XCTAssertEqual(out[count], -1, "\(path): nothing written past the pixels")
            }
        }
    }

    func testWideningWithStatisticsGivesTheStatsKernelsNumbers() {
        var rng = SystemRandomNumberGenerator()
        for count in [1, 8, 9, 33_000, 70_001] {
            var pixels = (0..<count).map { _ in UInt16.random(in: 0...UInt16.max, using: &rng) }
            for i in stride(from: 3, to: count, by: 11) { pixels[i] = .max }
            let expected = pixels.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: .max, path: .scalar) }
            for path in [KernelPath.scalar, .avx2] {
                var out = [Float](repeating: 0, count: count)
                let got = pixels.withUnsafeBufferPointer { p in
                    out.withUnsafeMutableBufferPointer { FrameKernels.widenWithStats(p, into: $0, path: path) }
                }
                XCTAssertEqual(got, expected, "\(path) \(count)")
                XCTAssertTrue(zip(pixels, out).allSatisfy { $0 == .max ? $1.isNaN : $1 == Float($0) }, "\(path) \(count)")
            }
        }
        let allMasked = [UInt16](repeating: .max, count: 20)
        var out = [Float](repeating: 0, count: 20)
        let stats = allMasked.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { FrameKernels.widenWithStats(p, into: $0) } }
        XCTAssertEqual(stats.masked, 20)
        XCTAssertEqual(stats.count, 0)
        XCTAssertTrue(stats.max.isNaN)
    }
}
