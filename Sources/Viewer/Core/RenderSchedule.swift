/// When the screen is drawn, and whether a drawing includes the heatmap. A pure value; the
/// session arms a one-shot timer when it is told to.
///
/// Counters and panels are drawn at most `interval` apart and at least every `panelInterval`
/// while anything changed (80 ms: at least 10 Hz even when timers fire late on a busy machine). The heatmap, by far the dearest part, is drawn as often as the byte
/// budget (`--max-rate`, a `TokenBucket` charged with the bytes each paint really wrote) allows:
/// when the bucket holds what the last heatmap paints cost. Otherwise the paint keeps the heatmap
/// as it is on screen. A resize or the first screen is drawn whole without waiting. When even
/// that cannot buy the wanted heatmap rate (a noisy 24-bit heatmap costs ~215 KB at 200×60),
/// `fidelity` raises the heatmap's perceptual threshold step by step, and lowers it back when
/// the budget allows.
struct RenderSchedule: Sendable, Equatable {
    /// The shortest gap between two paints.
    let interval: UInt64
    /// Counters and panels are not older than this while something changed.
    let panelInterval: UInt64
    /// False in headless mode: nothing is ever drawn.
    let enabled: Bool
    private(set) var dirty = true
    /// Something arrived that the heatmap has not shown yet.
    private(set) var heatmapPending = true
    private(set) var timerArmed = false
    private(set) var lastDrawn: UInt64?
    private(set) var budget: TokenBucket
    /// What a paint with the heatmap cost lately (bytes, a moving average).
    private(set) var heatmapCost = 0.0
    /// What a paint without it cost lately (bytes, a moving average): the panels' share of the budget.
    private(set) var panelCost = 0.0
    private(set) var fidelity = HeatmapFidelity()
    /// Whether the paint asked for last includes the heatmap.
    private var paintingHeatmap = false
    private(set) var meter = OutputMeter()

    init(interval: UInt64, panelInterval: UInt64 = 80_000_000, maxBytesPerSecond: Double = 0, enabled: Bool) {
        self.interval = interval
        self.panelInterval = max(interval, panelInterval)
        self.enabled = enabled
        budget = TokenBucket(bytesPerSecond: maxBytesPerSecond)
    }

    var neverDrawn: Bool { lastDrawn == nil }

    mutating func markDirty(heatmap: Bool = true) {
        dirty = true
        if heatmap { heatmapPending = true }
    }

    /// After a wake-up: draw now what is due, else arm the timer for when it will be.
    mutating func settle(at now: UInt64) -> [ViewerEffect] {
        guard enabled, dirty || heatmapPending, !timerArmed else { return [] }
        let sinceLast = lastDrawn.map { now &- $0 } ?? .max
        if sinceLast < interval { return arm(interval - sinceLast) }
        var heatmapWait = UInt64.max
        if heatmapPending {
            heatmapWait = budget.wait(for: heatmapCost, at: now)
            if heatmapWait == 0 { return paint(heatmap: true) }
        }
        guard dirty else { return arm(heatmapWait) }
        if sinceLast >= panelInterval {
            // The budget keeps news out of the heatmap in this paint: what the status line marks.
            if heatmapPending { meter.heatmapHeld(at: now) }
            return paint(heatmap: false)
        }
        return arm(min(heatmapWait, panelInterval - sinceLast))
    }

    mutating func timerFired(at now: UInt64) -> [ViewerEffect] {
        timerArmed = false
        return settle(at: now)
    }

    /// A resize or the first screen: drawn whole without waiting.
    mutating func drawNow() -> [ViewerEffect] {
        enabled ? paint(heatmap: true) : []
    }

    /// The paint asked for is done; it wrote `bytes` to the terminal.
    mutating func drawn(at now: UInt64, bytes: Int) {
        lastDrawn = now
        dirty = false
        budget.spend(bytes, at: now)
        if paintingHeatmap {
            heatmapPending = false
            heatmapCost = heatmapCost == 0 ? Double(bytes) : (heatmapCost + Double(bytes)) / 2
            // The panels repaint at most every `panelInterval`; what they leave is the heatmap's.
            let spare = budget.unlimited ? nil : budget.rate - panelCost * 1e9 / Double(panelInterval)
            fidelity.update(heatmapCost: heatmapCost, spareRate: spare, at: now)
        } else {
            panelCost = panelCost == 0 ? Double(bytes) : (panelCost + Double(bytes)) / 2
        }
        meter.painted(bytes: bytes, heatmap: paintingHeatmap, fidelityStepsLowered: fidelity.stepsLowered, at: now)
    }

    /// The perceptual threshold the next paint's heatmap cells are diffed with (OKLab).
    var heatmapThreshold: Float { fidelity.threshold }

    private mutating func paint(heatmap: Bool) -> [ViewerEffect] {
        paintingHeatmap = heatmap
        return [.render(heatmap: heatmap)]
    }

    private mutating func arm(_ nanoseconds: UInt64) -> [ViewerEffect] {
        guard nanoseconds != .max else { return [] }
        timerArmed = true
        return [.armRenderTimer(nanoseconds: max(1, nanoseconds))]
    }
}
