import DetectorStream
import Processing
import TerminalUI
import Theming

/// Everything the screen shows, as a value. Changed only by `reduce(_:)`, so the viewer's
/// behaviour is tested without threads, processes or terminals.
public struct ViewerState: Sendable {
    /// Colour scale of the heatmap.
    public struct Scale: Sendable, Equatable {
        public var autoscale = true
        public var logScale = false
        public var low: Float = 0
        public var high: Float = 1
        /// Percentiles of the unmasked display pixels that autoscale maps to the ends.
        public static let lowPercentile = 0.5
        public static let highPercentile = 99.9
        /// The same as fractions, as `FrameKernels.percentiles` takes them.
        public static let quantiles = [lowPercentile / 100, highPercentile / 100]
    }

    /// Rates over the last sampling interval.
    public struct Rates: Sendable, Equatable {
        public var framesPerSecond: Double = 0
        public var bytesPerSecond: Double = 0
        public var droppedPerSecond: Double = 0
    }

    /// One worker's row in the load panel.
    public struct WorkerLoad: Sendable, Equatable {
        public var index: Int
        public var load: Double
        public var frames: UInt64
        public var restarts: UInt64
        public var alive: Bool
        /// Has work and makes no progress (see `WorkerWatch`).
        public var stalled = false
    }

    /// What a pixel of a detector with gain bits (JUNGFRAU) shows.
    public enum PixelView: Sendable, Equatable {
        case value, gainStage
    }

    /// The line at the bottom: the latest thing worth telling.
    public struct Status: Sendable, Equatable {
        public var text: String
        public var severity: Severity
    }

    public var source: String
    public var series: SeriesInfo?
    public var seriesEnded = false
    public var framesInSeries: UInt64 = 0
    public var image: DisplayImage?
    public var scale = Scale()
    public var colormap: String = "viridis"
    /// The themes `T` steps through; the current one colours the screen.
    public var themes = ThemeCycle.compiledDefault
    /// Ordered dithering of the heatmap and colour bar in 256 and 16 colours (`D`, `--dither`).
    public var dither = false
    /// Whether the last frame's photons (counting) or peaks (hits) are marked on the heatmap (`x`).
    public var showsMarks = true
    public var counters = CounterSample(timeNanoseconds: 0)
    public var previousSample: CounterSample?
    public var rates = Rates()
    public var workers: [WorkerLoad] = []
    public var restarts = 0
    public var gaps: UInt64 = 0
    public var lastBadReason: String?
    public var status: Status?
    /// What the screen wrote to the terminal lately (bytes/s, paints/s), nil before a second passed.
    public var terminalOutput: OutputRate?
    public var showHelp = false
    /// The help overlay's page (`?` steps through them on a screen too small for all keys).
    public var helpPage = 0
    /// The side panel (`P`); shown only where the screen has room (`ScreenLayout`).
    public var showsPanel = true
    /// The line profile under the heatmap (`|`): a row or a column through the cursor, or off.
    public var lineProfile: LineProfile.Axis?
    public var pixelView = PixelView.value
    public var modes = ModeState()
    /// How many times `t` asked for the next channel of a multi-channel stream (the receiver
    /// takes it modulo the stream's channel count).
    public var channelSteps: UInt32 = 0
    /// The last shown images, and where space and ←/→ hold the picture (`ShownImageHistory`).
    public var history = ShownImageHistory()
    /// The last minute's rates, one point a second, for the history strips (`H`).
    public var statsHistory = StatsHistory()
    public var showsStrips = false
    /// How many snapshots `S` asked for; the core asks the session for one each time it grows.
    public var snapshotRequests = 0
    /// The regions of interest (`R`, `Delete`, `--roi`) and their numbers.
    public var regions = RegionsOfInterest()
    public var quit = false
    public var width = 0
    public var height = 0
    /// Which part of the frame the heatmap shows (`z`, `Z`, arrows, `f`).
    public var viewport = Viewport()
    /// A detector pixel the user pointed at, which zooming keeps in place (nil: none; zooming
    /// then keeps the view's centre): the pixel's centre, (x + 0.5, y + 0.5). The pixel
    /// inspector (`i`) sets and moves it; `cursorPixel` is the pixel itself.
    public var cursor: Viewport.Point?
    /// The pixel inspector is on (`i`): the cursor is drawn, the arrows move it, and the panel
    /// shows `inspection`.
    public var inspecting = false
    /// The workers' readout of the newest frame for the cursor's pixel (nil until one came).
    public var inspection: InspectedFrame?
    /// Bumped whenever what the workers are asked to bin changes (viewport, display size,
    /// frame shape); images binned under another generation are not drawn as this view.
    public private(set) var viewGeneration: UInt32 = 0
    private var generationGeometry: Viewport.Geometry?

    public init(source: String) {
        self.source = source
    }
}

extension ViewerState {
    /// The viewer's reducer: folds one event into the state. Pure.
    public mutating func reduce(_ event: ViewerEvent) {
        apply(event)
        let geometry = viewGeometry
        if geometry != generationGeometry {
            generationGeometry = geometry
            viewGeneration &+= 1
        }
    }

    private mutating func apply(_ event: ViewerEvent) {
        switch event {
        case .key(let key):
            handle(key)
        case .resized(let width, let height):
            self.width = width
            self.height = height
        case .seriesStarted(let info):
            // The receiver's "detected again" line comes just before this status replaces it.
            let formatChange = series.flatMap { $0.format == info.format ? nil : "; stream format now \(info.format.name) (was \($0.format.name))" }
            // A region of a frame of another shape means nothing in this one.
            if series.map({ ($0.width, $0.height) != (info.width, info.height) }) ?? false { viewport = Viewport() }
            series = info
            seriesEnded = false
            framesInSeries = 0
            status = Status(text: "series \(info.series) started: \(info.width)×\(info.height) \(info.pixelType.name)\(formatChange ?? "")",
                            severity: .info)
        case .seriesEnded(let series, let frames):
            seriesEnded = true
            framesInSeries = frames
            status = Status(text: "series \(series) ended after \(frames) frames", severity: .info)
        case .badFrame(let reason, _):
            lastBadReason = reason
            status = Status(text: "bad frame: \(reason)", severity: .warning)
        case .frameGap(let missing):
            gaps &+= missing
            status = Status(text: "frame gap: \(missing) frame\(missing == 1 ? "" : "s") missing", severity: .warning)
        case .image(let image):
            self.image = image
            history.record(image, at: counters.timeNanoseconds)
            // Paused, the picture and its scale stay as they are; the live image is still kept.
            if scale.autoscale, !modes.showsComposedView, !history.isPaused,
               shows(image.viewGeneration, image.region, image.frameWidth, image.frameHeight) {
                autoscale(shown: image, leavingOutSaturation: true)
            }
        case .sample(let sample):
            absorb(sample)
        case .workerExited(let index, let cause, let restarted):
            if restarted { restarts += 1 }
            let what = restarted ? "restarted" : "left down (it keeps dying)"
            status = Status(text: "worker \(index) \(cause); \(what)", severity: restarted ? .warning : .error)
        case .message(let text, let severity):
            status = Status(text: text, severity: severity)
        case .composed(let view):
            guard view.mode == modes.mode, !history.isPaused else { return }
            modes.composed = view
            if scale.autoscale, view.mode != .radial, shows(view.viewGeneration, view.region, view.frameWidth, view.frameHeight) {
                autoscale(view.pixels, leavingOutSaturation: false)
            }
        case .readout(let readout):
            modes.absorb(readout)
            absorbInspection(readout.inspection)
            if let numbers = readout.regions { regions.absorb(numbers, at: readout.timeNanoseconds) }
        }
    }

    /// A key does what `KeyMap` says; keys it does not list are ignored.
    private mutating func handle(_ key: Key) {
        if case .mouse(let event) = key {
            // Under the help overlay the mouse does nothing: it neither pages nor closes it.
            if !showHelp { handleMouse(event) }
            return
        }
        let command = KeyMap.command(for: key)
        if showHelp {
            // `?` pages on while help has more pages than the screen holds at once; any other
            // key (or `?` on the last page) closes help; q still quits from there.
            if command == .toggleHelp, helpPage + 1 < helpPageCount {
                helpPage += 1
                return
            }
            showHelp = false
            if command == .quit { quit = true }
            return
        }
        guard let command else { return }
        // While a region is drawn, arrows, Enter and Escape act on it.
        if regions.drawing != nil, handleDrawingCommand(command) { return }
        switch command {
        case .startRegion, .fixRegion, .deleteRegion:
            handleRegionCommand(command)
        case .quit:
            quit = true
        case .toggleHelp:
            showHelp = true
            helpPage = 0
        case .toggleLogScale:
            scale.logScale.toggle()
            status = Status(text: scale.logScale ? "log scale" : "linear scale", severity: .info)
        case .toggleAutoscale:
            scale.autoscale.toggle()
            if scale.autoscale { autoscaleToShownView() }
            status = Status(text: scale.autoscale ? "autoscale on" : "autoscale off: limits held", severity: .info)
        case .togglePixelView:
            pixelView = pixelView == .value ? .gainStage : .value
            let detector = series?.detector.carriesGainBits == true ? "" : " (only JUNGFRAU frames carry gain bits)"
            status = Status(text: (pixelView == .gainStage ? "gain stage view: 0 = G0, 1 = G1, 2 = G2" : "ADC value view")
                                + detector, severity: .info)
        case .nextChannel:
            channelSteps &+= 1
            let channels = series?.metadata["channels"]
            status = Status(text: channels.map { "next channel of \($0)" } ?? "next channel (this stream has one)",
                            severity: .info)
        case .toggleMarks:
            showsMarks.toggle()
            status = Status(text: showsMarks ? "marks on: the last frame's photons (counting) or peaks (hits)"
                                             : "marks off", severity: .info)
        case .nextColormap:
            colormap = Colormap.after(colormap).name
            status = Status(text: "colormap \(colormap)", severity: .info)
        case .nextTheme:
            // A theme brings its colormap: its colours were chosen to go with it.
            themes.advance()
            colormap = themes.current.colormap
            status = Status(text: "theme \(themes.current.name) (\(themes.index + 1) of \(themes.themes.count)), colormap \(colormap)",
                            severity: .info)
        case .toggleDither:
            dither.toggle()
            status = Status(text: dither ? "dithering on (256 and 16 colours)" : "dithering off", severity: .info)
        case .togglePause, .toggleStrips:
            handleHistoryCommand(command)
        case .nextLineProfile, .togglePanel:
            handleLayoutCommand(command)
        case .snapshot:
            snapshotRequests += 1
            status = Status(text: "snapshot: asking the workers for the full-resolution image…", severity: .info)
        case .nextMode, .selectMode:
            // A new mode's picture is a live one: holding the old mode's would mislead.
            history.goLive()
            handleModeCommand(command)
        case .takeDarkSeries, .resetPedestal, .raiseThreshold, .lowerThreshold,
             .nextPumpView, .nextPedestalView, .clearAccumulations, .lowerPhotonSigma, .raisePhotonSigma,
             .lowerHitSigma, .raiseHitSigma, .lowerMinPeaks, .raiseMinPeaks:
            handleModeCommand(command)
        case .toggleInspector, .hideInspector, .moveCursor:
            handleInspectorCommand(command)
        case .pan(let dx, let dy) where inspecting:
            // While the inspector is on, the arrows move its cursor (by one shown pixel).
            moveCursor(dx: dx, dy: dy, far: false)
        case .pan(let dx, let dy) where history.isPaused:
            // Paused, ← / → step through the history instead of panning (↑ / ↓ do nothing then).
            if dy == 0, dx != 0 {
                stepHistory(back: dx < 0)
            } else {
                status = Status(text: "paused: ← / → step through the history, space goes live", severity: .info)
            }
        case .zoomIn, .zoomOut, .fitFrame, .pan:
            // The held images were binned for the old view: a new view is a live one.
            history.goLive()
            handleViewportCommand(command)
        }
    }

    /// The stream's saturation level, when its metadata gives one (DECTRIS stream v2
    /// `saturation_value`, SIMPLON `countrate_correction_count_cutoff`).
    public var saturation: Float? {
        guard let metadata = series?.metadata else { return nil }
        let text = metadata["saturation_value"] ?? metadata["countrate_correction_count_cutoff"]
        return text.flatMap(Float.init).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Saturated pixels are kept out: a handful of them would otherwise take the top of the
    /// scale and leave the rest of the frame dark.
    mutating func autoscaleToShownView() {
        if modes.showsComposedView {
            if let view = modes.composed, view.mode != .radial { autoscale(view.pixels, leavingOutSaturation: false) }
        } else if let image = shownImage {
            autoscale(shown: image, leavingOutSaturation: true)
        }
    }

    /// `quantiles`: what `FrameKernels.percentiles` takes: fractions, clamped to 0...1 (so the
    /// percentiles are divided by 100; passed as they are, 0.5 and 99.9 scaled from the median
    /// to the maximum).
    mutating func autoscale(_ shown: [Float], leavingOutSaturation: Bool,
                            quantiles: [Double] = Scale.quantiles) {
        guard !shown.isEmpty else { return }
        let level = leavingOutSaturation ? saturation : nil
        let pixels = level.map { level in shown.filter { !($0 >= level) } } ?? shown
        let limits = pixels.withUnsafeBufferPointer { FrameKernels.percentiles($0, quantiles) }
        guard limits.count == 2, !limits[0].isNaN, !limits[1].isNaN else { return }
        scale.low = limits[0]
        scale.high = limits[1] > limits[0] ? limits[1] : limits[0] + 1
    }

    /// Counters follow every sample; rates and loads are taken over at least `rateWindow`
    /// so that a fast render rate does not make them jitter.
    private mutating func absorb(_ sample: CounterSample) {
        defer { recordStatsPoint(at: sample.timeNanoseconds) }
        counters = sample
        guard let base = previousSample else {
            previousSample = sample
            workers = sample.workers.map {
                WorkerLoad(index: $0.index, load: 0, frames: $0.frames, restarts: $0.restarts, alive: $0.alive,
                           stalled: $0.stalled)
            }
            return
        }
        let elapsed = sample.timeNanoseconds &- base.timeNanoseconds
        if elapsed >= Self.rateWindow, sample.timeNanoseconds > base.timeNanoseconds {
            let seconds = Double(elapsed) / 1e9
            rates.framesPerSecond = Double(sample.received &- base.received) / seconds
            rates.bytesPerSecond = Double(sample.bytes &- base.bytes) / seconds
            workers = sample.workers.map { worker in
                let before = base.workers.first { $0.index == worker.index }
                var load = 0.0
                if let before, worker.busyNanoseconds >= before.busyNanoseconds {
                    load = min(1, Double(worker.busyNanoseconds - before.busyNanoseconds) / Double(elapsed))
                }
                return WorkerLoad(index: worker.index, load: load, frames: worker.frames,
                                  restarts: worker.restarts, alive: worker.alive, stalled: worker.stalled)
            }
            rates.droppedPerSecond = Double(sample.dropped &- base.dropped) / seconds
            previousSample = sample
        } else {
            for worker in sample.workers {
                if let i = workers.firstIndex(where: { $0.index == worker.index }) {
                    workers[i].frames = worker.frames
                    workers[i].restarts = worker.restarts
                    workers[i].alive = worker.alive
                    workers[i].stalled = worker.stalled
                } else {   // a worker new since the last window shows at once, load unknown yet
                    workers.append(WorkerLoad(index: worker.index, load: 0, frames: worker.frames,
                                              restarts: worker.restarts, alive: worker.alive, stalled: worker.stalled))
                }
            }
        }
    }

    /// Rates are measured over at least this long (nanoseconds).
    public static let rateWindow: UInt64 = 1_000_000_000
}
