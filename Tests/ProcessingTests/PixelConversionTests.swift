import XCTest
@testable import Processing

/// One pixel as the reference sees it: its value (nil when masked) and its stored bytes.
private struct Sample {
    var value: Double?
    var littleEndianBytes: [UInt8]
}

private func bytes<T>(of v: T) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }

/// Random samples of `element` with its masked value(s) mixed in, built from typed Swift values
/// (not from the conversion's own bit handling).
private func samples(_ element: PixelConversion.Element, count: Int, seed: UInt64) -> [Sample] {
    var random = TestRandom(seed: seed)
    func int<T: FixedWidthInteger>(_: T.Type, mask: T) -> Sample {
        let v = random.below(9) == 0 ? mask : T(truncatingIfNeeded: random.next())
        return Sample(value: v == mask ? nil : Double(v), littleEndianBytes: bytes(of: v.littleEndian))
    }
    return (0..<count).map { i in
        switch element {
        case .uint8: return int(UInt8.self, mask: .max)
        case .uint16: return int(UInt16.self, mask: .max)
        case .uint32: return int(UInt32.self, mask: .max)
        case .uint64: return int(UInt64.self, mask: .max)
        case .int8: return int(Int8.self, mask: .min)
        case .int16: return int(Int16.self, mask: .min)
        case .int32: return int(Int32.self, mask: .min)
        case .int64: return int(Int64.self, mask: .min)
        case .float32:
            let specials: [Float] = [.nan, .infinity, -.infinity]
            let v = i % 13 < 3 ? specials[i % 13] : Float(Int(random.below(2_000_001)) - 1_000_000) / 64
            return Sample(value: v.isFinite ? Double(v) : nil, littleEndianBytes: bytes(of: v.bitPattern.littleEndian))
        case .float64:
            let specials: [Double] = [.nan, -.infinity, .infinity]
            let v = i % 13 < 3 ? specials[i % 13] : Double(Int(random.below(2_000_001)) - 1_000_000) / 1024
            return Sample(value: v.isFinite ? v : nil, littleEndianBytes: bytes(of: v.bitPattern.littleEndian))
        }
    }
}

/// Statistics the slow obvious way, summed in pixel order like the conversion's Double sums.
private func naiveStats(_ s: [Sample]) -> FrameStats {
    let kept = s.compactMap(\.value)
    guard !kept.isEmpty else { return FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: s.count, count: 0) }
    let sum = kept.reduce(0, +)
    return FrameStats(sum: sum, min: kept.min()!, max: kept.max()!, mean: sum / Double(kept.count),
                      masked: s.count - kept.count, count: kept.count)
}

final class PixelConversionTests: XCTestCase {
    private func convert(_ stored: [UInt8], _ element: PixelConversion.Element, bigEndian: Bool,
                         count: Int) -> (FrameStats?, [Float]) {
        var out = [Float](repeating: 42, count: count)
        let stats = stored.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { PixelConversion.toFloat(raw, element: element, bigEndian: bigEndian, into: $0) }
        }
        return (stats, out)
    }

    func testEveryElementInEitherByteOrderMatchesTheReference() {
        for (k, element) in PixelConversion.Element.allCases.enumerated() {
            for bigEndian in [false, true] {
                let s = samples(element, count: 1001, seed: UInt64(k * 2 + 1))
                let stored = s.flatMap { bigEndian ? $0.littleEndianBytes.reversed() : $0.littleEndianBytes }
                let (stats, image) = convert(stored, element, bigEndian: bigEndian, count: s.count)
                let what = "\(element) \(bigEndian ? "BE" : "LE")"
                XCTAssertEqual(stats, naiveStats(s), what)
                XCTAssertTrue(sameFloats(image, s.map { $0.value.map(Float.init) ?? .nan }), what)
                XCTAssertGreaterThan(stats?.masked ?? 0, 0, "\(what): the test has masked pixels")
            }
        }
    }

    func testSignedFramesKeepTheirNegativeValuesAndMaskTheMinimum() {
        let values: [Int16] = [-5, .min, 300, -32767, 7]
        let (stats, image) = convert(values.flatMap { bytes(of: $0.littleEndian) }, .int16, bigEndian: false, count: 5)
        XCTAssertEqual(stats, FrameStats(sum: -32465, min: -32767, max: 300, mean: -32465 / 4, masked: 1, count: 4))
        XCTAssertTrue(sameFloats(image, [-5, .nan, 300, -32767, 7]))
    }

    /// Only the display is rounded to Float: the statistics keep the Double (or 64-bit) values.
    func testWideValuesAreExactInTheStatisticsAndClampedOnlyInTheImage() {
        let doubles: [Double] = [1e300, -1e300, 0.1]
        let (stats, image) = convert(doubles.flatMap { bytes(of: $0.bitPattern.littleEndian) }, .float64, bigEndian: false, count: 3)
        XCTAssertEqual(stats?.max, 1e300)
        XCTAssertEqual(stats?.min, -1e300)
        XCTAssertEqual(image, [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0.1])
        let big: [Int64] = [(1 << 62) + 1, -((1 << 62) + 3)]
        let (wide, _) = convert(big.flatMap { bytes(of: $0.bigEndian) }, .int64, bigEndian: true, count: 2)
        XCTAssertEqual(wide?.max, Double((1 << 62) + 1))
        XCTAssertEqual(wide?.min, Double(-((1 << 62) + 3)))
    }

    func testIntegerSumsUpTo32BitsAreExact() {
        // 2^24 + 1 is not a Float; 3 × (2^32 − 2) is not exact in a Float sum either.
        let values: [UInt32] = [(1 << 24) + 1, .max - 1, .max - 1, .max - 1]
        let (stats, _) = convert(values.flatMap { bytes(of: $0.littleEndian) }, .uint32, bigEndian: false, count: 4)
        XCTAssertEqual(stats?.sum, Double((1 << 24) + 1 + 3 * (UInt64(UInt32.max) - 1)))
    }

    func testSizeMismatchConvertsNothing() {
        let (stats, image) = convert([1, 2, 3], .uint16, bigEndian: false, count: 2)
        XCTAssertNil(stats)
        XCTAssertEqual(image, [42, 42])
    }

    func testEmptyFrameHasNoStatistics() {
        let (stats, _) = convert([], .float32, bigEndian: true, count: 0)
        XCTAssertEqual(stats, FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: 0, count: 0))
    }

    func testByteSwapsReverseEachElement() {
        let source: [UInt8] = Array(0..<16)
        for size in [2, 4, 8] {
            var target = [UInt8](repeating: 0, count: 16)
            let copied = source.withUnsafeBytes { s in target.withUnsafeMutableBytes { PixelConversion.copySwappingBytes(from: s, to: $0, elementSize: size) } }
            XCTAssertTrue(copied)
            let expected = stride(from: 0, to: 16, by: size).flatMap { Array(source[$0..<$0 + size].reversed()) }
            XCTAssertEqual(target, expected, "\(size)-byte elements")
            var inPlace = source
            XCTAssertTrue(inPlace.withUnsafeMutableBytes { PixelConversion.swapBytes($0, elementSize: size) })
            XCTAssertEqual(inPlace, expected, "\(size)-byte elements in place")
        }
        var odd: [UInt8] = [1, 2, 3]
        XCTAssertFalse(odd.withUnsafeMutableBytes { PixelConversion.swapBytes($0, elementSize: 2) }, "not whole elements")
        XCTAssertFalse(odd.withUnsafeMutableBytes { PixelConversion.swapBytes($0, elementSize: 3) }, "no 3-byte elements")
        XCTAssertEqual(odd, [1, 2, 3])
    }
}
