import XCTest
@testable import Processing

final class PercentileTests: XCTestCase {
    /// numpy's "linear" definition over a sorted copy.
    private func reference(_ values: [Float], _ q: Double) -> Float {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let k = Int(position)
        let fraction = position - Double(k)
        guard k + 1 < sorted.count else { return sorted[k] }
        return Float(Double(sorted[k]) + (Double(sorted[k + 1]) - Double(sorted[k])) * fraction)
    }

    private let qs = [0, 0.01, 0.05, 0.5, 0.9, 0.99, 0.999, 1]

    func testPercentilesMatchSortedReference() {
        var random = TestRandom(seed: 5)
        for n in [1, 2, 3, 15, 16, 17, 100, 5000] {
            let values = (0..<n).map { _ in Float(random.below(10_000)) / 7 }
            let got = values.withUnsafeBufferPointer { FrameKernels.percentiles($0, qs) }
            XCTAssertEqual(got, qs.map { reference(values, $0) }, "n = \(n)")
        }
    }

    func testManyEqualValuesAndSortedInput() {
        let equal = [Float](repeating: 3, count: 1000) + [1, 9]
        XCTAssertEqual(equal.withUnsafeBufferPointer { FrameKernels.percentiles($0, qs) }, qs.map { reference(equal, $0) })
        let sorted = (0..<2000).map(Float.init)
        XCTAssertEqual(sorted.withUnsafeBufferPointer { FrameKernels.percentiles($0, qs) }, qs.map { reference(sorted, $0) })
        let reversed = Array(sorted.reversed())
        XCTAssertEqual(reversed.withUnsafeBufferPointer { FrameKernels.percentiles($0, qs) }, qs.map { reference(reversed, $0) })
    }

    func testNaNValuesAreIgnored() {
        var values: [Float] = []
        for i in 0..<300 { values.append(i % 3 == 0 ? .nan : Float(i)) }
        let got = values.withUnsafeBufferPointer { FrameKernels.percentiles($0, qs) }
        XCTAssertEqual(got, qs.map { reference(values, $0) })
        XCTAssertEqual(got.first, 1)
        XCTAssertEqual(got.last, 299)
    }

    func testEmptyOrAllNaNGivesNaN() {
        let empty: [Float] = []
        XCTAssertTrue(empty.withUnsafeBufferPointer { FrameKernels.percentiles($0, [0.5]) }[0].isNaN)
        let nans = [Float](repeating: .nan, count: 10)
        XCTAssertTrue(nans.withUnsafeBufferPointer { FrameKernels.percentiles($0, [0, 1]) }.allSatisfy(\.isNaN))
    }

    func testQuantilesOutsideZeroToOneAreClamped() {
        let values: [Float] = [4, 2, 8]
        XCTAssertEqual(values.withUnsafeBufferPointer { FrameKernels.percentiles($0, [-1, 2]) }, [2, 8])
    }
}
