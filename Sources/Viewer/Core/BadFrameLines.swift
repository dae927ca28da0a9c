/// When headless mode writes `bad_frame` lines for frames that get no per-frame line of their
/// own (rejected by the receiver, or by a worker without `--per-frame`): the first of a run at
/// once, then at most one line per `spacing`, carrying how many were rejected since the last
/// line and the latest reason. A flood of garbage thus costs at most 10 lines a second and no
/// count is lost: the counts of all lines add up to the frames rejected.
///
/// A pure value owned by `HeadlessAccounting`; time comes with each call (monotonic ns). Held
/// frames are written by the first call at or after the spacing (any input of the core), and
/// by `flushAll` when the viewer finishes.
struct BadFrameLines: Sendable, Equatable {
    /// 100 ms: "coalesced when faster than 10 a second".
    static let spacing: UInt64 = 100_000_000

    private(set) var lastWritten: UInt64?
    /// Rejected frames not yet written, and the latest reason among them.
    private(set) var heldCount: UInt64 = 0
    private(set) var heldReason = ""

    /// `count` frames were rejected for `reason` at `now`.
    mutating func rejected(_ count: UInt64, reason: String, at now: UInt64, into effects: inout [ViewerEffect]) {
        guard count > 0 else { return }
        heldCount += count
        heldReason = reason
        flushIfDue(at: now, into: &effects)
    }

    /// Writes the held frames if the last line is at least `spacing` old.
    mutating func flushIfDue(at now: UInt64, into effects: inout [ViewerEffect]) {
        guard heldCount > 0 else { return }
        if let last = lastWritten, now &- last < Self.spacing { return }
        write(at: now, into: &effects)
    }

    /// Writes whatever is held (the viewer is finishing: no later input will come).
    mutating func flushAll(at now: UInt64, into effects: inout [ViewerEffect]) {
        guard heldCount > 0 else { return }
        write(at: now, into: &effects)
    }

    private mutating func write(at now: UInt64, into effects: inout [ViewerEffect]) {
        effects.append(.emit(HeadlessReport.badFrames(count: heldCount, reason: heldReason)))
        lastWritten = now
        heldCount = 0
    }
}
