import Processing

/// A Float frame of whole numbers in 0..<maxValue (as the worker makes from counts), with about
/// `maskedPercent`% NaN (masked) pixels. Whole numbers keep Double sums exact in any order.
func randomCountFrame(count: Int, seed: UInt64, maxValue: Int = 1000, maskedPercent: Int = 5) -> [Float] {
    var random = TestRandom(seed: seed)
    return (0..<count).map { _ in
        random.below(100) < maskedPercent ? .nan : Float(random.below(maxValue))
    }
}

/// A frame of `width × height` pixels all equal to `value`, with `spots` set pixel by pixel.
func handFrame(width: Int, height: Int, value: Float = 0, spots: [(x: Int, y: Int, v: Float)] = []) -> [Float] {
    var frame = [Float](repeating: value, count: width * height)
    for s in spots { frame[s.y * width + s.x] = s.v }
    return frame
}

/// `a` and `b` hold the same values, NaN matching NaN.
func sameValues(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
}

extension FrameAccumulator {
    func add(_ frame: [Float]) throws { try frame.withUnsafeBufferPointer { try add($0) } }

    var meanImage: [Float] { image { try mean(into: $0) } }
    var maxImage: [Float] { image { try maximum(into: $0) } }
    var sumImage: [Float] { image { try sum(into: $0) } }

    private func image(_ fill: (UnsafeMutableBufferPointer<Float>) throws -> Void) -> [Float] {
        var out = [Float](repeating: -1, count: pixelCount)
        do { try out.withUnsafeMutableBufferPointer { try fill($0) } } catch { return [] }
        return out
    }
}
