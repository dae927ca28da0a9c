import Histogram
import SharedMemory

/// The p50 and p99 of one stage's per-frame times, in nanoseconds.
public struct StageLatency: Sendable, Equatable {
    public var p50Ns: UInt64
    public var p99Ns: UInt64

    public init(p50Ns: UInt64, p99Ns: UInt64) {
        self.p50Ns = p50Ns
        self.p99Ns = p99Ns
    }
}

/// Latency percentiles of the frames of one window: decode, process, and receive to result.
public struct LatencyReadout: Sendable, Equatable {
    /// Frames the percentiles are over.
    public var frames: UInt64
    public var decode: StageLatency
    public var process: StageLatency
    public var receiveToResult: StageLatency

    public init(frames: UInt64, decode: StageLatency, process: StageLatency, receiveToResult: StageLatency) {
        self.frames = frames
        self.decode = decode
        self.process = process
        self.receiveToResult = receiveToResult
    }
}

/// Per-stage latency of the frames drained from the result queue, as p50/p99 over fixed
/// windows (the stats interval): fed with every drained `FrameResult`, read at each sample.
/// A reading gives the last window that ended, so a panel redrawn many times a second shows
/// the same numbers for a whole interval instead of percentiles of a handful of frames.
/// Owned by the session on the main actor; a plain value.
///
/// HdrHistogram (3 significant digits) keeps memory fixed whatever the frame rate; values
/// above `highestTrackableNs` are clamped into the top bucket rather than lost.
public struct LatencyWindow {
    /// 60 s: a frame slower than that reads as 60 s.
    public static let highestTrackableNs: UInt64 = 60_000_000_000

    public let intervalNs: UInt64
    private var decode = Self.histogram()
    private var process = Self.histogram()
    private var receiveToResult = Self.histogram()
    private var windowStart: UInt64?
    private var lastWindow: LatencyReadout?

    /// `intervalSeconds` not above 0 (stats lines off) gives one-second windows.
    public init(intervalSeconds: Double) {
        intervalNs = intervalSeconds > 0 ? UInt64(intervalSeconds * 1e9) : 1_000_000_000
    }

    /// Records one frame's stage times. Bad frames are left out: they stop at the first
    /// failure, and their short times would pull the percentiles down.
    public mutating func add(_ result: FrameResult) {
        guard result.status != .bad else { return }
        add(decodeNs: result.decodeNs, processNs: result.processNs, receiveToResultNs: result.receiveToResultNs)
    }

    public mutating func add(decodeNs: UInt64, processNs: UInt64, receiveToResultNs: UInt64) {
        Self.record(decodeNs, in: &decode)
        Self.record(processNs, in: &process)
        Self.record(receiveToResultNs, in: &receiveToResult)
    }

    /// The percentiles of the last window that ended by `now`, nil before the first ends or
    /// when it held no frame. The first reading starts the first window.
    public mutating func readout(now: UInt64) -> LatencyReadout? {
        guard let start = windowStart else {
            windowStart = now
            return nil
        }
        guard now &- start >= intervalNs else { return lastWindow }
        lastWindow = decode.totalCount == 0 ? nil : LatencyReadout(
            frames: decode.totalCount,
            decode: Self.percentiles(decode), process: Self.percentiles(process),
            receiveToResult: Self.percentiles(receiveToResult))
        decode.reset()
        process.reset()
        receiveToResult.reset()
        windowStart = now
        return lastWindow
    }

    private static func histogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: highestTrackableNs,
                  numberOfSignificantValueDigits: .three)
    }

    private static func record(_ value: UInt64, in histogram: inout Histogram<UInt64>) {
        _ = histogram.record(min(value, highestTrackableNs))
    }

    private static func percentiles(_ histogram: Histogram<UInt64>) -> StageLatency {
        StageLatency(p50Ns: histogram.valueAtPercentile(50), p99Ns: histogram.valueAtPercentile(99))
    }
}
