import Platform
import Processing
import SharedMemory

/// What one worker computes beyond a frame's statistics: the active processing mode's
/// per-frame numbers and its share of the accumulated view, which it puts on the view board
/// for the UI to compose, and the control block's regions of interest in every mode. Owned by one worker
/// process. The mode's state (an `ActiveMode` around the mode's unit, see `ModeRegistry`)
/// is made for the frame's shape when a mode first needs it, kept while the shape and mode
/// stay, and dropped when they change, so only the active mode's memory is allocated; only
/// the pedestal survives a change of mode.
///
/// A kernel that refuses a frame, or refuses to be made for its shape or settings, makes
/// the frame bad with the kernel's reason (the viewer counts it and shows why).
final class ModeEngine {
    let options: ProcessingOptions
    private let pattern: FramePattern?
    /// The frame as Float (NaN = masked), reused.
    private var values: [Float] = []
    private var state: ActiveMode?
    /// The key whose state a kernel refused to make, and why: its frames are bad with that
    /// reason without making it again on every frame.
    private var refused: (key: Key, reason: String)?
    private var lastPublish: UInt64 = 0
    /// The viewport generation of the last share published: a new viewport (a zoom or pan) is
    /// published with the next frame, whatever the interval says.
    private var publishedViewGeneration: UInt32?
    /// The last frame the mode's state took, whose series and sequence a share published
    /// between frames carries (nil until a frame came).
    private var lastHeader: SlotHeader?
    /// The view board shares at most this often per worker (the UI redraws at 30 Hz at most).
    static let publishIntervalNs: UInt64 = 40_000_000

    init(options: ProcessingOptions) {
        self.options = options
        // Both were checked by the viewer with these parsers before any worker started.
        pattern = options.pattern.isEmpty ? nil : try? FramePattern(parsing: options.pattern)
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
    func needsValues(mode: ProcessingMode, regions: ControlRegions) -> Bool { mode != .raw || regions.count > 0 }

    /// Loads the frame as Float for the mode (when it needs it); the statistics come out of
    /// the same pass and are returned.
    func load(_ frame: PixelFrame, mode: ProcessingMode, regions: ControlRegions) -> FrameStats? {
        guard needsValues(mode: mode, regions: regions) else { return nil }
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
        guard needsValues(mode: mode, regions: control.regions), values.count == frame.width * frame.height else { return }
        let usesBeam = ModeRegistry.unit(for: mode).usesBeamCentre
        let key = Key(mode: mode, width: frame.width, height: frame.height,
                      chargeIntegrating: header.isChargeIntegrating, gainStages: header.hasGainBits,
                      pixelView: header.hasGainBits ? control.pixelView : 0, clears: control.clears,
                      pedestalResets: control.pedestalResets,
                      series: mode.accumulates ? header.series : 0,
                      beamX: usesBeam ? control.beamX : 0, beamY: usesBeam ? control.beamY : 0)
        // The pedestal survives a change of accumulating mode or a clear; nothing else does.
        if state?.key != key && refused?.key != key {
            let keep = state.flatMap { old in
                old.key.width == key.width && old.key.height == key.height
                    && old.key.chargeIntegrating == key.chargeIntegrating && old.key.gainStages == key.gainStages
                    && old.key.pixelView == key.pixelView
                    && old.key.pedestalResets == key.pedestalResets ? old.pedestal : nil
            }
            state = nil
            do {
                state = try ActiveMode(key: key, options: options, pumpProbe: pattern != nil, keepingPedestal: keep)
                refused = nil
            } catch {
                refused = (key, Self.reason(error, mode: mode))
            }
        }
        guard let state else {
            if let refused { result.markBad(refused.reason) }
            return
        }
        let kind = frameKind(header, control: control)
        result.dark = kind == .dark ? 1 : 0
        do {
            try values.withUnsafeBufferPointer { frameValues in
                try state.process(frameValues, stages: stages, kind: kind,
                                  live: LiveSettings(control: control, options: options), result: &result)
                if kind != .dark, control.regions.count > 0 {
                    result.regions = try Self.measure(control.regions, on: state.processed(frameValues),
                                                      width: frame.width, height: frame.height)
                    result.regionGeneration = control.regions.generation
                }
            }
            lastHeader = header
            let now = MonotonicClock.nanoseconds
            if mode.showsComposedView, now &- lastPublish >= Self.publishIntervalNs || state.frames == 1
                || control.viewGeneration != publishedViewGeneration {
                lastPublish = now
                publishedViewGeneration = control.viewGeneration
                try state.publish(worker: worker, views: views, control: control, header: header)
            }
        } catch {
            result.markBad(Self.reason(error, mode: mode))
        }
    }

    /// A new viewport (a zoom or pan) while this worker is between frames: its share of the
    /// composed view is binned for it at once, not after the next frame, which on a large
    /// detector is a whole frame's processing later (and, at a rate beyond the workers, a
    /// backlog's). Only the share of the mode and clear the control block shows; nothing
    /// before the state's first frame. True when it published.
    func publishForNewViewport(control: ControlSettings, worker: Int, views: ViewBoard) -> Bool {
        let mode = ProcessingMode(rawValue: control.mode) ?? .raw
        guard control.viewGeneration != publishedViewGeneration, mode.showsComposedView,
              let state, let header = lastHeader, state.frames > 0,
              state.key.mode == mode, state.key.clears == control.clears,
              state.key.pedestalResets == control.pedestalResets else { return false }
        lastPublish = MonotonicClock.nanoseconds
        publishedViewGeneration = control.viewGeneration
        do {
            try state.publish(worker: worker, views: views, control: control, header: header)
        } catch {
            // A kernel that refuses to read the share out refuses the next frame's publish
            // too, which counts the frame bad with the reason; nothing to count here.
            return false
        }
        return true
    }

    /// A kernel's error as a frame's bad reason, naming the mode it failed in.
    static func reason(_ error: any Error, mode: ProcessingMode) -> String {
        "\(mode.name): \(error)"
    }

    /// Each region's numbers on `values` (width × height, NaN = masked), clipped to the frame.
    /// Only the regions' pixels are read. A region that misses the frame gets empty bounds and
    /// NaN numbers, not a bad frame: the viewer says so once, and the frame is good without it.
    static func measure(_ regions: ControlRegions, on values: UnsafeBufferPointer<Float>,
                        width: Int, height: Int) throws(AnalysisError) -> [RegionNumbers] {
        var out: [RegionNumbers] = []
        out.reserveCapacity(regions.count)
        for i in 0..<regions.count {
            let r = regions[i]
            guard let rectangle = try? PixelRectangle(x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1),
                  let region = try? RegionOfInterest(rectangle, imageWidth: width, imageHeight: height) else {
                out.append(RegionNumbers())
                continue
            }
            let stats = try region.measure(values)
            let b = region.bounds
            out.append(RegionNumbers(x0: Int32(b.x0), y0: Int32(b.y0), x1: Int32(b.x1), y1: Int32(b.y1),
                                     sum: stats.sum, mean: stats.mean, max: Double(stats.max),
                                     centroidX: stats.centroidX, centroidY: stats.centroidY,
                                     pixels: UInt32(stats.validPixels)))
        }
        return out
    }

    /// Dark for the pedestal: the first `--dark-frames` of a series, a dark series taken with
    /// `p` (by ring sequence), or a `ped` entry of the pump-probe pattern.
    func frameKind(_ header: SlotHeader, control: ControlSettings) -> FrameKind {
        if header.frameIndex < UInt64(options.darkFrames) { return .dark }
        if header.sequence >= control.darkFrom && header.sequence < control.darkTo { return .dark }
        return pattern?.kind(forFrame: header.frameNumber) ?? .unpumped
    }

    /// The photons or peaks of the frame just processed in `mode` as display pixels (see
    /// `ActiveMode.marks`); none when the mode's state is not this frame's (a mode without
    /// state leaves the last one's in place).
    func marks(mode: ProcessingMode, frameWidth: Int, frameHeight: Int, region: PixelRegion,
               image: (width: Int, height: Int), into out: inout [UInt32]) {
        guard let state, state.key.mode == mode, state.key.width == frameWidth, state.key.height == frameHeight else {
            return out.removeAll(keepingCapacity: true)
        }
        state.marks(region: region, image: image, into: &out)
    }

    /// This worker's full-resolution share for `--save` (nil outside accumulating modes).
    func savedShare() -> SavedShare? { state?.savedShare() }

    /// The frame shape the mode's state was made for (nil without one).
    var frameSize: (width: Int, height: Int)? { state.map { ($0.key.width, $0.key.height) } }
}

private extension FrameResult {
    /// The frame is bad: counted so in the ring and the worker's stats, with `reason` shown.
    mutating func markBad(_ reason: String) {
        status = .bad
        badReason = reason
    }
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
