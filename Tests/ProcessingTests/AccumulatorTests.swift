import XCTest
@testable import Processing

final class AccumulatorTests: XCTestCase {
    /// Naive per-pixel sums, valid counts and maxima in Double.
    struct Reference {
        var sum: [Double], count: [Int], max: [Double]
        init(_ frames: [[Float]]) {
            let n = frames[0].count
            sum = [Double](repeating: 0, count: n)
            count = [Int](repeating: 0, count: n)
            max = [Double](repeating: .nan, count: n)
            for frame in frames {
                for i in 0..<n where !frame[i].isNaN {
                    sum[i] += Double(frame[i])
                    count[i] += 1
                    max[i] = max[i].isNaN ? Double(frame[i]) : Swift.max(max[i], Double(frame[i]))
                }
            }
        }
        var mean: [Double] { zip(sum, count).map { $1 == 0 ? .nan : $0 / Double($1) } }
    }

    func frames(_ count: Int, pixels: Int, seed: UInt64, maskedPercent: Int = 10) -> [[Float]] {
        (0..<count).map { randomCountFrame(count: pixels, seed: seed &+ UInt64($0) &* 7919, maskedPercent: maskedPercent) }
    }

    func testSumMeanMaxMatchNaiveLoopsOnRandomFrames() throws {
        let input = frames(25, pixels: 7 * 5, seed: 11)
        let accumulator = try FrameAccumulator(width: 7, height: 5)
        for f in input { try accumulator.add(f) }
        let reference = Reference(input)
        XCTAssertEqual(accumulator.frames, 25)
        XCTAssertEqual(Array(accumulator.rawSums), reference.sum)
        XCTAssertEqual(accumulator.validFrameCounts.map(Int.init), reference.count)
        XCTAssertTrue(sameFloats(accumulator.meanImage, reference.mean.map(Float.init)))
        XCTAssertTrue(sameFloats(accumulator.maxImage, reference.max.map(Float.init)))
        XCTAssertTrue(sameFloats(accumulator.sumImage, zip(reference.sum, reference.count).map { $1 == 0 ? .nan : Float($0) }))
    }

    func testPixelMaskedInSomeFramesAveragesOnlyItsValidFrames() throws {
        let accumulator = try FrameAccumulator(width: 2, height: 1)
        try accumulator.add([10, .nan])
        try accumulator.add([.nan, .nan])
        try accumulator.add([20, .nan])
        XCTAssertEqual(accumulator.mean(x: 0, y: 0), 15)
        XCTAssertEqual(accumulator.validFrames(at: 0), 2)
        XCTAssertEqual(accumulator.frames, 3)
        // Pixel 1 was never valid: NaN everywhere, not 0 and not -infinity.
        XCTAssertTrue(accumulator.meanImage[1].isNaN)
        XCTAssertTrue(accumulator.maxImage[1].isNaN)
        XCTAssertTrue(accumulator.sumImage[1].isNaN)
        XCTAssertEqual(accumulator.maxImage[0], 20)
    }

    func testFirstFrameIsItsOwnMeanAndMax() throws {
        let frame = randomCountFrame(count: 12, seed: 5, maskedPercent: 30)
        let accumulator = try FrameAccumulator(width: 4, height: 3)
        try accumulator.add(frame)
        XCTAssertTrue(sameFloats(accumulator.meanImage, frame))
        XCTAssertTrue(sameFloats(accumulator.maxImage, frame))
    }

    func testNegativeValuesKeepTheirMax() throws {
        // Pedestal-subtracted frames are mostly negative or small: max must not start at 0.
        let accumulator = try FrameAccumulator(width: 1, height: 1)
        try accumulator.add([-5])
        try accumulator.add([-3])
        XCTAssertEqual(accumulator.maxImage, [-3])
    }

    func testDoubleSumStaysExactWhereFloatWouldLoseCounts() throws {
        let accumulator = try FrameAccumulator(width: 1, height: 1, contents: .sum)
        var floatSum: Float = 0
        try accumulator.add([30_000_000])
        floatSum += 30_000_000
        for _ in 0..<1001 {
            try accumulator.add([1])
            floatSum += 1
        }
        XCTAssertNotEqual(Double(floatSum), 30_001_001, "a Float sum would have lost the single counts")
        XCTAssertEqual(accumulator.rawSums[0], 30_001_001)
    }

    func testHundredThousandEigerLikeFramesSumExactly() throws {
        // 10^5 frames of ~1000 counts: the sum passes 2^24 after ~17k frames.
        let accumulator = try FrameAccumulator(width: 2, height: 1, contents: .sum)
        var exact: [UInt64] = [0, 0]
        var random = TestRandom(seed: 3)
        for _ in 0..<100_000 {
            let a = UInt64(990 + random.below(21)), b = UInt64(random.below(3))
            exact[0] += a
            exact[1] += b
            try accumulator.add([Float(a), Float(b)])
        }
        XCTAssertEqual(accumulator.rawSums[0], Double(exact[0]))
        XCTAssertEqual(accumulator.rawSums[1], Double(exact[1]))
        XCTAssertEqual(accumulator.mean(x: 0, y: 0), Double(exact[0]) / 100_000)
    }

    func testClearForgetsEveryFrame() throws {
        let accumulator = try FrameAccumulator(width: 2, height: 2)
        try accumulator.add([1, 2, 3, 4])
        accumulator.clear()
        XCTAssertEqual(accumulator.frames, 0)
        XCTAssertTrue(accumulator.meanImage.allSatisfy(\.isNaN))
        XCTAssertTrue(accumulator.maxImage.allSatisfy(\.isNaN))
        try accumulator.add([5, .nan, 1, 1])
        XCTAssertTrue(sameFloats(accumulator.maxImage, [5, .nan, 1, 1]))
    }

    func testComposingPartsEqualsAccumulatingAllFrames() throws {
        let input = frames(30, pixels: 6 * 4, seed: 99)
        let whole = try FrameAccumulator(width: 6, height: 4)
        for f in input { try whole.add(f) }
        for partCount in 2...3 {
            // Frames dealt round-robin, as workers claim them from the ring.
            let parts = try (0..<partCount).map { _ in try FrameAccumulator(width: 6, height: 4) }
            for (k, f) in input.enumerated() { try parts[k % partCount].add(f) }
            let total = try FrameAccumulator.compose(parts)
            XCTAssertEqual(total.frames, whole.frames)
            XCTAssertEqual(Array(total.rawSums), Array(whole.rawSums))
            XCTAssertEqual(total.validFrameCounts, whole.validFrameCounts)
            XCTAssertTrue(sameFloats(total.maxImage, whole.maxImage))
            XCTAssertTrue(sameFloats(total.meanImage, whole.meanImage))
            // compose leaves the parts as they were.
            XCTAssertEqual(parts.map(\.frames).reduce(0, +), 30)
        }
    }

    func testComposingAnEmptyPartChangesNothing() throws {
        let a = try FrameAccumulator(width: 3, height: 1)
        try a.add([1, .nan, 3])
        let total = try FrameAccumulator.compose([a, try FrameAccumulator(width: 3, height: 1)])
        XCTAssertTrue(sameFloats(total.maxImage, [1, .nan, 3]))
        XCTAssertTrue(sameFloats(total.meanImage, [1, .nan, 3]))
    }

    func testCombineRefusesOtherSizeOrContents() throws {
        let a = try FrameAccumulator(width: 3, height: 2)
        try a.add([Float](repeating: 1, count: 6))
        XCTAssertThrowsError(try a.combine(try FrameAccumulator(width: 2, height: 3))) { error in
            guard case AnalysisError.incompatibleParts = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try a.combine(try FrameAccumulator(width: 3, height: 2, contents: .max)))
        XCTAssertThrowsError(try FrameAccumulator.compose([]))
        XCTAssertEqual(a.frames, 1, "a refused combine changes nothing")
    }

    func testWrongFrameSizeIsATypedErrorAndCountsNothing() throws {
        let a = try FrameAccumulator(width: 3, height: 2)
        XCTAssertThrowsError(try a.add([1, 2, 3])) { error in
            XCTAssertEqual(error as? AnalysisError, .frameSizeMismatch(expected: 6, actual: 3))
        }
        XCTAssertEqual(a.frames, 0)
    }

    func testInvalidSizesAreRefused() {
        for (w, h) in [(0, 4), (4, -1), (Int.max, 2), (1 << 15, 1 << 15)] {
            XCTAssertThrowsError(try FrameAccumulator(width: w, height: h)) { error in
                XCTAssertEqual(error as? AnalysisError, .invalidSize(width: w, height: h))
            }
        }
    }

    func testMaxOnlyAccumulatorHasNoMeanAndSumOnlyHasNoMax() throws {
        let maxOnly = try FrameAccumulator(width: 2, height: 1, contents: .max)
        try maxOnly.add([1, 7])
        XCTAssertEqual(maxOnly.maxImage, [1, 7])
        var out = [Float](repeating: 0, count: 2)
        XCTAssertThrowsError(try out.withUnsafeMutableBufferPointer { try maxOnly.mean(into: $0) }) { error in
            XCTAssertEqual(error as? AnalysisError, .notTracked("mean"))
        }
        let sumOnly = try FrameAccumulator(width: 2, height: 1, contents: .sum)
        try sumOnly.add([1, 7])
        XCTAssertEqual(sumOnly.meanImage, [1, 7])
        XCTAssertThrowsError(try out.withUnsafeMutableBufferPointer { try sumOnly.maximum(into: $0) })
    }

    func testAllMaskedAndOnePixelImages() throws {
        let masked = try FrameAccumulator(width: 2, height: 2)
        try masked.add([Float](repeating: .nan, count: 4))
        XCTAssertTrue(masked.meanImage.allSatisfy(\.isNaN))
        XCTAssertTrue(masked.maxImage.allSatisfy(\.isNaN))
        let one = try FrameAccumulator(width: 1, height: 1)
        try one.add([4])
        try one.add([8])
        XCTAssertEqual(one.meanImage, [6])
        XCTAssertEqual(one.maxImage, [8])
    }

    /// The AVX2 variant of the running sum and its baseline twin agree bit for bit, at lengths
    /// around the vector width, with masked pixels in and out of whole vectors.
    func testSumVariantsAgreeBitForBit() throws {
        for n in [1, 7, 8, 9, 17, 64, 1001] {
            let input = frames(20, pixels: n, seed: UInt64(n), maskedPercent: 15)
            let accumulators = try [KernelPath.scalar, .avx2].map { path -> FrameAccumulator in
                let a = try FrameAccumulator(width: n, height: 1, contents: .sum)
                a.path = path
                for f in input { try a.add(f) }
                return a
            }
            XCTAssertEqual(Array(accumulators[0].rawSums), Array(accumulators[1].rawSums), "\(n)")
            XCTAssertEqual(accumulators[0].validFrameCounts, accumulators[1].validFrameCounts, "\(n)")
            XCTAssertEqual(accumulators[0].validFrameCounts, Reference(input).count.map { UInt32($0) }, "\(n)")
        }
    }
}
