/// Hits per frame over the last `window` seconds, from timestamps the caller passes in (so
/// tests need no clock). Owned by one worker (or by the viewer for the combined rate); trackers
/// with the same window and bucket count combine exactly.
///
/// Memory is bounded whatever the frame rate: the window is cut into `buckets` time buckets
/// of window/buckets seconds, aligned to multiples of that width (bucket k holds times in
/// [k·w, (k+1)·w)), each holding frame and hit counts. The window at time t is the bucket
/// holding t and the buckets − 1 before it, so it spans between window − w and window seconds:
/// exact to one bucket width. Frames older than the window are ignored when recorded.
public struct HitRate: Sendable, Equatable {
    public let window: Double
    public let bucketCount: Int
    private let bucketWidth: Double
    private var index: [Int64]
    private var frameCounts: [UInt64]
    private var hitCounts: [UInt64]
    /// The latest bucket recorded; buckets that many before it or older are stale.
    private var newest = Int64.min

    public init(window: Double, buckets: Int = 50) throws(AnalysisError) {
        guard window.isFinite, window > 0 else { throw .invalidSetting("hit-rate window \(window) s (> 0)") }
        guard (1...100_000).contains(buckets) else { throw .invalidSetting("hit-rate buckets \(buckets) (1…100000)") }
        self.window = window
        bucketCount = buckets
        bucketWidth = window / Double(buckets)
        index = [Int64](repeating: .min, count: buckets)
        frameCounts = [UInt64](repeating: 0, count: buckets)
        hitCounts = [UInt64](repeating: 0, count: buckets)
    }

    /// Records one frame seen at `time` seconds (any fixed origin, e.g. CLOCK_MONOTONIC).
    /// A non-finite time, or one more than the window before the newest, is ignored.
    public mutating func record(hit: Bool, at time: Double) {
        add(frames: 1, hits: hit ? 1 : 0, at: time)
    }

    /// Records `frames` frames of which `hits` were hits, all at `time`.
    public mutating func add(frames: UInt64, hits: UInt64, at time: Double) {
        guard let k = bucket(time) else { return }
        if k > newest { newest = k }
        guard k > newest - Int64(bucketCount) else { return }
        let slot = Int(k.modulo(Int64(bucketCount)))
        if index[slot] != k {
            index[slot] = k
            frameCounts[slot] = 0
            hitCounts[slot] = 0
        }
        frameCounts[slot] &+= frames
        hitCounts[slot] &+= Swift.min(hits, frames)
    }

    /// Frames and hits in the window ending at `now`.
    public func totals(at now: Double) -> (frames: UInt64, hits: UInt64) {
        guard let k = bucket(now) else { return (0, 0) }
        var frames: UInt64 = 0, hits: UInt64 = 0
        for slot in 0..<bucketCount where index[slot] <= k && index[slot] > k - Int64(bucketCount) {
            frames &+= frameCounts[slot]
            hits &+= hitCounts[slot]
        }
        return (frames, hits)
    }

    /// hits / frames in the window ending at `now`; nil when no frame fell in it.
    public func rate(at now: Double) -> Double? {
        let t = totals(at: now)
        return t.frames == 0 ? nil : Double(t.hits) / Double(t.frames)
    }

    /// Adds another tracker's live buckets (same window and bucket count) into this one.
    public mutating func combine(_ other: HitRate) throws(AnalysisError) {
        guard other.window == window, other.bucketCount == bucketCount else {
            throw .incompatibleParts("hit rate over \(other.window) s/\(other.bucketCount) into \(window) s/\(bucketCount)")
        }
        for slot in 0..<bucketCount where other.index[slot] != .min {
            add(frames: other.frameCounts[slot], hits: other.hitCounts[slot],
                at: (Double(other.index[slot]) + 0.5) * bucketWidth)
        }
    }

    public mutating func clear() {
        for slot in 0..<bucketCount {
            index[slot] = .min
            frameCounts[slot] = 0
            hitCounts[slot] = 0
        }
        newest = .min
    }

    private func bucket(_ time: Double) -> Int64? {
        let k = (time / bucketWidth).rounded(.down)
        // Beyond ±2^62 buckets the arithmetic below could overflow: such times are nonsense.
        guard k.isFinite, Swift.abs(k) < 0x1p62 else { return nil }
        return Int64(k)
    }
}

extension Int64 {
    /// The non-negative remainder (Swift's % keeps the dividend's sign).
    fileprivate func modulo(_ n: Int64) -> Int64 {
        let r = self % n
        return r < 0 ? r + n : r
    }
}
