import Platform
import Processing

/// What the UI wants the workers (and the receiver) to do.
public struct ControlSettings: Equatable, Sendable {
    /// The heatmap area in display pixels (terminal cells × 2 rows).
    public var displayWidth: UInt32
    public var displayHeight: UInt32
    /// The processing mode (Processing's `ProcessingMode` raw value).
    public var mode: UInt32
    /// What a JUNGFRAU pixel shows: its ADC value (bits 13–0) or its gain stage (bits 15–14).
    public var pixelView: UInt32
    /// Which channel of a multi-channel stream (stream v2 `threshold_1`, …) becomes the
    /// frame, as an index into the image's channels modulo their count. The receiver reads it.
    public var channel: UInt32
    /// Threshold mode's level in ADU above the pedestal.
    public var threshold: Float
    /// The photon finder's n of nσ (counting), the hit finder's nσ and the peaks that make a
    /// hit: the live parameters (`n`/`N`, `[`/`]`, `<`/`>`), read by the workers per frame.
    /// 0 means "not set": the workers keep the command line's value.
    public var photonSigma: Float
    public var hitSigma: Float
    public var minPeaks: UInt32
    /// Bumped by each pedestal reset (`r`) and each clear of the accumulations (`c`).
    public var pedestalResets: UInt32
    public var clears: UInt32
    /// The beam centre in pixels (NaN: the image centre).
    public var beamX: Float
    public var beamY: Float
    /// Frames with ring sequence in `darkFrom..<darkTo` are dark (a dark series taken with `p`).
    public var darkFrom: UInt64
    public var darkTo: UInt64
    /// The zoomed viewport: this region of the frame binned to `viewWidth × viewHeight`
    /// display pixels (at most the display size). An empty region is the fitted view (the
    /// whole frame, fitted by the workers to the display size).
    public var viewRegion: PixelRegion
    public var viewWidth: UInt32
    public var viewHeight: UInt32
    /// Bumped by the viewer whenever the viewport or display size changes; the workers tag
    /// every image with it, so the screen never draws an image binned for another viewport.
    public var viewGeneration: UInt32
    /// The pixel inspector's pixel (detector pixels; -1: no inspector): the worker that
    /// processes a frame puts its readout into the frame's result.
    public var inspectX: Int32 = -1
    public var inspectY: Int32 = -1
    /// The regions of interest every worker measures on each frame.
    public var regions: ControlRegions
    /// The heatmap's picture in terminal pixels (cells × the cell's pixel size) when the
    /// terminal draws pictures (`--graphics`); 0 × 0 for half blocks. When set, the latest
    /// frame's image on the board is the same region binned to this size instead of the
    /// display size (true pixels; `boardBinning`): the display size and the viewport stay
    /// the text geometry (cursor, regions of interest, zoom steps, a mode's composed view).
    public var pictureWidth: UInt32
    public var pictureHeight: UInt32

    public static let viewValue: UInt32 = 0
    public static let viewGainStage: UInt32 = 1

    public init(displayWidth: UInt32 = 0, displayHeight: UInt32 = 0, mode: UInt32 = 0,
                pixelView: UInt32 = 0, channel: UInt32 = 0, threshold: Float = 0, pedestalResets: UInt32 = 0,
                clears: UInt32 = 0, beamX: Float = .nan, beamY: Float = .nan, darkFrom: UInt64 = 0, darkTo: UInt64 = 0,
                viewRegion: PixelRegion = PixelRegion(x0: 0, y0: 0, x1: 0, y1: 0), viewWidth: UInt32 = 0,
                viewHeight: UInt32 = 0, viewGeneration: UInt32 = 0, photonSigma: Float = 0, hitSigma: Float = 0,
                minPeaks: UInt32 = 0, regions: ControlRegions = ControlRegions(), pictureWidth: UInt32 = 0,
                pictureHeight: UInt32 = 0) {
        self.displayWidth = displayWidth
        self.displayHeight = displayHeight
        self.mode = mode
        self.pixelView = pixelView
        self.channel = channel
        self.threshold = threshold
        self.pedestalResets = pedestalResets
        self.clears = clears
        self.beamX = beamX
        self.beamY = beamY
        self.darkFrom = darkFrom
        self.darkTo = darkTo
        self.viewRegion = viewRegion
        self.viewWidth = viewWidth
        self.viewHeight = viewHeight
        self.viewGeneration = viewGeneration
        self.photonSigma = photonSigma
        self.hitSigma = hitSigma
        self.minPeaks = minPeaks
        self.regions = regions
        self.pictureWidth = pictureWidth
        self.pictureHeight = pictureHeight
    }

    /// The region to bin and the image it becomes for a `frameWidth × frameHeight` frame:
    /// the viewer's zoomed viewport when it lies inside this frame, else (fitted view, or a
    /// frame of another shape than the viewer knew) the whole frame fitted to the display.
    /// Nil without a display.
    public func binning(frameWidth: Int, frameHeight: Int) -> (region: PixelRegion, width: Int, height: Int)? {
        guard displayWidth > 0, displayHeight > 0 else { return nil }
        let r = viewRegion
        if !r.isEmpty, r.clamped(width: frameWidth, height: frameHeight) == r, viewWidth > 0, viewHeight > 0,
           viewWidth <= displayWidth, viewHeight <= displayHeight {
            return (r, Int(viewWidth), Int(viewHeight))
        }
        let fit = FrameKernels.fitSize(frameWidth: frameWidth, frameHeight: frameHeight,
                                       areaWidth: Int(displayWidth), areaHeight: Int(displayHeight))
        return (.whole(width: frameWidth, height: frameHeight), fit.width, fit.height)
    }

    /// What the latest frame's image on the result board is binned to: `binning`'s region at
    /// the picture's size when the viewer draws pictures (never more pixels than the region
    /// has, nor than `maxPixels`, the board's room: `FrameKernels.pictureSize`), else
    /// `binning` itself, so the half-block path is untouched.
    public func boardBinning(frameWidth: Int, frameHeight: Int, maxPixels: Int)
        -> (region: PixelRegion, width: Int, height: Int)? {
        guard let view = binning(frameWidth: frameWidth, frameHeight: frameHeight) else { return nil }
        guard pictureWidth > 0, pictureHeight > 0 else { return view }
        let size = FrameKernels.pictureSize(regionWidth: view.region.width, regionHeight: view.region.height,
                                            areaWidth: Int(pictureWidth), areaHeight: Int(pictureHeight),
                                            maxPixels: maxPixels)
        return (view.region, size.width, size.height)
    }

    /// NaN beam centres compare equal, so unchanged settings are not written again.
    public static func == (a: ControlSettings, b: ControlSettings) -> Bool {
        let x = a.words, y = b.words
        for i in 0..<wordCount where x[i] != y[i] { return false }
        return a.regions == b.regions
    }

    /// The settings as the 32-bit words the block stores, in order.
    var words: InlineArray<28, UInt32> {
        [displayWidth, displayHeight, mode, pixelView, channel, threshold.bitPattern, pedestalResets,
         clears, beamX.bitPattern, beamY.bitPattern, UInt32(truncatingIfNeeded: darkFrom),
         UInt32(truncatingIfNeeded: darkFrom >> 32), UInt32(truncatingIfNeeded: darkTo),
         UInt32(truncatingIfNeeded: darkTo >> 32),
         UInt32(truncatingIfNeeded: viewRegion.x0), UInt32(truncatingIfNeeded: viewRegion.y0),
         UInt32(truncatingIfNeeded: viewRegion.x1), UInt32(truncatingIfNeeded: viewRegion.y1),
         viewWidth, viewHeight, viewGeneration, photonSigma.bitPattern, hitSigma.bitPattern, minPeaks,
         UInt32(bitPattern: inspectX), UInt32(bitPattern: inspectY), pictureWidth, pictureHeight]
    }

    static let wordCount = 28

    /// The inspected pixel, nil when no inspector is on.
    public var inspectedPixel: (x: Int, y: Int)? {
        inspectX >= 0 && inspectY >= 0 ? (Int(inspectX), Int(inspectY)) : nil
    }

    init(words w: InlineArray<28, UInt32>) {
        self.init(displayWidth: w[0], displayHeight: w[1], mode: w[2], pixelView: w[3], channel: w[4],
                  threshold: Float(bitPattern: w[5]), pedestalResets: w[6], clears: w[7],
                  beamX: Float(bitPattern: w[8]), beamY: Float(bitPattern: w[9]),
                  darkFrom: UInt64(w[10]) | UInt64(w[11]) << 32, darkTo: UInt64(w[12]) | UInt64(w[13]) << 32,
                  viewRegion: PixelRegion(x0: Int(Int32(bitPattern: w[14])), y0: Int(Int32(bitPattern: w[15])),
                                          x1: Int(Int32(bitPattern: w[16])), y1: Int(Int32(bitPattern: w[17]))),
                  viewWidth: w[18], viewHeight: w[19], viewGeneration: w[20],
                  photonSigma: Float(bitPattern: w[21]), hitSigma: Float(bitPattern: w[22]), minPeaks: w[23])
        inspectX = Int32(bitPattern: w[24])
        inspectY = Int32(bitPattern: w[25])
        pictureWidth = w[26]
        pictureHeight = w[27]
    }
}

/// A consistent view of the control block.
public struct ControlSnapshot: Equatable, Sendable {
    public var settings: ControlSettings
    /// Bumped on every `set`; workers tag their results with it.
    public var generation: UInt32
    public var shutdown: Bool
}

/// Settings written by the UI (main thread of the viewer) and read by every worker at each
/// frame. The settings are guarded by a sequence lock, so a worker never sees a display
/// width from one change with a height from another; writers serialise on the lock word
/// itself (odd = write in progress), so a second writer would wait rather than corrupt.
public final class ControlBlock: @unchecked Sendable {
    private let region: SharedRegion
    private let base: UnsafeMutableRawPointer

    // Offsets in the block; the settings' words follow one another from `settingsOffset`.
    private static let lockOffset = 0
    private static let generationOffset = 4
    private static let shutdownOffset = 8
    /// The number of the latest snapshot request (`S`), apart from the settings: a request is
    /// an event, not a setting, and bumping it must not make workers think the view changed.
    private static let snapshotOffset = 12
    private static let settingsOffset = 16
    /// The regions' words, after room for the settings to grow.
    private static let regionsOffset = 160

    init(region: SharedRegion, layout: RegionLayout) {
        precondition(Self.settingsOffset + 4 * ControlSettings.wordCount <= Self.regionsOffset)
        precondition(Self.regionsOffset + 4 * ControlRegions.wordCount <= RegionLayout.controlSize)
        self.region = region
        base = region.base + layout.controlOffset
    }

    private func field(_ offset: Int) -> UnsafeMutablePointer<UInt32> { word32(base, offset) }

    /// Replaces the settings and bumps the generation.
    public func set(_ settings: ControlSettings) {
        let words = settings.words
        SeqLock<UInt32>(word: field(Self.lockOffset)).writeExclusively {
            for i in 0..<ControlSettings.wordCount {
                field(Self.settingsOffset + 4 * i).atomicStore(words[i])
            }
            let regionWords = settings.regions.words
            for i in 0..<ControlRegions.wordCount {
                field(Self.regionsOffset + 4 * i).atomicStore(regionWords[i])
            }
            field(Self.generationOffset).atomicAdd(1)
        }
    }

    /// Asks workers to exit; they see it at their next frame or wake-up.
    public func requestShutdown() { field(Self.shutdownOffset).atomicStore(1) }

    public var isShuttingDown: Bool { field(Self.shutdownOffset).atomicLoad() != 0 }

    public var generation: UInt32 { field(Self.generationOffset).atomicLoad() }

    /// Asks the workers for a snapshot (their full-resolution share of the shown view, or the
    /// next frame they process); returns the request's number, which their answers carry.
    /// Written by the viewer's main thread only. Never 0 (the number `--save`'s shares carry).
    public func requestSnapshot() -> UInt32 {
        var next = field(Self.snapshotOffset).atomicLoad() &+ 1
        if next == 0 { next = 1 }
        field(Self.snapshotOffset).atomicStore(next)
        return next
    }

    /// The latest snapshot request's number (0: none yet).
    public var snapshotRequest: UInt32 { field(Self.snapshotOffset).atomicLoad() }

    public func snapshot() -> ControlSnapshot {
        SeqLock<UInt32>(word: field(Self.lockOffset)).read { _ -> ControlSnapshot? in
            var words = InlineArray<28, UInt32>(repeating: 0)
            for i in 0..<ControlSettings.wordCount { words[i] = field(Self.settingsOffset + 4 * i).atomicLoad() }
            var regionWords = InlineArray<18, UInt32>(repeating: 0)
            for i in 0..<ControlRegions.wordCount { regionWords[i] = field(Self.regionsOffset + 4 * i).atomicLoad() }
            var settings = ControlSettings(words: words)
            settings.regions = ControlRegions(words: regionWords)
            return ControlSnapshot(settings: settings,
                                   generation: field(Self.generationOffset).atomicLoad(),
                                   shutdown: field(Self.shutdownOffset).atomicLoad() != 0)
        }!.value   // the body never gives up, so there always is a copy
    }
}
