import Processing

/// Deterministic pseudo-random numbers (xorshift), so failures reproduce.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A frame with random values and roughly `maskedPercent`% masked (all-ones) pixels.
func randomFrame<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, count: Int, seed: UInt64,
                                                         maskedPercent: Int = 5) -> [T] {
    var random = TestRandom(seed: seed)
    return (0..<count).map { _ in
        random.below(100) < maskedPercent ? T.max : T(truncatingIfNeeded: random.next()) & (T.max - 1)
    }
}

func naiveStats<T: FixedWidthInteger & UnsignedInteger>(_ p: [T], mask: T = .max) -> FrameStats {
    let kept = p.filter { $0 != mask }
    guard !kept.isEmpty else { return FrameStats(sum: 0, min: .nan, max: .nan, mean: .nan, masked: p.count, count: 0) }
    let sum = kept.reduce(0.0) { $0 + Double($1) }
    return FrameStats(sum: sum, min: Double(kept.min()!), max: Double(kept.max()!), mean: sum / Double(kept.count),
                      masked: p.count - kept.count, count: kept.count)
}

/// The binning contract written out directly: per output pixel, scan its rectangle.
func naiveBin<T: FixedWidthInteger & UnsignedInteger>(_ p: [T], width: Int, height: Int, outWidth: Int,
                                                      outHeight: Int, mean: Bool, mask: T = .max) -> [Float] {
    var out = [Float](repeating: 0, count: outWidth * outHeight)
    for j in 0..<outHeight {
        let y0 = j * height / outHeight
        let y1 = max(y0 + 1, (j + 1) * height / outHeight)
        for i in 0..<outWidth {
            let x0 = i * width / outWidth
            let x1 = max(x0 + 1, (i + 1) * width / outWidth)
            var values: [Double] = []
            for y in y0..<y1 {
                for x in x0..<x1 where p[y * width + x] != mask { values.append(Double(p[y * width + x])) }
            }
            if values.isEmpty {
                out[j * outWidth + i] = .nan
            } else {
                out[j * outWidth + i] = mean ? Float(values.reduce(0, +) / Double(values.count)) : Float(values.max()!)
            }
        }
    }
    return out
}

func sameFloats(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
}
