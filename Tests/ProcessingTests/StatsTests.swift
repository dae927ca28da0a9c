import XCTest
@testable import Processing

final class StatsTests: XCTestCase {
    func testStatsMatchNaiveLoopForAllPixelTypes() {
        for seed: UInt64 in [1, 2, 3] {
            let count = 1000 + Int(seed) * 37
            let a = randomFrame(UInt8.self, count: count, seed: seed)
            let b = randomFrame(UInt16.self, count: count, seed: seed)
            let c = randomFrame(UInt32.self, count: count, seed: seed)
            XCTAssertEqual(a.withUnsafeBufferPointer { FrameKernels.stats($0) }, naiveStats(a))
            XCTAssertEqual(b.withUnsafeBufferPointer { FrameKernels.stats($0) }, naiveStats(b))
            XCTAssertEqual(c.withUnsafeBufferPointer { FrameKernels.stats($0) }, naiveStats(c))
        }
    }

    func testMaskedPixelsAreLeftOutAndCounted() {
        let p: [UInt16] = [10, .max, 30, .max, 20]
        let s = p.withUnsafeBufferPointer { FrameKernels.stats($0) }
        XCTAssertEqual(s, FrameStats(sum: 60, min: 10, max: 30, mean: 20, masked: 2, count: 3))
    }

    func testOtherMaskValueIsHonoured() {
        let p: [UInt8] = [0, 5, 255, 0]
        let s = p.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: 0) }
        XCTAssertEqual(s, FrameStats(sum: 260, min: 5, max: 255, mean: 130, masked: 2, count: 2))
    }

    func testUInt16WithOtherMaskKeepsAllOnesPixels() {
        let p: [UInt16] = [0, 65535, 3, 0, 32768, 32767]
        XCTAssertEqual(p.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: 0) },
                       FrameStats(sum: 131_073, min: 3, max: 65535, mean: 131_073 / 4, masked: 2, count: 4))
        let r = randomFrame(UInt16.self, count: 3000, seed: 77, maskedPercent: 0)
        XCTAssertEqual(r.withUnsafeBufferPointer { FrameKernels.stats($0, maskValue: r[5]) }, naiveStats(r, mask: r[5]))
    }

    func testAllMaskedFrameHasNoValues() {
        let p = [UInt32](repeating: .max, count: 9)
        let s = p.withUnsafeBufferPointer { FrameKernels.stats($0) }
        XCTAssertEqual(s.count, 0)
        XCTAssertEqual(s.masked, 9)
        XCTAssertEqual(s.sum, 0)
        XCTAssertTrue(s.min.isNaN && s.max.isNaN && s.mean.isNaN)
    }

    func testSinglePixelFrame() {
        let p: [UInt16] = [7]
        XCTAssertEqual(p.withUnsafeBufferPointer { FrameKernels.stats($0) },
                       FrameStats(sum: 7, min: 7, max: 7, mean: 7, masked: 0, count: 1))
    }

    func testLargeUInt32SumIsExact() {
        let p = [UInt32](repeating: .max - 1, count: 1000)
        XCTAssertEqual(p.withUnsafeBufferPointer { FrameKernels.stats($0) }.sum, Double(UInt64(UInt32.max - 1) * 1000))
    }
}
