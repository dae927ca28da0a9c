import XCTest
@testable import Processing

/// The threshold mode against a naive count, with NaN pixels and a threshold changed live.
final class ThresholdCounterTests: XCTestCase {
    private func add(_ c: ThresholdCounter, _ f: [Float]) throws {
        try f.withUnsafeBufferPointer { try c.add($0) }
    }

    func testCountsMatchNaiveCountOnRandomFramesOnEveryVariant() throws {
        let paths: [KernelPath] = KernelPath.countingVariantsHere
        let w = 13, h = 7
        var random = TestRandom(seed: 77)
        let frames = (0..<20).map { _ in
            (0..<(w * h)).map { _ in random.below(12) == 0 ? Float.nan : Float(random.below(200)) - 100.5 }
        }
        for path in paths {
            let c = try ThresholdCounter(width: w, height: h, threshold: 30)
            c.path = path
            var expected = [UInt32](repeating: 0, count: w * h)
            for (k, f) in frames.enumerated() {
                c.threshold = k < 10 ? 30 : -20  // changed live between frames
                try add(c, f)
                for i in f.indices where f[i] > c.threshold { expected[i] += 1 }
            }
            XCTAssertEqual(Array(c.counts), expected, "\(path)")
            XCTAssertEqual(c.frames, 20)
        }
    }

    func testNaNNeverCountsAndClearZeroes() throws {
        let c = try ThresholdCounter(width: 3, height: 1, threshold: -1e9)
        try add(c, [.nan, 0, 5])
        XCTAssertEqual(Array(c.counts), [0, 1, 1])
        c.clear()
        XCTAssertEqual(Array(c.counts), [0, 0, 0])
        XCTAssertEqual(c.frames, 0)
        XCTAssertThrowsError(try add(c, [1])) {
            XCTAssertEqual($0 as? CountingError, .wrongBufferSize(expected: 3, got: 1))
        }
    }
}
