import XCTest
@testable import Processing

final class PumpProbeTests: XCTestCase {
    func testIssuePatternAlternatesUnpumpedAndPumped() throws {
        let pattern = try FramePattern(parsing: "up,p")
        XCTAssertEqual((0..<5).map { pattern.kind(forFrame: $0) }, [.unpumped, .pumped, .unpumped, .pumped, .unpumped])
        XCTAssertEqual(pattern.kind(forFrame: UInt64.max), .pumped, "2^64 − 1 is odd")
    }

    func testEverySpellingCaseAndBlanksAreAccepted() throws {
        let pattern = try FramePattern(parsing: " ped , UP,Unpumped,u\t, p ,PUMPED,d,dark ")
        XCTAssertEqual(pattern.kinds, [.dark, .unpumped, .unpumped, .unpumped, .pumped, .pumped, .dark, .dark])
        XCTAssertEqual(pattern.kind(forFrame: 8), .dark)
        XCTAssertEqual(pattern.kind(forFrame: 12), .pumped)
    }

    func testDescriptionParsesBackToTheSamePattern() throws {
        let pattern = try FramePattern(parsing: "dark,unpumped,p,p")
        XCTAssertEqual(pattern.description, "ped,up,p,p")
        XCTAssertEqual(try FramePattern(parsing: pattern.description), pattern)
    }

    func testBadPatternsNameTheProblem() {
        func error(_ text: String) -> FramePatternError? {
            do { _ = try FramePattern(parsing: text) } catch { return error }
            return nil
        }
        XCTAssertEqual(error(""), .empty)
        XCTAssertEqual(error("  "), .empty)
        XCTAssertEqual(error("up,,p"), .emptyEntry(position: 2))
        XCTAssertEqual(error("up,p,"), .emptyEntry(position: 3))
        XCTAssertEqual(error("up,pump"), .unknownEntry("pump", position: 2))
        XCTAssertTrue(error("up,pump")!.description.contains("'pump'"))
        XCTAssertTrue(error("up,pump")!.description.contains("entry 2"))
        XCTAssertEqual(error(Array(repeating: "p", count: 5000).joined(separator: ",")), .tooLong(entries: 5000))
        XCTAssertThrowsError(try FramePattern([]))
    }

    func testUnpumpedPumpedAndDifferenceMatchNaiveMeans() throws {
        let pattern = try FramePattern(parsing: "ped,up,p,p")
        let (w, h) = (5, 3)
        let frames = (0..<23).map { randomCountFrame(count: w * h, seed: 40 + UInt64($0), maskedPercent: 15) }
        let accumulator = try PumpProbeAccumulator(width: w, height: h)
        for (n, f) in frames.enumerated() {
            try f.withUnsafeBufferPointer { try accumulator.add($0, kind: pattern.kind(forFrame: UInt64(n))) }
        }
        // Naive: per pixel, mean over the valid frames of each kind.
        func naiveMean(_ kind: FrameKind, _ i: Int) -> Double {
            let values = frames.enumerated()
                .filter { pattern.kind(forFrame: UInt64($0.offset)) == kind && !$0.element[i].isNaN }
                .map { Double($0.element[i]) }
            return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
        let difference = (0..<(w * h)).map { Float(naiveMean(.pumped, $0) - naiveMean(.unpumped, $0)) }
        XCTAssertTrue(sameFloats(accumulator.differenceImage, difference))
        XCTAssertTrue(sameFloats(accumulator.unpumped.meanImage, (0..<(w * h)).map { Float(naiveMean(.unpumped, $0)) }))
        XCTAssertTrue(sameFloats(accumulator.pumped.meanImage, (0..<(w * h)).map { Float(naiveMean(.pumped, $0)) }))
        XCTAssertEqual(accumulator.darkFrames, 6)
        XCTAssertEqual(accumulator.unpumped.frames, 6)
        XCTAssertEqual(accumulator.pumped.frames, 11)
    }

    func testDifferenceIsNormalisedPerFrame() throws {
        // Two pumped frames of 10 and one unpumped of 4: per-frame 10 − 4, not the sums' 20 − 4.
        let accumulator = try PumpProbeAccumulator(width: 1, height: 1)
        try [Float(10)].withUnsafeBufferPointer { try accumulator.add($0, kind: .pumped) }
        try [Float(10)].withUnsafeBufferPointer { try accumulator.add($0, kind: .pumped) }
        try [Float(4)].withUnsafeBufferPointer { try accumulator.add($0, kind: .unpumped) }
        XCTAssertEqual(accumulator.differenceImage, [6])
    }

    func testDifferenceIsNaNUntilBothSidesHaveAFrame() throws {
        let accumulator = try PumpProbeAccumulator(width: 2, height: 1)
        XCTAssertTrue(accumulator.differenceImage.allSatisfy(\.isNaN))
        try [Float(1), .nan].withUnsafeBufferPointer { try accumulator.add($0, kind: .pumped) }
        XCTAssertTrue(accumulator.differenceImage.allSatisfy(\.isNaN))
        try [Float(3), 5].withUnsafeBufferPointer { try accumulator.add($0, kind: .unpumped) }
        XCTAssertTrue(sameFloats(accumulator.differenceImage, [-2, .nan]))
    }

    func testComposedWorkerPartsEqualOneAccumulator() throws {
        let pattern = try FramePattern(parsing: "up,p,ped")
        let frames = (0..<20).map { randomCountFrame(count: 12, seed: 7 + UInt64($0)) }
        let whole = try PumpProbeAccumulator(width: 4, height: 3)
        let parts = try (0..<3).map { _ in try PumpProbeAccumulator(width: 4, height: 3) }
        for (n, f) in frames.enumerated() {
            let kind = pattern.kind(forFrame: UInt64(n))
            try f.withUnsafeBufferPointer { try whole.add($0, kind: kind) }
            try f.withUnsafeBufferPointer { try parts[(n * 7) % 3].add($0, kind: kind) }
        }
        let total = try PumpProbeAccumulator.compose(parts)
        XCTAssertTrue(sameFloats(total.differenceImage, whole.differenceImage))
        XCTAssertEqual(Array(total.pumped.rawSums), Array(whole.pumped.rawSums))
        XCTAssertEqual(total.unpumped.validFrameCounts, whole.unpumped.validFrameCounts)
        XCTAssertEqual(total.darkFrames, whole.darkFrames)
        XCTAssertThrowsError(try total.combine(try PumpProbeAccumulator(width: 3, height: 4)))
    }

    func testDarkFrameOfWrongSizeIsStillAnError() throws {
        let accumulator = try PumpProbeAccumulator(width: 2, height: 2)
        XCTAssertThrowsError(try [Float(1)].withUnsafeBufferPointer { try accumulator.add($0, kind: .dark) })
        XCTAssertEqual(accumulator.darkFrames, 0)
        accumulator.clear()
        XCTAssertEqual(accumulator.unpumped.frames + accumulator.pumped.frames, 0)
    }
}

extension PumpProbeAccumulator {
    var differenceImage: [Float] {
        var out = [Float](repeating: -1, count: width * height)
        do { try out.withUnsafeMutableBufferPointer { try difference(into: $0) } } catch { return [] }
        return out
    }
}
