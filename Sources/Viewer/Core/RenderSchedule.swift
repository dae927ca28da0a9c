/// When the screen is drawn: at most `interval` apart, only when something changed, and at
/// once after a resize. A pure value; the session arms a one-shot timer when it is told to.
struct RenderSchedule: Sendable, Equatable {
    let interval: UInt64
    /// False in headless mode: nothing is ever drawn.
    let enabled: Bool
    private(set) var dirty = true
    private(set) var timerArmed = false
    private(set) var lastDrawn: UInt64?

    init(interval: UInt64, enabled: Bool) {
        self.interval = interval
        self.enabled = enabled
    }

    var neverDrawn: Bool { lastDrawn == nil }

    mutating func markDirty() { dirty = true }

    /// After a wake-up: draw now if the last drawing is old enough, else once the timer fires.
    mutating func settle(at now: UInt64) -> [ViewerEffect] {
        guard enabled, dirty, !timerArmed else { return [] }
        let elapsed = lastDrawn.map { now &- $0 } ?? interval
        if elapsed >= interval { return [.render] }
        timerArmed = true
        return [.armRenderTimer(nanoseconds: interval - elapsed)]
    }

    mutating func timerFired() -> [ViewerEffect] {
        timerArmed = false
        return enabled ? [.render] : []
    }

    /// A resize or the first screen: drawn without waiting.
    func drawNow() -> [ViewerEffect] {
        enabled ? [.render] : []
    }

    mutating func drawn(at now: UInt64) {
        lastDrawn = now
        dirty = false
    }
}
