import Processing
import SharedMemory

/// What the frames of one drain of the result queue said about the active mode: the newest
/// frame's numbers and the hits among them. Made by the session, folded in by the reducer.
public struct FrameReadout: Sendable, Equatable {
    public var timeNanoseconds: UInt64
    /// Frames whose hit flag was computed, and the hits among them.
    public var checked = 0
    public var hits = 0
    public var photons: Int?
    public var peaks: Int?
    /// The pixel inspector's readout of the newest frame (by ring sequence) that carried one.
    public var inspection: InspectedFrame?
    /// The regions of interest's numbers of the newest frame that measured them.
    public var regions: RegionReadout?

    public init(timeNanoseconds: UInt64) {
        self.timeNanoseconds = timeNanoseconds
    }
}

/// The processing side of the viewer's state: the mode and its live settings (what the keys
/// change and the session writes to the control block) and what came back.
public struct ModeState: Sendable, Equatable {
    public var mode = ProcessingMode.raw
    /// Threshold mode's level, ADU above the pedestal; `+`/`-` move it by `thresholdStep`.
    public var threshold: Float = 50
    public var thresholdStep: Float = 5
    /// Counting's photon nσ, the hit finder's nσ and minimum peaks (`n`/`N`, `[`/`]`, `<`/`>`).
    public var live = LiveParameters()
    /// A pump-probe pattern was given, so `u` has views to cycle.
    public var pumpProbe = false
    public var pumpView = PumpView.unpumped
    /// Counted key presses: `p` (take a dark series), `r` (reset the pedestal), `c` (clear).
    public var darkRequests: UInt32 = 0
    public var pedestalResets: UInt32 = 0
    public var clears: UInt32 = 0
    /// Frames of a dark series taken with `p` (`--pedestal-frames`, also the pedestal's window).
    public var darkSeriesFrames = 1000
    /// Worker processes: each tracks its own pedestal from the frames it processes.
    public var workerCount = 1
    /// Pedestal mode shows the dark level's mean or its σ (`s`).
    public var pedestalView = PedestalView.mean
    public var composed: ComposedView?
    public var photons: Int?
    public var peaks: Int?
    /// Hits per checked frame over the last `hitWindowSeconds`; nil before any was checked.
    public var hitRate: Double?
    public static let hitWindowSeconds = 10.0
    /// Recent (time, checked, hits), oldest first, for the hit rate.
    var hitHistory: [(time: UInt64, checked: Int, hits: Int)] = []

    public init() {}

    /// The heatmap shows the workers' composed view rather than the latest frame.
    public var showsComposedView: Bool { mode.showsComposedView }

    /// Dark frames one worker's pedestal needs before it is used.
    public var pedestalFramesPerWorker: Int { PedestalTracker.readyFrames(window: darkSeriesFrames) }

    /// Why a dark series of `frames` frames is too short, or nil: the frames are shared out
    /// among the workers, and each needs `pedestalFramesPerWorker` of its own.
    public func darkSeriesShortfall(_ frames: Int) -> (reason: String, needed: Int)? {
        let needed = pedestalFramesPerWorker * workerCount
        guard frames < needed else { return nil }
        return ("too few for \(workerCount) workers (\(pedestalFramesPerWorker) each)", needed)
    }

    public static func == (a: ModeState, b: ModeState) -> Bool {
        a.mode == b.mode && a.threshold == b.threshold && a.live == b.live && a.pumpProbe == b.pumpProbe && a.pumpView == b.pumpView
            && a.pedestalView == b.pedestalView
            && a.darkRequests == b.darkRequests && a.pedestalResets == b.pedestalResets && a.clears == b.clears
            && a.composed == b.composed && a.photons == b.photons && a.peaks == b.peaks
            && a.hitRate == b.hitRate
    }

    /// Folds in one drain's numbers; the hit rate covers the last `hitWindowSeconds`.
    mutating func absorb(_ readout: FrameReadout) {
        if let photons = readout.photons { self.photons = photons }
        if let peaks = readout.peaks { self.peaks = peaks }
        guard readout.checked > 0 else { return }
        hitHistory.append((readout.timeNanoseconds, readout.checked, readout.hits))
        let oldest = readout.timeNanoseconds &- UInt64(Self.hitWindowSeconds * 1e9)
        hitHistory.removeAll { $0.time < oldest && readout.timeNanoseconds > oldest }
        let checked = hitHistory.reduce(0) { $0 + $1.checked }
        hitRate = checked > 0 ? Double(hitHistory.reduce(0) { $0 + $1.hits }) / Double(checked) : nil
    }

    /// A new mode starts without the old mode's numbers.
    mutating func select(_ mode: ProcessingMode) {
        self.mode = mode
        composed = nil
        photons = nil
        peaks = nil
        hitRate = nil
        hitHistory = []
    }
}

extension FrameReadout {
    /// Folds in one frame's result: the newest frame's numbers win.
    mutating func add(_ result: FrameResult) {
        guard result.status != .bad else { return }
        if result.photons >= 0 { photons = Int(result.photons) }
        if result.peaks >= 0 { peaks = Int(result.peaks) }
        if result.hit >= 0 {
            checked += 1
            hits += Int(result.hit)
        }
        if result.inspect.isPresent, result.sequence > inspection?.sequence ?? 0 {
            inspection = InspectedFrame(sequence: result.sequence, frameNumber: result.frameNumber, readout: result.inspect)
        }
        if result.regionCount > 0 {
            regions = RegionReadout(generation: result.regionGeneration, numbers: result.regions)
        }
    }
}
