/// What the terminal costs, as the status line shows it: bytes and paints per second over the
/// last whole second, and whether the budget held the heatmap back in it.
public struct OutputRate: Sendable, Equatable {
    public var bytesPerSecond: Double
    public var paintsPerSecond: Double
    public var heatmapPaintsPerSecond: Double
    /// The heatmap waited for the byte budget at least once in the window.
    public var limited: Bool
    /// The most steps the heatmap's colour fidelity was lowered to fit the budget in the window
    /// (`HeatmapFidelity`; 0: full fidelity throughout).
    public var fidelityStepsLowered: Int

    public init(bytesPerSecond: Double, paintsPerSecond: Double, heatmapPaintsPerSecond: Double, limited: Bool,
                fidelityStepsLowered: Int = 0) {
        self.bytesPerSecond = bytesPerSecond
        self.paintsPerSecond = paintsPerSecond
        self.heatmapPaintsPerSecond = heatmapPaintsPerSecond
        self.limited = limited
        self.fidelityStepsLowered = fidelityStepsLowered
    }
}

/// Adds up the paints and their bytes and reads them out once a window of `window` nanoseconds
/// is full. Pure (time comes with each call); owned by `RenderSchedule`.
struct OutputMeter: Sendable, Equatable {
    let window: UInt64
    private(set) var readout: OutputRate?
    private var start: UInt64?
    private var bytes = 0
    private var paints = 0
    private var heatmapPaints = 0
    private var limited = false
    private var fidelityStepsLowered = 0

    init(window: UInt64 = 1_000_000_000) { self.window = window }

    mutating func painted(bytes: Int, heatmap: Bool, fidelityStepsLowered steps: Int = 0, at now: UInt64) {
        roll(at: now)
        self.bytes += bytes
        paints += 1
        if heatmap { heatmapPaints += 1 }
        fidelityStepsLowered = max(fidelityStepsLowered, steps)
    }

    mutating func heatmapHeld(at now: UInt64) {
        roll(at: now)
        limited = true
    }

    private mutating func roll(at now: UInt64) {
        guard let start else {
            self.start = now
            return
        }
        let elapsed = now &- start
        guard elapsed >= window else { return }
        let seconds = Double(elapsed) / 1e9
        readout = OutputRate(bytesPerSecond: Double(bytes) / seconds, paintsPerSecond: Double(paints) / seconds,
                             heatmapPaintsPerSecond: Double(heatmapPaints) / seconds, limited: limited,
                             fidelityStepsLowered: fidelityStepsLowered)
        self.start = now
        bytes = 0
        paints = 0
        heatmapPaints = 0
        limited = false
        fidelityStepsLowered = 0
    }
}
