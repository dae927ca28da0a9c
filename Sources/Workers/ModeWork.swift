import Processing
import SharedMemory

/// The state of one processing mode for one frame shape, in one worker: the kernels the
/// mode needs and nothing else, its frame counts, and the scratch images for its share of
/// the view. Made and owned by the worker's `ModeEngine`.
final class ModeWork {
    let key: ModeEngine.Key
    /// Pedestal tracking and photon finding (charge-integrating detectors, and pedestal mode).
    let counting: (any PedestalWork)?
    private let sums: PumpProbeAccumulator?
    private let thresholds: [ThresholdCounter]
    /// Photons per pixel, unpumped (or all) and pumped.
    private var photonCounts: [[UInt32]]
    private let hits: HitFinder?
    private let radial: RadialProfile?
    private(set) var framesA: UInt64 = 0
    private(set) var framesB: UInt64 = 0
    private let pumpProbe: Bool
    /// The last frame was dark: it has no photons or peaks, and the lists hold an older frame's.
    private var lastFrameWasDark = false
    private var fullA: [Float] = []
    private var fullB: [Float] = []
    private var binnedA: [Float] = []
    private var binnedB: [Float] = []

    var frames: UInt64 { framesA + framesB }
    private var mode: ProcessingMode { key.mode }

    struct Failure: Error {}

    init(key: ModeEngine.Key, options: ProcessingOptions, pattern: Bool, keepingPedestal kept: (any PedestalWork)?) throws {
        self.key = key
        pumpProbe = pattern
        let mode = key.mode
        let (w, h) = (key.width, key.height)
        let needsPedestal = mode == .pedestal || (key.chargeIntegrating && mode.usesPedestal)
        if needsPedestal {
            let capacity = max(4096, w * h / 9)
            // A detector with gain switching gets a pedestal per gain stage.
            let pipeline: any PedestalWork = try kept ?? (key.gainStages
                ? GainStageCountingPipeline(width: w, height: h, window: options.pedestalFrames, photonCapacity: capacity)
                : CountingPipeline(width: w, height: h, window: options.pedestalFrames, photonCapacity: capacity))
            pipeline.finder.sigma = Float(options.sigma)
            // The mode keeps its own photon counts (one image per pump-probe side).
            pipeline.finder.countsPhotons = false
            if kept != nil { pipeline.finder.clear() }
            counting = pipeline
        } else {
            counting = nil
        }
        switch mode {
        case .analog, .sum, .mean:
            sums = try PumpProbeAccumulator(width: w, height: h, contents: .sum)
        case .max:
            sums = try PumpProbeAccumulator(width: w, height: h, contents: .max)
        case .counting where !key.chargeIntegrating:
            sums = try PumpProbeAccumulator(width: w, height: h, contents: .sum)
        default:
            sums = nil
        }
        thresholds = mode == .threshold
            ? try (0..<(pattern ? 2 : 1)).map { _ in try ThresholdCounter(width: w, height: h, threshold: Float(options.threshold)) }
            : []
        photonCounts = mode == .counting && key.chargeIntegrating
            ? [[UInt32]](repeating: [UInt32](repeating: 0, count: w * h), count: pattern ? 2 : 1) : []
        hits = mode == .hits
            ? try HitFinder(width: w, height: h, settings: HitFinder.Settings(
                sigma: Float(options.hitSigma), minPixels: options.minPixels, minPeaks: options.minPeaks))
            : nil
        if mode == .radial {
            let cx = key.beamX.isNaN ? Double(w) / 2 : Double(key.beamX)
            let cy = key.beamY.isNaN ? Double(h) / 2 : Double(key.beamY)
            radial = try RadialProfile(width: w, height: h, centerX: cx, centerY: cy)
        } else {
            radial = nil
        }
    }

    /// The pedestal is good enough to subtract (always, without one).
    var pedestalReady: Bool { counting.map { $0.isReady } ?? true }

    /// What the mode works on: pedestal-subtracted for charge-integrating detectors.
    func processed(_ values: UnsafeBufferPointer<Float>) -> UnsafeBufferPointer<Float> {
        guard key.chargeIntegrating, let counting, counting.isReady else { return values }
        return counting.subtracted
    }

    func process(_ values: UnsafeBufferPointer<Float>, stages: UnsafeBufferPointer<UInt8>?, kind: FrameKind,
                 threshold: Float, result: inout FrameResult) {
        lastFrameWasDark = kind == .dark
        if kind == .dark {
            try? counting?.processDark(values, stages: stages)
            return
        }
        var photons = 0
        if let counting { photons = (try? counting.process(values, stages: stages)) ?? 0 }
        // Until the pedestal is ready a charge-integrating frame has nothing trustworthy to add.
        if key.chargeIntegrating && mode.usesPedestal && !pedestalReady { return }
        let frame = processed(values)
        let pumped = kind == .pumped && pumpProbe
        switch mode {
        case .analog, .sum, .mean, .max:
            try? sums?.add(frame, kind: pumped ? .pumped : .unpumped)
        case .threshold:
            let counter = thresholds[pumped ? 1 : 0]
            counter.threshold = threshold
            try? counter.add(frame)
        case .counting:
            if let counting, key.chargeIntegrating {
                result.photons = Int32(clamping: photons)
                let finder = counting.finder
                photonCounts[pumped ? 1 : 0].withUnsafeMutableBufferPointer { counts in
                    for i in 0..<finder.storedPhotonCount {
                        let p = finder.photon(at: i)
                        counts[p.y * key.width + p.x] &+= 1
                    }
                }
            } else {
                // A photon-counting detector has counted them already: each count is a photon,
                // and the frame's sum (already in the result) is the frame's photons.
                try? sums?.add(frame, kind: pumped ? .pumped : .unpumped)
                result.photons = Int32(clamping: Int(result.sum.rounded()))
            }
        case .hits:
            if let found = try? hits?.find(frame) {
                result.peaks = Int32(clamping: found.peakCount)
                result.hit = found.isHit ? 1 : 0
            }
        case .radial:
            try? radial?.add(values)
        case .raw, .pedestal:
            break
        }
        if pumped { framesB += 1 } else { framesA += 1 }
    }

    /// Full-resolution images A and B of the mode (B empty without pump-probe), or, for the
    /// radial profile, ring sums and ring pixel counts.
    private func fill() -> (width: Int, height: Int)? {
        let count = key.width * key.height
        func size(_ image: inout [Float], _ n: Int) { if image.count != n { image = [Float](repeating: 0, count: n) } }
        switch mode {
        case .pedestal:
            guard let counting else { return nil }
            // The variance as image B: the viewer pools the workers' σ from their means and variances.
            fullA = Array(counting.shownPedestal.mean)
            fullB = Array(counting.shownPedestal.variance)
        case .analog, .sum, .mean, .max, .counting:
            guard let sums else {
                // Counting on a charge-integrating detector: the photon count images.
                guard !photonCounts.isEmpty else { return nil }
                fullA = photonCounts[0].map { Float($0) }
                fullB = photonCounts.count > 1 ? photonCounts[1].map { Float($0) } : []
                return (key.width, key.height)
            }
            size(&fullA, count)
            let max = mode == .max
            fullA.withUnsafeMutableBufferPointer { try? max ? sums.unpumped.maximum(into: $0) : sums.unpumped.sum(into: $0) }
            if pumpProbe {
                size(&fullB, count)
                fullB.withUnsafeMutableBufferPointer { try? max ? sums.pumped.maximum(into: $0) : sums.pumped.sum(into: $0) }
            } else {
                fullB = []
            }
        case .threshold:
            fullA = thresholds[0].counts.map { Float($0) }
            fullB = thresholds.count > 1 ? thresholds[1].counts.map { Float($0) } : []
        case .radial:
            guard let radial else { return nil }
            let rings = radial.ringCount
            fullA = (0..<rings).map { r in radial.count(ring: r) > 0 ? Float(radial.mean(ring: r) * Double(radial.count(ring: r))) : 0 }
            fullB = (0..<rings).map { Float(radial.count(ring: $0)) }
            return (rings, 1)
        default:
            return nil
        }
        return (key.width, key.height)
    }

    /// Puts this worker's share, binned to the display size, on the view board.
    func publish(worker: Int, views: ViewBoard, control: ControlSettings, header: SlotHeader) {
        guard control.displayWidth > 0, control.displayHeight > 0, let full = fill() else { return }
        var image = (width: full.width, height: full.height)
        if mode != .radial {
            let fit = FrameKernels.fitSize(frameWidth: full.width, frameHeight: full.height,
                                           areaWidth: Int(control.displayWidth), areaHeight: Int(control.displayHeight))
            image = (fit.width, fit.height)
            bin(fullA, into: &binnedA, full, image)
            if !fullB.isEmpty { bin(fullB, into: &binnedB, full, image) }
        } else {
            binnedA = fullA
            binnedB = fullB
        }
        guard image.width * image.height <= views.maxPixels else { return }
        let share = ViewHeader(mode: mode.rawValue, clears: key.clears, pedestalResets: key.pedestalResets,
                               imageWidth: UInt32(image.width), imageHeight: UInt32(image.height),
                               frameWidth: UInt32(key.width), frameHeight: UInt32(key.height),
                               framesA: mode == .pedestal ? UInt64(counting?.shownPedestal.frames ?? 0) : framesA,
                               framesB: framesB, pedestalFrames: UInt64(counting?.shownPedestal.frames ?? 0),
                               pedestalReady: pedestalReady, series: header.series, sequence: header.sequence)
        binnedA.withUnsafeBufferPointer { a in
            if fullB.isEmpty {
                _ = views.publish(worker: worker, header: share, a: a)
            } else {
                binnedB.withUnsafeBufferPointer { b in _ = views.publish(worker: worker, header: share, a: a, b: b) }
            }
        }
    }

    /// Linear (mean) binning keeps shares additive; maxima are binned by maximum.
    private func bin(_ full: [Float], into out: inout [Float], _ size: (width: Int, height: Int),
                     _ image: (width: Int, height: Int)) {
        if out.count != image.width * image.height { out = [Float](repeating: .nan, count: image.width * image.height) }
        let binByMax = mode == .max
        _ = full.withUnsafeBufferPointer { pixels in
            out.withUnsafeMutableBufferPointer { target in
                if binByMax {
                    FrameKernels.binMax(pixels, width: size.width, height: size.height, into: target,
                                        outWidth: image.width, outHeight: image.height)
                } else {
                    FrameKernels.binMean(pixels, width: size.width, height: size.height, into: target,
                                         outWidth: image.width, outHeight: image.height)
                }
            }
        }
    }

    /// The last frame's photons (counting on a charge-integrating detector) or peaks (hits),
    /// as display pixels of an image of `image` size binned from the frame (up to
    /// `ResultBoard.maxMarks`); empty in the other modes.
    func marks(image: (width: Int, height: Int), into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        guard !lastFrameWasDark else { return }
        func add(_ x: Int, _ y: Int) {
            guard out.count < ResultBoard.maxMarks, x >= 0, x < key.width, y >= 0, y < key.height else { return }
            out.append(ResultBoard.mark(x: Self.displayPixel(x, of: key.width, in: image.width),
                                        y: Self.displayPixel(y, of: key.height, in: image.height)))
        }
        if mode == .counting, key.chargeIntegrating, let finder = counting?.finder {
            for i in 0..<finder.storedPhotonCount {
                let photon = finder.photon(at: i)
                add(photon.x, photon.y)
            }
        } else if mode == .hits, let hits {
            // Int(_:) traps on NaN: a centroid is finite unless the frame is absurd, but never trust it.
            for peak in hits.peaks where peak.x.isFinite && peak.y.isFinite && abs(peak.x) < 1e9 && abs(peak.y) < 1e9 {
                add(Int(peak.x), Int(peak.y))
            }
        }
    }

    /// The display pixel showing frame pixel `x` of `frame` pixels binned to `image`: the bin
    /// [⌊i·frame/image⌋, ⌊(i+1)·frame/image⌋) holding it (the last of them when pixels repeat).
    static func displayPixel(_ x: Int, of frame: Int, in image: Int) -> Int {
        Swift.min(image - 1, ((x + 1) * image - 1) / frame)
    }

    /// The full-resolution share for `--save`.
    func savedShare() -> SavedShare? {
        guard mode.showsComposedView, let full = fill() else { return nil }
        return SavedShare(mode: mode, width: full.width, height: full.height,
                          framesA: mode == .pedestal ? UInt64(counting?.shownPedestal.frames ?? 0) : framesA,
                          framesB: framesB, a: fullA, b: fullB)
    }
}
