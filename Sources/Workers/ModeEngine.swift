import Platform
import Processing
import SharedMemory

/// What one worker computes beyond a frame's statistics: the active processing mode's
/// per-frame numbers and its share of the accumulated view, which it puts on the view board
/// for the UI to compose. Owned by one worker process; the state it needs (pedestal,
/// accumulators, finders) is made for the frame's shape when a mode first needs it, kept
/// while the shape and mode stay, and dropped when they change, so only the active mode's
/// memory is allocated.
///
/// Charge-integrating detectors (MOENCH, JUNGFRAU) get the pedestal subtracted before
/// threshold, counting, sums and hits, and their pedestal learns from every frame away from
/// photons; counting detectors (EIGER, PILATUS) have no pedestal and use the raw values.
final class ModeEngine {
    let options: ProcessingOptions
    private let pattern: FramePattern?
    private let roiRectangle: PixelRectangle?
    /// The rectangle clipped to the current frame shape (nil when it misses the frame).
    private var roi: (width: Int, height: Int, region: RegionOfInterest?)?
    /// The frame as Float (NaN = masked), reused.
    private var values: [Float] = []
    private var state: ModeWork?
    private var lastPublish: UInt64 = 0
    /// The view board shares at most this often per worker (the UI redraws at 30 Hz at most).
    static let publishIntervalNs: UInt64 = 40_000_000

    init(options: ProcessingOptions) {
        self.options = options
        pattern = options.pattern.isEmpty ? nil : try? FramePattern(parsing: options.pattern)
        roiRectangle = options.roi.isEmpty ? nil : try? PixelRectangle(parsing: options.roi)
    }

    /// What a mode's state was built for; a change rebuilds it.
    struct Key: Equatable {
        var mode: ProcessingMode
        var width: Int
        var height: Int
        var chargeIntegrating: Bool
        /// Pixels carry gain stages (JUNGFRAU): a pedestal per stage.
        var gainStages: Bool
        /// The JUNGFRAU pixel view: a pedestal learned from values is useless on stage codes.
        var pixelView: UInt32
        var clears: UInt32
        var pedestalResets: UInt32
        var series: UInt64
        var beamX: Float
        var beamY: Float

        static func == (a: Key, b: Key) -> Bool {
            a.mode == b.mode && a.width == b.width && a.height == b.height
                && a.chargeIntegrating == b.chargeIntegrating && a.gainStages == b.gainStages && a.pixelView == b.pixelView
                && a.clears == b.clears
                && a.pedestalResets == b.pedestalResets && a.series == b.series
                && a.beamX.bitPattern == b.beamX.bitPattern && a.beamY.bitPattern == b.beamY.bitPattern
        }
    }

    /// True when the frame must be seen as Float at all (any mode but raw, or an ROI).
    func needsValues(mode: ProcessingMode) -> Bool { mode != .raw || roiRectangle != nil }

    /// Loads the frame as Float for the mode (when it needs it); the statistics come out of
    /// the same pass and are returned.
    func load(_ frame: PixelFrame, mode: ProcessingMode) -> FrameStats? {
        guard needsValues(mode: mode) else { return nil }
        let count = frame.width * frame.height
        if values.count != count { values = [Float](repeating: 0, count: count) }
        return values.withUnsafeMutableBufferPointer { frame.widen(into: $0) }
    }

    /// Processes one frame (after `load`) in the control block's mode; fills the result's per-frame numbers
    /// and, at most every `publishIntervalNs`, publishes this worker's share of the view.
    func process(_ frame: PixelFrame, header: SlotHeader, control: ControlSettings, worker: Int,
                 views: ViewBoard, stages: UnsafeBufferPointer<UInt8>? = nil, result: inout FrameResult) {
        let mode = ProcessingMode(rawValue: control.mode) ?? .raw
        result.mode = UInt8(truncatingIfNeeded: mode.rawValue)
        guard needsValues(mode: mode), values.count == frame.width * frame.height else { return }
        let key = Key(mode: mode, width: frame.width, height: frame.height,
                      chargeIntegrating: header.isChargeIntegrating, gainStages: header.hasGainBits,
                      pixelView: header.hasGainBits ? control.pixelView : 0, clears: control.clears,
                      pedestalResets: control.pedestalResets,
                      series: mode.accumulates ? header.series : 0,
                      beamX: mode == .radial ? control.beamX : 0, beamY: mode == .radial ? control.beamY : 0)
        // The pedestal survives a change of accumulating mode or a clear; nothing else does.
        if state?.key != key {
            let keep = state.flatMap { old in
                old.key.width == key.width && old.key.height == key.height
                    && old.key.chargeIntegrating == key.chargeIntegrating && old.key.gainStages == key.gainStages
                    && old.key.pixelView == key.pixelView
                    && old.key.pedestalResets == key.pedestalResets ? old.counting : nil
            }
            state = try? ModeWork(key: key, options: options, pattern: pattern != nil, keepingPedestal: keep)
        }
        guard let state else { return }
        let kind = frameKind(header, control: control)
        values.withUnsafeBufferPointer { frameValues in
            state.process(frameValues, stages: stages, kind: kind, threshold: control.threshold, result: &result)
            if kind != .dark, let region = regionOfInterest(width: frame.width, height: frame.height),
               let stats = try? region.measure(state.processed(frameValues)) {
                result.roiSum = stats.sum
                result.roiMean = stats.mean
                result.roiMax = Double(stats.max)
                result.roiX = stats.centroidX
                result.roiY = stats.centroidY
            }
        }
        result.dark = kind == .dark ? 1 : 0
        let now = MonotonicClock.nanoseconds
        if mode.showsComposedView, now &- lastPublish >= Self.publishIntervalNs || state.frames == 1 {
            lastPublish = now
            state.publish(worker: worker, views: views, control: control, header: header)
        }
    }

    /// `--roi` clipped to a frame of this shape, made once per shape.
    private func regionOfInterest(width: Int, height: Int) -> RegionOfInterest? {
        guard let roiRectangle else { return nil }
        if let roi, roi.width == width, roi.height == height { return roi.region }
        let region = try? RegionOfInterest(roiRectangle, imageWidth: width, imageHeight: height)
        roi = (width, height, region)
        return region
    }

    /// Dark for the pedestal: the first `--dark-frames` of a series, a dark series taken with
    /// `p` (by ring sequence), or a `ped` entry of the pump-probe pattern.
    func frameKind(_ header: SlotHeader, control: ControlSettings) -> FrameKind {
        if header.frameIndex < UInt64(options.darkFrames) { return .dark }
        if header.sequence >= control.darkFrom && header.sequence < control.darkTo { return .dark }
        return pattern?.kind(forFrame: header.frameNumber) ?? .unpumped
    }

    /// The photons or peaks of the frame just processed in `mode` as display pixels (see
    /// `ModeWork.marks`); none when the mode's state is not this frame's (a mode without
    /// state leaves the last one's in place).
    func marks(mode: ProcessingMode, frameWidth: Int, frameHeight: Int, image: (width: Int, height: Int),
               into out: inout [UInt32]) {
        guard let state, state.key.mode == mode, state.key.width == frameWidth, state.key.height == frameHeight else {
            return out.removeAll(keepingCapacity: true)
        }
        state.marks(image: image, into: &out)
    }

    /// This worker's full-resolution share for `--save` (nil outside accumulating modes).
    func savedShare() -> SavedShare? { state?.savedShare() }
}

extension PixelFrame {
    /// The pixels as Float in `out` (width × height of them), masked pixels as NaN, and the
    /// frame's statistics, in one pass.
    func widen(into out: UnsafeMutableBufferPointer<Float>) -> FrameStats {
        switch pixels {
        case .uint8(let p): return FrameKernels.widenWithStats(p, into: out)
        case .uint16(let p): return FrameKernels.widenWithStats(p, into: out)
        case .uint32(let p): return FrameKernels.widenWithStats(p, into: out)
        case .converted(let p, let stats):
            out.baseAddress!.update(from: p.baseAddress!, count: width * height)
            return stats
        }
    }
}
