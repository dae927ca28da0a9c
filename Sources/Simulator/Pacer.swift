import Glibc

/// Paces frames on absolute CLOCK_MONOTONIC deadlines (start + i·period), so sleep overshoot
/// never accumulates, and notices when the sender falls behind. Owned by the sending thread.
struct Pacer {
    let period: UInt64
    /// When frame 0 is due (moved later only when the sender re-anchors after falling behind).
    private(set) var start: UInt64 = 0
    private var windowStart: UInt64 = 0
    private var windowFrames: UInt64 = 0

    /// Set once when a one-second window delivered less than 98% of the rate: the achieved rate.
    private(set) var shortfall: Double?

    init(rate: Double) {
        period = UInt64((1e9 / rate).rounded())
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    mutating func begin() {
        start = Self.now()
        windowStart = start
    }

    /// Sleeps until frame `index` is due; returns early when `stop` is requested.
    mutating func wait(for index: UInt64, stop: StopSignal) {
        var deadline = start &+ index &* period
        let now = Self.now()
        if now > deadline &+ 1_000_000_000 {
            // More than a second behind: re-anchor rather than send a burst to catch up.
            start = now &- index &* period
            deadline = now
        }
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while !stop.isRequested {
            let rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil)
            if rc != EINTR { break }
        }
    }

    /// Counts a sent frame; checks the last second's rate against the request.
    mutating func sent(rate: Double) {
        windowFrames += 1
        let now = Self.now()
        let elapsed = now &- windowStart
        guard elapsed >= 1_000_000_000 else { return }
        let achieved = Double(windowFrames) * 1e9 / Double(elapsed)
        if achieved < rate * 0.98, shortfall == nil { shortfall = achieved }
        windowStart = now
        windowFrames = 0
    }
}
