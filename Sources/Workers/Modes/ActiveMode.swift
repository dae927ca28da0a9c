import Processing
import SharedMemory

/// The active processing mode of one worker for one frame shape: the mode's unit and what
/// every mode shares around it — the pedestal (stepped on every frame, dark ones included,
/// before the mode sees the frame), the frames counted per pump-probe side, the marks, and
/// the share binned to the display and put on the view board. Made and owned by the
/// worker's `ModeEngine`.
///
/// Charge-integrating detectors (MOENCH, JUNGFRAU) get the pedestal subtracted before the
/// modes that use it, and until it is ready their frames add nothing; counting detectors
/// (EIGER, PILATUS) have no pedestal and the modes use the raw values.
final class ActiveMode {
    let key: ModeEngine.Key
    /// Pedestal tracking and photon finding (charge-integrating detectors, and pedestal mode).
    let pedestal: (any PedestalWork)?
    private let unit: any ModeUnit
    private let pumpProbe: Bool
    private(set) var framesA: UInt64 = 0
    private(set) var framesB: UInt64 = 0
    /// The last frame was dark: it has no photons or peaks, and the lists hold an older frame's.
    private var lastFrameWasDark = false
    private var share = ShareImages()
    private var binnedA: [Float] = []
    private var binnedB: [Float] = []

    var frames: UInt64 { framesA + framesB }
    private var mode: ProcessingMode { key.mode }

    /// Throws what a kernel said when it refused the shape or a setting.
    init(key: ModeEngine.Key, options: ProcessingOptions, pumpProbe: Bool, keepingPedestal kept: (any PedestalWork)?) throws {
        self.key = key
        self.pumpProbe = pumpProbe
        let (w, h) = (key.width, key.height)
        if key.mode == .pedestal || (key.chargeIntegrating && key.mode.usesPedestal) {
            let capacity = max(4096, w * h / 9)
            // A detector with gain switching gets a pedestal per gain stage.
            let pipeline: any PedestalWork = try kept ?? (key.gainStages
                ? GainStageCountingPipeline(width: w, height: h, window: options.pedestalFrames, photonCapacity: capacity)
                : CountingPipeline(width: w, height: h, window: options.pedestalFrames, photonCapacity: capacity))
            pipeline.finder.sigma = Float(options.sigma)
            // The mode keeps its own photon counts (one image per pump-probe side).
            pipeline.finder.countsPhotons = false
            if kept != nil { pipeline.finder.clear() }
            pedestal = pipeline
        } else {
            pedestal = nil
        }
        unit = try ModeRegistry.unit(for: key.mode).init(ModeSetup(
            width: w, height: h, chargeIntegrating: key.chargeIntegrating, options: options, pumpProbe: pumpProbe,
            beamX: key.beamX, beamY: key.beamY, pedestal: pedestal))
    }

    /// The pedestal is good enough to subtract (always, without one).
    var pedestalReady: Bool { pedestal.map { $0.isReady } ?? true }

    /// What the mode works on: pedestal-subtracted for charge-integrating detectors.
    func processed(_ values: UnsafeBufferPointer<Float>) -> UnsafeBufferPointer<Float> {
        guard key.chargeIntegrating, let pedestal, pedestal.isReady else { return values }
        return pedestal.subtracted
    }

    /// Steps the pedestal, then (for a light frame, once the pedestal is ready where the mode
    /// needs it) the mode. Throws what a kernel said when it refused the frame.
    func process(_ values: UnsafeBufferPointer<Float>, stages: UnsafeBufferPointer<UInt8>?, kind: FrameKind,
                 live: LiveSettings, result: inout FrameResult) throws {
        lastFrameWasDark = kind == .dark
        // nσ moves live (`n`/`N`): this frame's photons are found, and the pedestal kept away
        // from them, with the control block's value.
        pedestal?.finder.sigma = live.photonSigma
        if kind == .dark {
            try pedestal?.processDark(values, stages: stages)
            return
        }
        var photons = 0
        if let pedestal { photons = try pedestal.process(values, stages: stages) }
        // Until the pedestal is ready a charge-integrating frame has nothing trustworthy to add.
        if key.chargeIntegrating && mode.usesPedestal && !pedestalReady { return }
        let pumped = kind == .pumped && pumpProbe
        try unit.process(ModeFrame(values: values, processed: processed(values), pumped: pumped,
                                   live: live, photons: photons),
                         result: &result)
        if pumped { framesB += 1 } else { framesA += 1 }
    }

    /// The unit's full-resolution share, with the frames in it; nil when it has no view.
    private func fill() throws -> (width: Int, height: Int)? {
        share.framesA = framesA
        share.framesB = framesB
        return try unit.fill(&share)
    }

    /// Puts this worker's share, binned to the display size (the viewer's zoomed viewport of
    /// it, when one is set), on the view board. A unit that bins straight from its state
    /// reads only the viewport's pixels; otherwise the full-resolution share is read out and
    /// binned.
    func publish(worker: Int, views: ViewBoard, control: ControlSettings, header: SlotHeader) throws {
        guard control.displayWidth > 0, control.displayHeight > 0 else { return }
        let binning = type(of: unit).shareBinning
        var image: (width: Int, height: Int), region: PixelRegion, hasB: Bool
        share.framesA = framesA
        share.framesB = framesB
        if binning != .none, let view = control.binning(frameWidth: key.width, frameHeight: key.height),
           try unit.binShare(region: view.region, image: (view.width, view.height), a: &binnedA, b: &binnedB) {
            image = (view.width, view.height)
            region = view.region
            hasB = !binnedB.isEmpty
        } else {
            guard let full = try fill() else { return }
            image = (full.width, full.height)
            region = PixelRegion.whole(width: full.width, height: full.height)
            hasB = !share.b.isEmpty
            if binning == .none {
                binnedA = share.a
                binnedB = share.b
            } else if let view = control.binning(frameWidth: full.width, frameHeight: full.height) {
                image = (view.width, view.height)
                region = view.region
                Self.bin(share.a, into: &binnedA, full, region, image, byMaximum: binning == .max)
                if hasB { Self.bin(share.b, into: &binnedB, full, region, image, byMaximum: binning == .max) }
            }
        }
        guard image.width * image.height <= views.maxPixels else { return }
        let shownPedestalFrames = UInt64(pedestal?.shownPedestal.frames ?? 0)
        var entry = ViewHeader(mode: mode.rawValue, clears: key.clears, pedestalResets: key.pedestalResets,
                               imageWidth: UInt32(image.width), imageHeight: UInt32(image.height),
                               frameWidth: UInt32(key.width), frameHeight: UInt32(key.height),
                               framesA: share.framesA, framesB: share.framesB, pedestalFrames: shownPedestalFrames,
                               pedestalReady: pedestalReady, series: header.series, sequence: header.sequence)
        entry.viewGeneration = control.viewGeneration
        entry.viewRegion = region
        binnedA.withUnsafeBufferPointer { a in
            if !hasB {
                _ = views.publish(worker: worker, header: entry, a: a)
            } else {
                binnedB.withUnsafeBufferPointer { b in _ = views.publish(worker: worker, header: entry, a: a, b: b) }
            }
        }
    }

    /// Linear (mean) binning keeps shares additive; maxima are binned by maximum. The whole
    /// share takes the whole-frame kernels, a zoomed viewport the region ones.
    private static func bin(_ full: [Float], into out: inout [Float], _ size: (width: Int, height: Int),
                            _ region: PixelRegion, _ image: (width: Int, height: Int), byMaximum: Bool) {
        if out.count != image.width * image.height { out = [Float](repeating: .nan, count: image.width * image.height) }
        let whole = region.isWhole(width: size.width, height: size.height)
        _ = full.withUnsafeBufferPointer { pixels in
            out.withUnsafeMutableBufferPointer { target in
                switch (byMaximum, whole) {
                case (true, true):
                    FrameKernels.binMax(pixels, width: size.width, height: size.height, into: target,
                                        outWidth: image.width, outHeight: image.height)
                case (false, true):
                    FrameKernels.binMean(pixels, width: size.width, height: size.height, into: target,
                                         outWidth: image.width, outHeight: image.height)
                case (true, false):
                    FrameKernels.binMax(pixels, frameWidth: size.width, frameHeight: size.height, region: region,
                                        into: target, outWidth: image.width, outHeight: image.height)
                case (false, false):
                    FrameKernels.binMean(pixels, frameWidth: size.width, frameHeight: size.height, region: region,
                                         into: target, outWidth: image.width, outHeight: image.height)
                }
            }
        }
    }

    /// The last frame's photons or peaks (as the unit names them) inside `region`, as display
    /// pixels of an image of `image` size binned from that region (up to
    /// `ResultBoard.maxMarks`); none after a dark frame.
    func marks(region: PixelRegion, image: (width: Int, height: Int), into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        guard !lastFrameWasDark else { return }
        let shown = region.clamped(width: key.width, height: key.height)
        guard !shown.isEmpty else { return }
        unit.forEachMark { x, y in
            guard out.count < ResultBoard.maxMarks, x >= shown.x0, x < shown.x1, y >= shown.y0, y < shown.y1 else { return }
            out.append(ResultBoard.mark(x: Self.displayPixel(x - shown.x0, of: shown.width, in: image.width),
                                        y: Self.displayPixel(y - shown.y0, of: shown.height, in: image.height)))
        }
    }

    /// The display pixel showing frame pixel `x` of `frame` pixels binned to `image`: the bin
    /// [⌊i·frame/image⌋, ⌊(i+1)·frame/image⌋) holding it (the last of them when pixels repeat).
    static func displayPixel(_ x: Int, of frame: Int, in image: Int) -> Int {
        Swift.min(image - 1, ((x + 1) * image - 1) / frame)
    }

    /// The full-resolution share for `--save` (nil outside the modes with a composed view, or
    /// when a kernel refused to read it out).
    func savedShare() -> SavedShare? {
        guard mode.showsComposedView, let full = try? fill() else { return nil }
        return SavedShare(mode: mode, width: full.width, height: full.height,
                          framesA: share.framesA, framesB: share.framesB, a: share.a, b: share.b)
    }
}
