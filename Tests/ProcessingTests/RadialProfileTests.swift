import XCTest
@testable import Processing

final class RadialProfileTests: XCTestCase {
    /// Per ring: the Double sum and count of valid pixels whose centre distance d has r ≤ d < r + 1.
    func naiveProfile(_ frames: [[Float]], _ w: Int, _ h: Int, _ cx: Double, _ cy: Double) -> (mean: [Double], count: [UInt64]) {
        var sums: [Int: Double] = [:], counts: [Int: UInt64] = [:]
        var largest = 0
        for y in 0..<h {
            for x in 0..<w {
                let d = ((Double(x) + 0.5 - cx) * (Double(x) + 0.5 - cx) + (Double(y) + 0.5 - cy) * (Double(y) + 0.5 - cy)).squareRoot()
                let r = Int(d.rounded(.down))
                largest = max(largest, r)
                for f in frames where !f[y * w + x].isNaN {
                    sums[r, default: 0] += Double(f[y * w + x])
                    counts[r, default: 0] += 1
                }
            }
        }
        let rings = 0...largest
        return (rings.map { counts[$0, default: 0] == 0 ? .nan : sums[$0]! / Double(counts[$0]!) },
                rings.map { counts[$0, default: 0] })
    }

    func means(_ p: RadialProfile) -> [Double] { (0..<p.ringCount).map { p.mean(ring: $0) } }

    func testProfileMatchesNaiveRingsOnRandomFrames() throws {
        for (cx, cy) in [(10.0, 7.0), (3.3, 12.8), (0, 0), (19.5, 3.25)] {
            let frame = randomCountFrame(count: 20 * 14, seed: UInt64(cx * 10 + cy), maskedPercent: 10)
            let profile = try RadialProfile(width: 20, height: 14, centerX: cx, centerY: cy)
            try frame.withUnsafeBufferPointer { try profile.compute($0) }
            let naive = naiveProfile([frame], 20, 14, cx, cy)
            XCTAssertEqual(profile.ringCount, naive.mean.count)
            XCTAssertEqual(Array(profile.ringCounts), naive.count)
            // Integer values: the sums are exact in any order.
            XCTAssertTrue(sameValues(means(profile), naive.mean))
        }
    }

    func testRingsAreOnePixelWideFromTheCornerOfPixelZero() throws {
        // Centre (2, 2) on 4×4: the four middle pixels are 0.71 away (ring 0).
        let profile = try RadialProfile(width: 4, height: 4, centerX: 2, centerY: 2)
        XCTAssertEqual(profile.ring(x: 1, y: 1), 0)
        XCTAssertEqual(profile.ring(x: 2, y: 2), 0)
        XCTAssertEqual(profile.ring(x: 3, y: 2), 1, "d = 1.58")
        XCTAssertEqual(profile.ring(x: 0, y: 0), 2, "d = 2.12")
        XCTAssertEqual(profile.ringCount, 3)
        let frame = (0..<16).map { Float($0) }
        try frame.withUnsafeBufferPointer { try profile.compute($0) }
        XCTAssertEqual(profile.count(ring: 0), 4)
        XCTAssertEqual(profile.mean(ring: 0), Double(5 + 6 + 9 + 10) / 4)
    }

    func testDistanceExactlyOneStartsRingOne() throws {
        let profile = try RadialProfile(width: 3, height: 1, centerX: 0.5, centerY: 0.5)
        XCTAssertEqual((0..<3).map { profile.ring(x: $0, y: 0) }, [0, 1, 2])
    }

    func testBeamCentreOutsideTheImageLeavesInnerRingsEmpty() throws {
        let profile = try RadialProfile(width: 4, height: 3, centerX: -10, centerY: 1.5)
        let frame = [Float](repeating: 2, count: 12)
        try frame.withUnsafeBufferPointer { try profile.compute($0) }
        XCTAssertEqual(profile.ringCount, 14)
        for r in 0..<10 {
            XCTAssertTrue(profile.mean(ring: r).isNaN)
            XCTAssertEqual(profile.count(ring: r), 0)
        }
        XCTAssertEqual(profile.mean(ring: 10), 2)
        XCTAssertEqual(Array(profile.ringCounts).reduce(0, +), 12)
        var out = [Float](repeating: 0, count: profile.ringCount)
        try out.withUnsafeMutableBufferPointer { try profile.means(into: $0) }
        XCTAssertTrue(out[0].isNaN)
        XCTAssertEqual(out[13], 2)
    }

    func testMaskedPixelsAreIgnoredAndAllMaskedGivesNaN() throws {
        let profile = try RadialProfile(width: 3, height: 1, centerX: 0.5, centerY: 0.5)
        try [Float(1), .nan, 3].withUnsafeBufferPointer { try profile.compute($0) }
        XCTAssertTrue(sameValues(means(profile), [1, .nan, 3]))
        XCTAssertEqual(profile.count(ring: 1), 0)
        try [Float](repeating: .nan, count: 3).withUnsafeBufferPointer { try profile.compute($0) }
        XCTAssertTrue(means(profile).allSatisfy(\.isNaN))
    }

    func testOnePixelImage() throws {
        let profile = try RadialProfile(width: 1, height: 1, centerX: 0.5, centerY: 0.5)
        try [Float(7)].withUnsafeBufferPointer { try profile.compute($0) }
        XCTAssertEqual(profile.ringCount, 1)
        XCTAssertEqual(profile.mean(ring: 0), 7)
    }

    func testAccumulatedPartsComposeToTheProfileOfAllFrames() throws {
        let frames = (0..<9).map { randomCountFrame(count: 64, seed: 300 + UInt64($0)) }
        let whole = try RadialProfile(width: 8, height: 8, centerX: 4, centerY: 4)
        let parts = try (0..<3).map { _ in try RadialProfile(width: 8, height: 8, centerX: 4, centerY: 4) }
        for (k, f) in frames.enumerated() {
            try f.withUnsafeBufferPointer { try whole.add($0) }
            try f.withUnsafeBufferPointer { try parts[k % 3].add($0) }
        }
        for part in parts.dropFirst() { try parts[0].combine(part) }
        XCTAssertEqual(parts[0].frames, 9)
        XCTAssertTrue(sameValues(means(parts[0]), means(whole)))
        XCTAssertTrue(sameValues(means(whole), naiveProfile(frames, 8, 8, 4, 4).mean))
        XCTAssertThrowsError(try whole.combine(try RadialProfile(width: 8, height: 8, centerX: 4, centerY: 5)))
    }

    func testBadBeamCentresAndFramesAreTypedErrors() {
        XCTAssertThrowsError(try RadialProfile(width: 4, height: 4, centerX: .nan, centerY: 0))
        XCTAssertThrowsError(try RadialProfile(width: 4, height: 4, centerX: 1e9, centerY: 0)) { error in
            guard case AnalysisError.invalidSetting = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try [Float](repeating: 0, count: 15).withUnsafeBufferPointer {
            try RadialProfile(width: 4, height: 4, centerX: 2, centerY: 2).add($0)
        }) { error in
            XCTAssertEqual(error as? AnalysisError, .frameSizeMismatch(expected: 16, actual: 15))
        }
    }
}
