@testable import Processing
import XCTest

/// The fused widening pass (`ck_widen_stats_*`) of every integer type: exact floats (32-bit
/// values above 2²⁴ rounded as `Float(_:)` rounds), NaN for the all-ones value, the statistics
/// kernels' numbers, and nothing written past the pixels, in every variant and at every length
/// around the vector width.
final class WidenTests: XCTestCase {
    private let counts = [0, 1, 7, 8, 9, 31, 1000, 70_001, 160_003]

    private func check<T: PixelValue>(_ pixels: [T], _ label: String) {
        let expected = pixels.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: T.max, path: .scalar) }
        for path in [KernelPath.scalar, .avx2, .best] {
            var out = [Float](repeating: -1, count: pixels.count + 1)
            let got = pixels.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { FrameKernels.widenWithStats(p, into: UnsafeMutableBufferPointer(rebasing: $0[..<pixels.count]), path: path) }
            }
            let wrong = pixels.indices.first { i in pixels[i] == T.max ? !out[i].isNaN : out[i] != Float(pixels[i]) }
            XCTAssertNil(wrong, "\(label) \(path): pixel \(wrong ?? -1) of \(pixels.count)")
            XCTAssertEqual(out[pixels.count], -1, "\(label) \(path): nothing written past the pixels")
            if !pixels.isEmpty { XCTAssertEqual(got, expected, "\(label) \(path) \(pixels.count)") }
        }
    }

    private func random<T: PixelValue>(_ count: Int, _: T.Type, maskEvery: Int) -> [T] {
        var rng = SystemRandomNumberGenerator()
        var pixels = (0..<count).map { _ in T.random(in: 0...T.max, using: &rng) }
        for i in stride(from: 3, to: count, by: maskEvery) { pixels[i] = .max }
        return pixels
    }

    func testEveryTypeAndVariantWidensExactlyWithTheStatsKernelsNumbers() {
        for count in counts {
            check(random(count, UInt8.self, maskEvery: 13), "u8")
            check(random(count, UInt16.self, maskEvery: 11), "u16")
            check(random(count, UInt32.self, maskEvery: 7), "u32")
        }
    }

    /// 32-bit counts near the top of the range: the sums need 64 bits and the floats round.
    func testLarge32BitValuesRoundLikeFloatAndSumWithoutOverflow() {
        let pixels: [UInt32] = (0..<10_000).map { i in i % 97 == 0 ? .max : UInt32.max - 1 - UInt32(i) }
        check(pixels, "u32 high")
        var out = [Float](repeating: 0, count: pixels.count)
        let stats = pixels.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { FrameKernels.widenWithStats(p, into: $0) } }
        let exact = pixels.filter { $0 != .max }.reduce(UInt64(0)) { $0 + UInt64($1) }
        XCTAssertEqual(stats.sum, Double(exact), "the sum is exact over 2³² (as the totals are 64-bit)")
    }

    func testAFrameOfMaskedPixelsOnlyHasNoStatistics() {
        let allMasked = [UInt16](repeating: .max, count: 20)
        var out = [Float](repeating: 0, count: 20)
        let stats = allMasked.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { FrameKernels.widenWithStats(p, into: $0) } }
        XCTAssertEqual(stats.masked, 20)
        XCTAssertEqual(stats.count, 0)
        XCTAssertTrue(stats.max.isNaN)
        XCTAssertTrue(out.allSatisfy(\.isNaN))
    }
}
