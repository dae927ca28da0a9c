/// How exactly the heatmap's colours are kept on screen: the perceptual threshold of the
/// change-only diff inside the heatmap, lowered step by step (a larger threshold, so fewer cells
/// are rewritten) when the byte budget cannot buy the wanted heatmap rate, and raised back when
/// it can.
///
/// Why the threshold and not fewer colours: a cell is rewritten only once it has drifted more
/// than the threshold from what the terminal shows, so noise around a value costs nothing (a
/// quantized colour flips between two steps on every frame and is rewritten each time), and
/// what is shown is never further than the threshold from the truth (`bench render` measures
/// each step's bytes against the full repaint).
///
/// Pure: the cost, the budget and the time come with each call. Owned by `RenderSchedule`.
public struct HeatmapFidelity: Sendable, Equatable {
    /// The OKLab thresholds, finest (the default, about one just-noticeable difference) first.
    /// The noisy demo's frame-to-frame noise is mostly between 0.1 and 0.2 in OKLab, so the
    /// steps are fine there (`bench render` at 200×60 in 24-bit: 0.08 saves 10%, 0.16 60%,
    /// 0.2 84%) and each cuts a paint by less than half (`raiseMargin`), so stepping back up
    /// does not overdraw the budget and bounce.
    public static let thresholds: [Float] = [0.02, 0.08, 0.11, 0.13, 0.145, 0.16, 0.17, 0.18, 0.19, 0.20, 0.22, 0.25]
    /// Lower the fidelity while the budget buys fewer heatmap paints a second than this (the
    /// goal is 2; the rest is room for the panels' paints and the cost's noise).
    public let wantedRate: Double
    /// Raise it again once the budget buys this many times `wantedRate` at the current step.
    public static let raiseMargin = 2.0
    /// The least time between two steps, so the cost measured is the current step's.
    public let dwell: UInt64
    /// How long the cost measured at a finer step is trusted: a finer step the budget could
    /// not afford is not tried again before this (without it a combined, less noisy heatmap
    /// bounces between two steps whose costs differ more than `raiseMargin`), but the scene
    /// may calm down, so it is tried again after it.
    public static let memory: UInt64 = 10_000_000_000
    public private(set) var level = 0
    private var lastStep: UInt64?
    /// What a heatmap paint cost at each step when the fidelity last stepped down from it, and when.
    private var costWhenLeft: [Int: Measured] = [:]
    private struct Measured: Sendable, Equatable {
        var cost: Double
        var at: UInt64
    }

    public init(wantedRate: Double = 2.5, dwell: UInt64 = 500_000_000) {
        self.wantedRate = wantedRate
        self.dwell = dwell
    }

    /// The diff's OKLab threshold inside the heatmap at this step.
    public var threshold: Float { Self.thresholds[level] }
    /// How many steps below full fidelity (0: full).
    public var stepsLowered: Int { level }

    /// After a heatmap paint: `heatmapCost` is what one costs now (bytes), `spareRate` what the
    /// budget leaves for the heatmap (bytes/s after the panels' paints), nil when there is no
    /// budget (`--max-rate 0`).
    public mutating func update(heatmapCost: Double, spareRate: Double?, at now: UInt64) {
        guard let spareRate else {
            level = 0   // unlimited: always full fidelity
            return
        }
        if let lastStep, now &- lastStep < dwell { return }
        let affordable = heatmapCost > 0 ? max(0, spareRate) / heatmapCost : .infinity
        if affordable < wantedRate, level < Self.thresholds.count - 1 {
            costWhenLeft[level] = Measured(cost: heatmapCost, at: now)
            level += 1
            lastStep = now
        } else if affordable >= wantedRate * Self.raiseMargin, level > 0, finerStepAffordable(spareRate, at: now) {
            level -= 1
            lastStep = now
        }
    }

    /// Whether the next finer step, as it cost when it was left, fits the wanted rate (or is
    /// not known lately).
    private func finerStepAffordable(_ spareRate: Double, at now: UInt64) -> Bool {
        guard let known = costWhenLeft[level - 1], now &- known.at < Self.memory, known.cost > 0 else { return true }
        return spareRate / known.cost >= wantedRate
    }
}
