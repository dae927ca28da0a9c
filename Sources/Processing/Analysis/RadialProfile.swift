/// Azimuthal mean in rings one pixel wide around a beam centre: the radial profile mode.
/// Owned by one worker process; the ring of every pixel is computed once at init (a new
/// beam centre means a new instance), so `add` is one pass of sums per ring.
///
/// Geometry: coordinates have their origin at the corner of pixel (0, 0), as DECTRIS's
/// beam_center_x/y do; pixel (i, j) has its centre at (i + 0.5, j + 0.5). Ring r holds the
/// pixels whose centre distance d to (centerX, centerY) satisfies r ≤ d < r + 1. Rings run
/// from 0 to ⌊largest distance⌋, so with a beam centre outside the image the inner rings are
/// empty (NaN mean, count 0). Masked (NaN) pixels are left out of sums and counts.
///
/// Frames accumulate (`add`) until `clear`; a per-frame profile is `clear` + `add`. Parts from
/// several workers `combine` exactly (sums and counts add).
public final class RadialProfile {
    /// At most this many rings: a beam centre further than that from every pixel is a mistake.
    public static let maxRings = 1 << 16

    public let width: Int
    public let height: Int
    public let centerX: Double
    public let centerY: Double
    public let ringCount: Int
    public private(set) var frames: UInt64 = 0
    private let pixelCount: Int
    private let ringOfPixel: UnsafeMutableBufferPointer<Int32>
    private let sums: UnsafeMutableBufferPointer<Double>
    private let counts: UnsafeMutableBufferPointer<UInt64>

    public init(width: Int, height: Int, centerX: Double, centerY: Double) throws(AnalysisError) {
        pixelCount = try AnalysisLimits.pixelCount(width: width, height: height)
        guard centerX.isFinite, centerY.isFinite else {
            throw .invalidSetting("beam centre (\(centerX), \(centerY)) is not finite")
        }
        // The farthest pixel centre is at a corner of the image.
        let dx = Swift.max(Swift.abs(0.5 - centerX), Swift.abs(Double(width) - 0.5 - centerX))
        let dy = Swift.max(Swift.abs(0.5 - centerY), Swift.abs(Double(height) - 0.5 - centerY))
        let farthest = (dx * dx + dy * dy).squareRoot()
        guard farthest < Double(Self.maxRings) else {
            throw .invalidSetting("beam centre (\(centerX), \(centerY)) is \(Int(farthest)) pixels from the image "
                + "(at most \(Self.maxRings))")
        }
        self.width = width
        self.height = height
        self.centerX = centerX
        self.centerY = centerY
        ringCount = Int(farthest) + 1
        ringOfPixel = .allocate(capacity: pixelCount)
        sums = .allocate(capacity: ringCount)
        counts = .allocate(capacity: ringCount)
        for y in 0..<height {
            let ry = Double(y) + 0.5 - centerY
            for x in 0..<width {
                let rx = Double(x) + 0.5 - centerX
                // No pixel centre is farther than a corner's, so this min never bites; it is there
                // so that no rounding can ever index past the last ring.
                ringOfPixel[y * width + x] = Int32(Swift.min(Int((rx * rx + ry * ry).squareRoot()), ringCount - 1))
            }
        }
        clear()
    }

    deinit {
        ringOfPixel.deallocate()
        sums.deallocate()
        counts.deallocate()
    }

    public func clear() {
        frames = 0
        sums.update(repeating: 0)
        counts.update(repeating: 0)
    }

    /// Folds a frame's valid pixels into the ring sums.
    public func add(_ frame: UnsafeBufferPointer<Float>) throws(AnalysisError) {
        try AnalysisLimits.check(frame, pixelCount)
        frames += 1
        let f = frame.baseAddress!, ring = ringOfPixel.baseAddress!
        let s = sums.baseAddress!, c = counts.baseAddress!
        for i in 0..<pixelCount {
            let v = f[i]
            let r = Int(ring[i])
            let valid = v == v
            s[r] += valid ? Double(v) : 0
            c[r] &+= valid ? 1 : 0
        }
    }

    /// The profile of one frame alone: `clear` then `add`.
    public func compute(_ frame: UnsafeBufferPointer<Float>) throws(AnalysisError) {
        try AnalysisLimits.check(frame, pixelCount)
        clear()
        try add(frame)
    }

    public func combine(_ other: RadialProfile) throws(AnalysisError) {
        guard other.width == width, other.height == height, other.centerX == centerX, other.centerY == centerY else {
            throw .incompatibleParts("radial profile \(other.width)×\(other.height) around (\(other.centerX), "
                + "\(other.centerY)) into \(width)×\(height) around (\(centerX), \(centerY))")
        }
        frames += other.frames
        for r in 0..<ringCount {
            sums[r] += other.sums[r]
            counts[r] &+= other.counts[r]
        }
    }

    /// Valid pixel values summed into each ring, per ring (over all frames added).
    public var ringCounts: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(counts) }

    /// The mean of ring r; NaN when it holds no valid pixel (or r is out of range).
    public func mean(ring r: Int) -> Double {
        guard r >= 0, r < ringCount, counts[r] > 0 else { return .nan }
        return sums[r] / Double(counts[r])
    }

    /// Valid pixel values summed into ring r (0 out of range).
    public func count(ring r: Int) -> UInt64 {
        guard r >= 0, r < ringCount else { return 0 }
        return counts[r]
    }

    /// The per-ring means (NaN for empty rings) into `out`, which must hold `ringCount` values.
    public func means(into out: UnsafeMutableBufferPointer<Float>) throws(AnalysisError) {
        guard out.count == ringCount else { throw .frameSizeMismatch(expected: ringCount, actual: out.count) }
        for r in 0..<ringCount { out[r] = counts[r] == 0 ? .nan : Float(sums[r] / Double(counts[r])) }
    }

    /// The ring pixel (x, y) falls in.
    public func ring(x: Int, y: Int) -> Int? {
        guard x >= 0, x < width, y >= 0, y < height else { return nil }
        return Int(ringOfPixel[y * width + x])
    }
}
