import CKernels

/// Running per-pixel sum, valid-frame count and maximum over frames: the state behind the
/// sum, mean and max modes. Owned by one worker process (single-threaded, not Sendable);
/// each worker accumulates its own share of the frames and the parts are merged with
/// `combine` / `compose`, which is exact (sums and counts add, maxima take the max).
///
/// Frames are `Float` pixels, row-major, NaN = masked. A masked pixel adds nothing and does
/// not count as a frame for that pixel, so `mean` is the mean over the frames in which the
/// pixel was valid; a pixel never valid reads NaN in every output image.
///
/// The sum is kept in Double, not Float: Float has a 24-bit mantissa, so once a pixel's sum
/// passes 2^24 (an EIGER pixel at 200 counts/frame gets there in 10^5 frames) adding one count
/// is lost, and the mean drifts. Double sums of Float-exact integers stay exact up to 2^53
/// (10^5 frames of full-scale u32 counts is 4·10^14 < 9·10^15). It costs 8 bytes a pixel.
///
/// A pixel's valid frames are the frames less those in which it was masked: masked pixels are
/// few, so `add` touches the per-pixel counts only near them (C `ck_accumulate_sum`).
///
/// Storage is allocated once, at init, for the parts in `contents` only; `add` never allocates.
public final class FrameAccumulator {
    /// Which quantities are tracked (only their memory is allocated).
    public struct Contents: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Per-pixel sum and valid-frame count (sum and mean).
        public static let sum = Contents(rawValue: 1)
        /// Per-pixel maximum.
        public static let max = Contents(rawValue: 2)
        public static let all: Contents = [.sum, .max]
    }

    public let width: Int
    public let height: Int
    public let pixelCount: Int
    public let contents: Contents
    /// Frames added (masked or not), over all parts combined into this one.
    public internal(set) var frames: UInt64 = 0
    /// The kernel variant of `add` (tests compare them).
    var path: KernelPath = .best

    let sums: UnsafeMutableBufferPointer<Double>
    /// Per pixel, the frames in which it was masked.
    let maskedFrames: UnsafeMutableBufferPointer<UInt32>
    /// -infinity until a valid value arrives: `v > m ? v : m` then needs no NaN test and
    /// vectorises; outputs turn -infinity into NaN.
    let maxima: UnsafeMutableBufferPointer<Float>

    public init(width: Int, height: Int, contents: Contents = .all) throws(AnalysisError) {
        let count = try AnalysisLimits.pixelCount(width: width, height: height)
        self.width = width
        self.height = height
        self.pixelCount = count
        self.contents = contents
        sums = .allocate(capacity: contents.contains(.sum) ? count : 0)
        maskedFrames = .allocate(capacity: contents.contains(.sum) ? count : 0)
        maxima = .allocate(capacity: contents.contains(.max) ? count : 0)
        clear()
    }

    deinit {
        sums.deallocate()
        maskedFrames.deallocate()
        maxima.deallocate()
    }

    /// Forgets every frame.
    public func clear() {
        frames = 0
        sums.update(repeating: 0)
        maskedFrames.update(repeating: 0)
        maxima.update(repeating: -.infinity)
    }

    /// Folds one frame in. Throws on a wrong pixel count, or when the per-pixel counters
    /// (UInt32) are full: 4·10^9 frames, days at 10 kHz.
    public func add(_ frame: UnsafeBufferPointer<Float>) throws(AnalysisError) {
        try AnalysisLimits.check(frame, pixelCount)
        guard frames < UInt64(UInt32.max) else { throw .accumulatorFull(frames: frames) }
        frames += 1
        guard let f = frame.baseAddress else { return }
        let n = pixelCount
        if contents.contains(.sum) {
            ck_accumulate_sum(f, n, sums.baseAddress, maskedFrames.baseAddress, path.c)
        }
        if contents.contains(.max) {
            // Branch-free on the pixel, so it vectorises.
            let m = maxima.baseAddress!
            for i in 0..<n {
                let v = f[i]
                let old = m[i]
                m[i] = v > old ? v : old
            }
        }
    }

    /// Adds another part's frames into this one (same size and contents). Exact: the result
    /// is what one accumulator fed all frames of both would hold.
    public func combine(_ other: FrameAccumulator) throws(AnalysisError) {
        guard other.width == width, other.height == height, other.contents == contents else {
            throw .incompatibleParts("\(other.width)×\(other.height) \(other.contents.rawValue) into "
                + "\(width)×\(height) \(contents.rawValue)")
        }
        guard frames + other.frames <= UInt64(UInt32.max) else { throw .accumulatorFull(frames: frames + other.frames) }
        frames += other.frames
        for i in 0..<sums.count {
            sums[i] += other.sums[i]
            maskedFrames[i] &+= other.maskedFrames[i]
        }
        for i in 0..<maxima.count {
            let v = other.maxima[i], old = maxima[i]
            maxima[i] = v > old ? v : old
        }
    }

    /// A new accumulator holding all parts' frames (the parts are not changed).
    public static func compose(_ parts: [FrameAccumulator]) throws(AnalysisError) -> FrameAccumulator {
        guard let first = parts.first else { throw .incompatibleParts("no parts to compose") }
        let total = try FrameAccumulator(width: first.width, height: first.height, contents: first.contents)
        for part in parts { try total.combine(part) }
        return total
    }

    /// Raw per-pixel sums (0 where a pixel was never valid). Valid until the next call that
    /// changes this accumulator; empty when `.sum` is not tracked.
    public var rawSums: UnsafeBufferPointer<Double> { UnsafeBufferPointer(sums) }
    /// The frames in which pixel `index` was valid (0 when `.sum` is not tracked).
    public func validFrames(at index: Int) -> UInt32 {
        contents.contains(.sum) ? UInt32(frames) &- maskedFrames[index] : 0
    }

    /// Every pixel's valid frames (allocates: for tests and readouts); empty without `.sum`.
    public var validFrameCounts: [UInt32] { (0..<maskedFrames.count).map { validFrames(at: $0) } }

    /// The sum image as Float (for display or a float32 file); NaN where never valid.
    public func sum(into out: UnsafeMutableBufferPointer<Float>) throws(AnalysisError) {
        try requireSum("sum", out)
        for i in 0..<pixelCount { out[i] = validFrames(at: i) == 0 ? .nan : Float(sums[i]) }
    }

    /// The mean image: sum / valid frames per pixel; NaN where never valid.
    public func mean(into out: UnsafeMutableBufferPointer<Float>) throws(AnalysisError) {
        try requireSum("mean", out)
        for i in 0..<pixelCount {
            let valid = validFrames(at: i)
            out[i] = valid == 0 ? .nan : Float(sums[i] / Double(valid))
        }
    }

    /// The max image; NaN where never valid.
    public func maximum(into out: UnsafeMutableBufferPointer<Float>) throws(AnalysisError) {
        guard contents.contains(.max) else { throw .notTracked("max") }
        guard out.count == pixelCount else { throw .frameSizeMismatch(expected: pixelCount, actual: out.count) }
        for i in 0..<pixelCount { out[i] = maxima[i] == -.infinity ? .nan : maxima[i] }
    }

    /// The mean of one pixel over its valid frames (NaN when never valid); for tests and readouts.
    public func mean(x: Int, y: Int) -> Double {
        guard contents.contains(.sum), x >= 0, x < width, y >= 0, y < height else { return .nan }
        let i = y * width + x
        let valid = validFrames(at: i)
        return valid == 0 ? .nan : sums[i] / Double(valid)
    }

    private func requireSum(_ what: String, _ out: UnsafeMutableBufferPointer<Float>) throws(AnalysisError) {
        guard contents.contains(.sum) else { throw .notTracked(what) }
        guard out.count == pixelCount else { throw .frameSizeMismatch(expected: pixelCount, actual: out.count) }
    }
}
