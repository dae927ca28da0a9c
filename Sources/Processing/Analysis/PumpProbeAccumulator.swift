/// Separate accumulations of unpumped and pumped frames for pump-probe experiments, and
/// their per-frame normalised difference. Owned by one worker process; parts from several
/// workers merge exactly with `combine` / `compose`.
///
/// Dark frames are not accumulated here (they feed the pedestal tracker); they are counted.
/// The difference image is mean(pumped) − mean(unpumped) per pixel, each mean over the frames
/// in which the pixel was valid (with no masked frames: pumped/nP − unpumped/nU), so unequal
/// numbers of pumped and unpumped frames do not bias it. A pixel with no valid frame on
/// either side is NaN.
public final class PumpProbeAccumulator {
    public let unpumped: FrameAccumulator
    public let pumped: FrameAccumulator
    /// Dark frames seen (and skipped).
    public private(set) var darkFrames: UInt64 = 0

    public var width: Int { unpumped.width }
    public var height: Int { unpumped.height }

    public init(width: Int, height: Int, contents: FrameAccumulator.Contents = .all) throws(AnalysisError) {
        unpumped = try FrameAccumulator(width: width, height: height, contents: contents)
        pumped = try FrameAccumulator(width: width, height: height, contents: contents)
    }

    /// Folds a frame into the side its kind says (`FramePattern.kind(forFrame:)`).
    public func add(_ frame: UnsafeBufferPointer<Float>, kind: FrameKind) throws(AnalysisError) {
        switch kind {
        case .unpumped: try unpumped.add(frame)
        case .pumped: try pumped.add(frame)
        case .dark:
            try AnalysisLimits.check(frame, unpumped.pixelCount)
            darkFrames += 1
        }
    }

    public func clear() {
        unpumped.clear()
        pumped.clear()
        darkFrames = 0
    }

    public func combine(_ other: PumpProbeAccumulator) throws(AnalysisError) {
        // Check both sides before changing either, so a refused combine changes nothing.
        guard other.width == width, other.height == height, other.unpumped.contents == unpumped.contents else {
            throw .incompatibleParts("pump-probe \(other.width)×\(other.height) into \(width)×\(height)")
        }
        let limit = UInt64(UInt32.max)
        guard unpumped.frames + other.unpumped.frames <= limit, pumped.frames + other.pumped.frames <= limit else {
            throw .accumulatorFull(frames: Swift.max(unpumped.frames + other.unpumped.frames,
                                                     pumped.frames + other.pumped.frames))
        }
        try unpumped.combine(other.unpumped)
        try pumped.combine(other.pumped)
        darkFrames += other.darkFrames
    }

    public static func compose(_ parts: [PumpProbeAccumulator]) throws(AnalysisError) -> PumpProbeAccumulator {
        guard let first = parts.first else { throw .incompatibleParts("no parts to compose") }
        let total = try PumpProbeAccumulator(width: first.width, height: first.height,
                                             contents: first.unpumped.contents)
        for part in parts { try total.combine(part) }
        return total
    }

    /// mean(pumped) − mean(unpumped) per pixel; NaN where either side was never valid.
    public func difference(into out: UnsafeMutableBufferPointer<Float>) throws(AnalysisError) {
        guard unpumped.contents.contains(.sum) else { throw .notTracked("pump-probe difference") }
        let n = unpumped.pixelCount
        guard out.count == n else { throw .frameSizeMismatch(expected: n, actual: out.count) }
        let su = unpumped.rawSums, sp = pumped.rawSums
        for i in 0..<n {
            let cu = unpumped.validFrames(at: i), cp = pumped.validFrames(at: i)
            out[i] = cu == 0 || cp == 0 ? .nan : Float(sp[i] / Double(cp) - su[i] / Double(cu))
        }
    }
}
