import DetectorStream
import SharedMemory

/// Which headless lines the per-frame results and series events become: the frame lines up to
/// `--exit-after-frames`, and a series' end only once every frame of it is accounted for, so
/// its last frame line comes before its `series_end`. A pure value owned by `ViewerCore`.
struct HeadlessAccounting: Sendable {
    let headless: ViewerConfig.Headless?
    /// Frame lines written (or counted towards `--exit-after-frames`).
    private(set) var framesReported: UInt64 = 0
    /// Results drained (every frame a worker finished, processed or bad), and results lost.
    private(set) var resultsDrained: UInt64 = 0
    private(set) var resultsLost: UInt64 = 0
    /// A series that ended but still has frames in flight.
    private(set) var pendingSeriesEnd: (series: UInt64, frames: UInt64)?
    /// The `bad_frame` lines of frames rejected without a per-frame line.
    private(set) var badFrames = BadFrameLines()
    /// The time of the input being handled (monotonic ns), set by `clock(_:into:)`.
    private var now: UInt64 = 0

    init(headless: ViewerConfig.Headless?) {
        self.headless = headless
    }

    var reachedFrameLimit: Bool {
        guard let limit = headless?.exitAfterFrames else { return false }
        return framesReported >= limit
    }

    /// A series still waiting for its frames is closed first: every `series_start` follows the
    /// previous series' `series_end`, even when series churn faster than their frames drain.
    mutating func seriesStarted(_ info: SeriesInfo, source: String, into effects: inout [ViewerEffect]) {
        closePendingSeries(into: &effects)
        guard headless != nil else { return }
        effects.append(.emit(HeadlessReport.seriesStart(info, source: source)))
    }

    mutating func seriesEnded(series: UInt64, frames: UInt64, into effects: inout [ViewerEffect]) {
        closePendingSeries(into: &effects)
        pendingSeriesEnd = (series, frames)
    }

    private mutating func closePendingSeries(into effects: inout [ViewerEffect]) {
        guard let end = pendingSeriesEnd else { return }
        pendingSeriesEnd = nil
        if headless != nil { effects.append(.emit(HeadlessReport.seriesEnd(series: end.series, frames: end.frames))) }
    }

    mutating func frame(_ result: FrameResult, into effects: inout [ViewerEffect]) {
        resultsDrained += 1
        guard let headless, !reachedFrameLimit else { return }
        framesReported += 1
        if headless.perFrame {
            effects.append(.emit(HeadlessReport.frame(result)))
        } else if result.status == .bad {
            badFrames.rejected(1, reason: result.badReason, at: now, into: &effects)
        }
    }

    /// Every input starts here: its time, and the held `bad_frame` line if it is due.
    mutating func clock(_ now: UInt64, into effects: inout [ViewerEffect]) {
        self.now = now
        guard headless != nil else { return }
        badFrames.flushIfDue(at: now, into: &effects)
    }

    /// Frames the receiver rejected.
    mutating func rejected(_ count: UInt64, reason: String, into effects: inout [ViewerEffect]) {
        guard headless != nil else { return }
        badFrames.rejected(count, reason: reason, at: now, into: &effects)
    }

    /// The viewer is finishing: the held `bad_frame` line goes before the last stats line.
    mutating func finish(into effects: inout [ViewerEffect]) {
        guard headless != nil else { return }
        badFrames.flushAll(at: now, into: &effects)
    }

    mutating func lost(_ count: Int) {
        resultsLost += UInt64(count)
    }

    /// Emits the pending series end once nothing of it is in flight; true when it did.
    mutating func finishSeries(counters: CounterSample, into effects: inout [ViewerEffect]) -> Bool {
        guard let end = pendingSeriesEnd, counters.inFlight == 0 else { return false }
        // A worker counts a frame (processed or bad) just before it pushes the frame's result:
        // wait for the result too, so the last frame's line is written before the series' end.
        guard resultsDrained + resultsLost >= counters.processed + counters.badInWorkers else { return false }
        pendingSeriesEnd = nil
        if headless != nil { effects.append(.emit(HeadlessReport.seriesEnd(series: end.series, frames: end.frames))) }
        return true
    }
}
