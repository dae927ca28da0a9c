import XCTest
@testable import Processing

final class HistogramTests: XCTestCase {
    struct Naive: Equatable {
        var counts: [UInt64], under: UInt64 = 0, over: UInt64 = 0, masked: UInt64 = 0
    }

    /// Bin k of [lo, hi]: lo + k·w ≤ v < lo + (k+1)·w, v == hi in the last bin.
    func naive(_ values: [Float], bins: Int, lo: Double, hi: Double) -> Naive {
        var n = Naive(counts: [UInt64](repeating: 0, count: bins))
        for v in values {
            if v.isNaN { n.masked += 1; continue }
            let d = Double(v)
            if d < lo { n.under += 1 } else if d > hi { n.over += 1 } else if d == hi { n.counts[bins - 1] += 1 } else {
                n.counts[(0..<bins).last { lo + (hi - lo) * Double($0) / Double(bins) <= d }!] += 1
            }
        }
        return n
    }

    func run(_ values: [Float], bins: Int, range: ClosedRange<Float>? = nil) throws -> (ValueHistogram, Naive) {
        let h = try ValueHistogram(bins: bins)
        try values.withUnsafeBufferPointer { try h.compute($0, range: range) }
        return (h, Naive(counts: Array(h.counts), under: h.underflow, over: h.overflow, masked: h.masked))
    }

    func testCountsMatchNaiveBinsOnRandomValues() throws {
        for seed: UInt64 in 1...4 {
            let values = randomCountFrame(count: 500, seed: seed, maxValue: 1000, maskedPercent: 8)
            // Ranges whose edges are exact in binary, so no value sits on a rounding boundary.
            let (given, g) = try run(values, bins: 16, range: 100...612)
            XCTAssertEqual(g, naive(values, bins: 16, lo: 100, hi: 612))
            XCTAssertGreaterThan(given.underflow, 0)
            XCTAssertGreaterThan(given.overflow, 0)
            let (auto, a) = try run(values, bins: 10)
            let finite = values.filter { !$0.isNaN }
            XCTAssertEqual(auto.lower, Double(finite.min()!))
            XCTAssertEqual(auto.upper, Double(finite.max()!))
            XCTAssertEqual(a, naive(values, bins: 10, lo: auto.lower, hi: auto.upper))
            XCTAssertEqual(a.under + a.over, 0)
            XCTAssertEqual(a.counts.reduce(0, +), UInt64(finite.count))
        }
    }

    func testUpperEndGoesToTheLastBinAndEdgesAreEven() throws {
        let (h, n) = try run([0, 1, 2, 3, 4, .nan], bins: 4)
        XCTAssertEqual(n, Naive(counts: [1, 1, 1, 2], masked: 1))
        XCTAssertEqual((0...4).map { h.edge($0) }, [0, 1, 2, 3, 4])
    }

    func testGivenRangeCountsUnderAndOverflow() throws {
        let (_, n) = try run([0, 1, 2, 3, 4], bins: 2, range: 1...3)
        XCTAssertEqual(n, Naive(counts: [1, 2], under: 1, over: 1))
    }

    func testConstantImageFallsInTheFirstBin() throws {
        let (h, n) = try run([5, 5, 5], bins: 3)
        XCTAssertEqual(n, Naive(counts: [3, 0, 0]))
        XCTAssertEqual(h.lower, 5)
        XCTAssertEqual(h.upper, 5)
    }

    func testAllMaskedHasNoRangeAndNoCounts() throws {
        let (h, n) = try run([.nan, .nan], bins: 3)
        XCTAssertEqual(n, Naive(counts: [0, 0, 0], masked: 2))
        XCTAssertTrue(h.lower.isNaN && h.upper.isNaN)
        let (_, empty) = try run([], bins: 1)
        XCTAssertEqual(empty, Naive(counts: [0]))
    }

    func testInfinitiesStayOutOfTheAutomaticRange() throws {
        let (h, n) = try run([-.infinity, 1, 3, .infinity, .infinity], bins: 2)
        XCTAssertEqual(h.lower, 1)
        XCTAssertEqual(h.upper, 3)
        XCTAssertEqual(n, Naive(counts: [1, 1], under: 1, over: 2))
        let (_, onlyInfinite) = try run([-.infinity, .infinity], bins: 2)
        XCTAssertEqual(onlyInfinite, Naive(counts: [0, 0], under: 1, over: 1))
    }

    func testRecomputingReplacesTheCounts() throws {
        let h = try ValueHistogram(bins: 2)
        try [Float(0), 1, 2].withUnsafeBufferPointer { try h.compute($0) }
        try [Float(7)].withUnsafeBufferPointer { try h.compute($0, range: 0...1) }
        XCTAssertEqual(Array(h.counts), [0, 0])
        XCTAssertEqual(h.overflow, 1)
    }

    func testBadBinsAndRangesAreTypedErrors() throws {
        XCTAssertThrowsError(try ValueHistogram(bins: 0))
        XCTAssertThrowsError(try ValueHistogram(bins: ValueHistogram.maxBins + 1))
        let h = try ValueHistogram(bins: 2)
        XCTAssertThrowsError(try [Float(1)].withUnsafeBufferPointer { try h.compute($0, range: 0...Float.infinity) }) { error in
            guard case AnalysisError.invalidSetting = error else { return XCTFail("\(error)") }
        }
    }
}
