import DetectorStream
import Processing
import SharedMemory
import TerminalUI
import Theming

/// The viewer's decisions in one pure state machine: inputs in, effects out.
///
/// It owns what the screen shows (`screen`, folded by `ViewerState.reduce`) and everything the
/// session used to decide on its own: quitting and exit codes, the headless lines and when a
/// series ends for the user, the dark series, what goes to the control block, the log lines,
/// and when the screen is drawn. No clocks, no file descriptors: time comes with each input,
/// so every decision is tested on plain values. `ViewerSession` runs the effects.
public struct ViewerCore {
    /// What the core needs to know of the configuration.
    public struct Settings: Sendable {
        public var source: String
        public var workers: Int
        /// There is a screen to draw (false in headless mode).
        public var interactive: Bool
        public var headless: ViewerConfig.Headless?
        public var processing: ProcessingOptions
        public var mode: ProcessingMode
        public var startupWarnings: [String]
        public var themes: ThemeCycle
        /// The screen is drawn at most this often.
        public var maxRenderRate: Double
        /// Dithering at start (`--dither`).
        public var dither: Bool
        /// The terminal's byte budget (`--max-rate`, bytes/s; 0: unlimited).
        public var maxBytesPerSecond: Double
        /// Shown images kept for pause and rewind (`--history`).
        public var historyImages: Int
        /// A terminal cell's size in pixels when the heatmap is drawn as a picture (`--graphics`
        /// chose sixel or kitty); nil for half blocks. The workers bin to the picture's pixels.
        public var pictureCellPixels: (width: Int, height: Int)?
        /// Mouse events are acted on (`--mouse`).
        public var mouse: Bool

        public init(config: ViewerConfig, interactive: Bool) {
            source = config.demoRate != nil ? config.demoDetector.sourceName : config.receiver.endpoints.joined(separator: " ")
            workers = config.workers
            self.interactive = interactive
            headless = config.headless
            processing = config.processing
            mode = config.mode
            startupWarnings = config.startupWarnings
            themes = config.themes
            maxRenderRate = config.maxRenderRate
            dither = config.dither
            maxBytesPerSecond = config.maxBytesPerSecond
            historyImages = config.historyImages
            mouse = config.mouse
        }
    }

    public let settings: Settings
    /// What the screen (or the headless report) shows.
    public private(set) var screen: ViewerState
    /// Set once the viewer is to quit; the first reason wins.
    public private(set) var exitCode: Int32?

    /// The settings last written to the control block.
    private(set) var writtenControl: ControlSettings?
    /// `p` presses already turned into a range of ring sequences, and that range.
    private var darkRequestsSeen: UInt32 = 0
    private(set) var darkRange: (from: UInt64, to: UInt64) = (0, 0)
    private var render: RenderSchedule
    private var headlessLines: HeadlessAccounting
    /// Per-stage latency of the drained frames, read out with each sample.
    private var latency: LatencyWindow

    public init(settings: Settings) {
        self.settings = settings
        screen = ViewerState(source: settings.source)
        screen.modes.mode = settings.mode
        screen.themes = settings.themes
        screen.colormap = settings.themes.current.colormap
        screen.dither = settings.dither
        screen.modes.threshold = Float(settings.processing.threshold)
        screen.modes.live = LiveParameters(photonSigma: Float(settings.processing.sigma),
                                           hitSigma: Float(settings.processing.hitSigma),
                                           minPeaks: settings.processing.minPeaks)
        screen.modes.pumpProbe = !settings.processing.pattern.isEmpty
        screen.modes.darkSeriesFrames = settings.processing.pedestalFrames
        screen.modes.workerCount = settings.workers
        screen.history = ShownImageHistory(capacity: settings.historyImages)
        screen.regions = RegionsOfInterest(settings.processing.rois.map {
            PixelRegion(x0: $0.x0, y0: $0.y0, x1: $0.x1, y1: $0.y1)
        })
        render = RenderSchedule(interval: UInt64(1e9 / settings.maxRenderRate), maxBytesPerSecond: settings.maxBytesPerSecond,
                                enabled: settings.interactive)
        headlessLines = HeadlessAccounting(headless: settings.headless)
        latency = LatencyWindow(intervalSeconds: settings.headless?.statsIntervalSeconds ?? 1)
    }

    public var isQuitting: Bool { exitCode != nil }
    /// How closely the next paint keeps the heatmap's colours (the byte budget lowers it when short).
    public var heatmapTolerance: PerceptualTolerance { PerceptualTolerance(threshold: render.heatmapThreshold) }

    /// Folds one input in; returns what the session must do, in order. `now` is monotonic nanoseconds.
    public mutating func handle(_ input: ViewerInput, at now: UInt64) -> [ViewerEffect] {
        var effects: [ViewerEffect] = []
        headlessLines.clock(now, into: &effects)
        switch input {
        case .started:
            effects.append(.log(.info, "viewing \(screen.source) with \(settings.workers) workers"))
            for warning in settings.startupWarnings {
                receive(.message(warning, .warning), into: &effects)
                if settings.headless != nil { effects.append(.stderr("detview: warning: \(warning)")) }
            }
            if render.neverDrawn { effects += render.drawNow() }
        case .key(.mouse) where !settings.mouse:
            break   // `--mouse off`: the terminal does not report them; should one come, it is not acted on
        case .key(let key):
            let snapshots = screen.snapshotRequests
            screen.reduce(.key(key))
            if screen.snapshotRequests != snapshots { effects.append(.takeSnapshot) }
        case .resized(let width, let height):
            screen.reduce(.resized(width: width, height: height))
            effects += render.drawNow()
        case .ingest(let events, let sample):
            for event in events { receive(event, into: &effects) }
            absorb(sample)
            finishSeriesIfDone(into: &effects)
        case .results(let results, let lost, let sample):
            absorb(results, lost: lost, at: now, into: &effects)
            absorb(sample)
            if !isQuitting { finishSeriesIfDone(into: &effects) }
        case .sample(let sample):
            absorb(sample)
        case .statsTick(let sample):
            absorb(sample)
            if settings.headless != nil { effects.append(.emit(HeadlessReport.stats(screen))) }
        case .image(let image):
            screen.reduce(.image(image))
        case .composed(let view):
            screen.reduce(.composed(view))
        case .darkSeriesBegins(let sequence):
            darkRange = (sequence, sequence &+ UInt64(screen.modes.darkSeriesFrames))
        case .workerReadable(let index):
            effects.append(.reapWorker(index: index))
        case .workerExited(let exit):
            workerExited(exit, into: &effects)
        case .workerProgress(let warnings, let sample):
            absorb(sample)
            for warning in warnings { receive(.message(warning, .warning), into: &effects) }
        case .simulatorExited(let cause):
            receive(.message("demo simulator \(cause)", .warning), into: &effects)
        case .signal(let signal):
            effects.append(.log(.info, "signal \(signal): quitting"))
            quit(128 + signal, into: &effects)
        case .stdoutFailed(let reason):
            effects.append(.log(.error, "stdout closed: \(reason)"))
            quit(1, into: &effects)
        case .settled:
            if !isQuitting { effects += render.settle(at: now) }
        case .renderTimerFired:
            effects += render.timerFired(at: now)
        case .rendered(let bytes):
            render.drawn(at: now, bytes: bytes)
            screen.terminalOutput = render.meter.readout
        case .finishing(let sample):
            absorb(sample)
            headlessLines.finish(into: &effects)
            if settings.headless != nil { effects.append(.emit(HeadlessReport.stats(screen))) }   // always the final accounting
        case .saveFinished(let outcome):
            if let saved = outcome.saved {
                effects.append(.log(.info, saved))
                if settings.headless != nil { effects.append(.emit(HeadlessReport.message(saved, severity: .info))) }
            }
            for line in outcome.lines {
                effects.append(.log(line.severity, line.text))
                effects.append(.stderr("detview: \(line.text)"))
            }
            if outcome.failed, (exitCode ?? 0) == 0 { exitCode = 1 }
        case .snapshotFinished(let line):
            effects.append(.log(line.severity, line.text))
            screen.status = ViewerState.Status(text: line.text, severity: line.severity)
        }
        if input.changesScreen { render.markDirty(heatmap: input.changesHeatmap) }
        if screen.quit { quit(0, into: &effects) }
        controlEffects(into: &effects)
        return effects
    }

    // MARK: decisions

    /// Counters with the latency percentiles of the last whole window.
    private mutating func absorb(_ sample: CounterSample) {
        var sample = sample
        sample.latency = latency.readout(now: sample.timeNanoseconds)
        screen.reduce(.sample(sample))
    }

    /// A `p` press first asks where the dark series starts; every other change is written at once.
    private mutating func controlEffects(into effects: inout [ViewerEffect]) {
        guard !isQuitting else { return }
        if screen.modes.darkRequests != darkRequestsSeen {
            darkRequestsSeen = screen.modes.darkRequests
            effects.append(.beginDarkSeries)
            return   // written with the series' range, when `darkSeriesBegins` comes
        }
        let wanted = control
        guard wanted != writtenControl else { return }
        writtenControl = wanted
        effects.append(.writeControl(wanted))
    }

    private mutating func quit(_ code: Int32, into effects: inout [ViewerEffect]) {
        guard exitCode == nil else { return }
        exitCode = code
        effects.append(.quit(code))
    }

    /// One event of the receiver (or one the core raises itself): the screen, the log, the headless line.
    private mutating func receive(_ event: ViewerEvent, into effects: inout [ViewerEffect]) {
        screen.reduce(event)
        switch event {
        case .seriesStarted(let info):
            effects.append(.log(.info, "series \(info.series) started: \(info.format.name) \(info.width)×\(info.height) \(info.pixelType.name)"))
            headlessLines.seriesStarted(info, source: screen.source, into: &effects)
            checkRegionOfInterest(width: info.width, height: info.height, into: &effects)
            checkDarkFrames(into: &effects)
        case .seriesEnded(let series, let frames):
            effects.append(.log(.info, "series \(series) ended after \(frames) frames"))
            headlessLines.seriesEnded(series: series, frames: frames, into: &effects)
        case .badFrame(let reason, let count):
            effects.append(.log(.warning, count == 1 ? "bad frame: \(reason)" : "\(count) bad frames, the last: \(reason)"))
            headlessLines.rejected(count, reason: reason, into: &effects)
        case .frameGap(let missing):
            effects.append(.log(.warning, "frame gap: \(missing) missing"))
        case .message(let text, let severity):
            effects.append(.log(severity, text))
            if settings.headless != nil { effects.append(.emit(HeadlessReport.message(text, severity: severity))) }
        default:
            break
        }
    }

    private mutating func absorb(_ results: [FrameResult], lost: Int, at now: UInt64, into effects: inout [ViewerEffect]) {
        var readout = FrameReadout(timeNanoseconds: now)
        for result in results {
            readout.add(result)
            latency.add(result)
            headlessLines.frame(result, into: &effects)
        }
        headlessLines.lost(lost)
        if lost > 0 { receive(.message("\(lost) per-frame results lost (the viewer fell behind)", .warning), into: &effects) }
        screen.reduce(.readout(readout))
        if headlessLines.reachedFrameLimit { quit(0, into: &effects) }
    }

    /// A series ends for the user only once every frame of it is accounted for.
    private mutating func finishSeriesIfDone(into effects: inout [ViewerEffect]) {
        guard headlessLines.finishSeries(counters: screen.counters, into: &effects) else { return }
        if settings.headless?.exitOnSeriesEnd == true { quit(0, into: &effects) }
    }

    private mutating func workerExited(_ exit: WorkerExit, into effects: inout [ViewerEffect]) {
        effects.append(.log(.warning, "worker \(exit.index) (pid \(exit.pid)) \(exit.cause); \(exit.reclaimedSlots) slot(s) reclaimed"))
        screen.reduce(.workerExited(index: exit.index, cause: exit.cause, restarted: exit.restarted))
        if settings.headless != nil {
            effects.append(.emit(HeadlessReport.message("worker \(exit.index) \(exit.cause)", severity: .warning)))
        }
    }

    /// A `--dark-frames` series too short for every worker's pedestal: say so once per series.
    private mutating func checkDarkFrames(into effects: inout [ViewerEffect]) {
        let dark = settings.processing.darkFrames
        guard dark > 0, let short = screen.modes.darkSeriesShortfall(dark) else { return }
        receive(.message("--dark-frames \(dark): \(short.reason): take at least \(short.needed)", .warning), into: &effects)
    }

    /// A region (from `--roi` or drawn) that misses the series' image gives no numbers: say so
    /// once per series.
    private mutating func checkRegionOfInterest(width: Int, height: Int, into effects: inout [ViewerEffect]) {
        for region in screen.regions.fixed {
            guard let rectangle = try? PixelRectangle(x0: region.x0, y0: region.y0, x1: region.x1, y1: region.y1) else { continue }
            do {
                _ = try RegionOfInterest(rectangle, imageWidth: width, imageHeight: height)
            } catch {
                receive(.message("--roi \(rectangle): \(error)", .warning), into: &effects)
            }
        }
    }
}

extension ViewerInput {
    /// Inputs after which the heatmap may show something new: frames, keys (scale, colormap,
    /// mode), a resize. Counters alone repaint the panels, not the heatmap.
    var changesHeatmap: Bool {
        switch self {
        case .started, .key, .resized, .results, .image, .composed: return true
        default: return false
        }
    }

    /// Inputs after which the screen may show something new.
    var changesScreen: Bool {
        switch self {
        case .settled, .renderTimerFired, .rendered, .darkSeriesBegins, .workerReadable, .saveFinished: return false
        default: return true
        }
    }
}
