import CLinux
import DetectorStream
import Glibc
import Ingest
import Processing
import SharedMemory
import TerminalUI
import Workers

/// Runs one viewer: builds the pipeline (shared region, workers, receiver), merges every
/// source of events into one async loop on the main actor, and tears it all down again.
///
/// The loop sleeps in the event pump's `epoll_wait` when nothing happens. Each wake-up is
/// turned into `ViewerEvent`s for the pure reducer; the screen (or the headless JSON
/// output) is produced from the resulting state.
@MainActor
public final class ViewerSession {
    private enum Source: UInt64 {
        case keyboard = 1, results, inbox, signals, statsTimer, renderTimer, worker, simulator
    }

    private let config: ViewerConfig
    private let frontEnd: FrontEnd?
    private let signals: SignalPipe
    private let log: EventLog
    public private(set) var state: ViewerState
    private var exitCode: Int32 = 0

    private var region: DetviewRegion!
    private var supervisor: WorkerSupervisor!
    private var receiver: Receiver!
    private var inbox: ReceiverInbox!
    private var pump: EventPump!
    private var notifyFD: Int32 = -1
    private var statsTimer: Int32 = -1
    private var renderTimer: Int32 = -1
    private var simulator: SimulatorChild?

    private var dirty = true
    /// The settings last written to the control block.
    private var pushedControl: ControlSettings?
    private var renderArmed = false
    private var lastRender: UInt64 = 0
    private var boardVersion: UInt64 = 0
    private var boardPixels: [Float] = []
    private var boardMarks: [UInt32] = []
    /// Dark-series requests (`p`) already turned into a range of ring sequences.
    private var darkRequestsSeen: UInt32 = 0
    private var darkRange: (from: UInt64, to: UInt64) = (0, 0)
    private var viewA: [Float] = []
    /// `--save`: where the workers leave their shares (made at start, removed at the end).
    private var partsDirectory: String?
    private var viewB: [Float] = []
    private var framesReported: UInt64 = 0
    /// Results drained of frames the workers processed (not bad), and results lost.
    private var resultsProcessed: UInt64 = 0
    private var resultsLost: UInt64 = 0
    private var pendingSeriesEnd: (series: UInt64, frames: UInt64)?
    private var stdoutFailed = false
    private var output = LineOutput()

    public init(config: ViewerConfig, frontEnd: FrontEnd?, signals: SignalPipe) throws {
        self.config = config
        self.frontEnd = frontEnd
        self.signals = signals
        self.log = try EventLog(path: config.logPath)
        let source = config.demoRate != nil ? "demo (simulated MOENCH)" : config.receiver.endpoints.joined(separator: " ")
        self.state = ViewerState(source: source)
        state.modes.mode = config.mode
        state.modes.threshold = Float(config.processing.threshold)
        state.modes.pumpProbe = !config.processing.pattern.isEmpty
        state.modes.darkSeriesFrames = config.processing.pedestalFrames
        state.modes.workerCount = config.workers
    }

    /// Runs until `q`, a signal, or a headless exit condition. Returns the exit status.
    public func run() async -> Int32 {
        do {
            try setUp()
        } catch {
            tearDown()
            report("cannot start: \(error)", .error)
            return 1
        }
        log.write(.info, "viewing \(state.source) with \(config.workers) workers")
        for warning in config.startupWarnings {
            receive(.message(warning, .warning))
            if config.headless != nil { writeAll(2, "detview: warning: \(warning)\n") }
        }
        render()
        for await token in pump.tokens {
            handle(token)
            flushOutput()
            if state.quit { break }
            scheduleRender()
        }
        if config.headless != nil {
            sample()
            emit(HeadlessReport.stats(state))   // the final accounting, always
            flushOutput()
        }
        tearDown()
        return exitCode
    }

    // MARK: set-up and tear-down

    private func setUp() throws {
        // Room for a mask of half the pixels of the largest 16-bit frame; untouched pages cost nothing.
        let maskCapacity = min(max(config.receiver.maxFrameBytes / 4, 1), 1 << 26)
        let layout = try RegionLayout(slotCount: config.slots, slotCapacity: config.receiver.maxFrameBytes,
                                      maxWorkers: config.workers, boardMaxPixels: 1 << 20, resultCapacity: 1 << 16,
                                      maskCapacity: maskCapacity)
        region = try DetviewRegion.create(layout: layout, populate: false)
        var processing = config.processing
        if config.savePath != nil {
            partsDirectory = try SavedImage.makePartsDirectory()
            processing.partsDirectory = partsDirectory!
        }
        guard region.writeOptions(processing.encoded) else {
            throw ViewerError("the processing options are too long for the shared region (a very long --pattern?)")
        }
        setDisplayArea()

        notifyFD = dv_eventfd(0, dv_efd_cloexec() | dv_efd_nonblock())
        guard notifyFD >= 0 else { throw SystemError(call: "eventfd", errno: errno) }
        pump = try EventPump()

        supervisor = WorkerSupervisor(executable: config.workerExecutable, count: config.workers,
                                      region: region, notifyFD: notifyFD)
        try supervisor.startAll()
        for handle in supervisor.handles.compactMap({ $0 }) {
            try pump.watch(handle.pidfd, token: token(.worker, handle.index))
        }

        inbox = try ReceiverInbox()
        var options = config.receiver
        if config.demoRate != nil {
            options.bind = true
            options.endpoints = ["tcp://127.0.0.1:*"]
        }
        receiver = try Receiver(options: options, ring: region.ring, inbox: inbox, masks: region.masks,
                                control: region.control)
        if let rate = config.demoRate, let endpoint = receiver.boundEndpoints.first {
            simulator = try SimulatorChild(executable: config.workerExecutable, endpoint: endpoint, rate: rate)
            try pump.watch(simulator!.pidfd, token: token(.simulator))
        }

        statsTimer = dv_timerfd_create()
        renderTimer = dv_timerfd_create()
        guard statsTimer >= 0, renderTimer >= 0 else { throw SystemError(call: "timerfd_create", errno: errno) }
        let interval = config.headless.map { $0.statsIntervalSeconds } ?? 1.0
        if interval > 0 {
            let ns = UInt64(interval * 1e9)
            dv_timerfd_set(statsTimer, ns, ns)
        }

        try pump.watch(notifyFD, token: token(.results))
        try pump.watch(inbox.fd, token: token(.inbox))
        try pump.watch(signals.readFD, token: token(.signals))
        try pump.watch(statsTimer, token: token(.statsTimer))
        try pump.watch(renderTimer, token: token(.renderTimer))
        if let frontEnd { try pump.watch(frontEnd.inputFileDescriptor, token: token(.keyboard)) }
        pump.start()
        receiver.start()
        sample()
    }

    private func tearDown() {
        receiver?.stop()
        simulator?.stop()
        // Workers write their --save shares on the way out: give them time for a large frame.
        supervisor?.stopAll(timeoutMilliseconds: partsDirectory == nil ? 1000 : 10_000)
        pump?.stop()
        frontEnd?.shutdown()
        saveImage()   // after the terminal is given back: it may have something to say
        for fd in [notifyFD, statsTimer, renderTimer] where fd >= 0 { close(fd) }
        notifyFD = -1
        statsTimer = -1
        renderTimer = -1
    }

    // MARK: events

    private func token(_ source: Source, _ index: Int = 0) -> UInt64 {
        source.rawValue << 32 | UInt64(index)
    }

    private func handle(_ token: UInt64) {
        guard let source = Source(rawValue: token >> 32) else { return }
        let index = Int(token & 0xffff_ffff)
        switch source {
        case .keyboard:
            for key in frontEnd?.readKeys() ?? [] {
                if key == .resize { resize() } else { apply(.key(key)) }
            }
        case .results:
            _ = dv_eventfd_drain(notifyFD)
            region.results.rearmDoorbell()
            drainResults()
        case .inbox:
            for event in inbox.drain() { receive(ViewerEvent(event)) }
            finishSeriesIfDone()
        case .signals:
            for signal in signals.drain() {
                if signal == SIGWINCH {
                    resize()
                } else {
                    log.write(.info, "signal \(signal): quitting")
                    exitCode = 128 + signal
                    state.quit = true
                }
            }
        case .statsTimer:
            _ = dv_timerfd_read(statsTimer)
            sample()
            if config.headless != nil { emit(HeadlessReport.stats(state)) }
        case .renderTimer:
            _ = dv_timerfd_read(renderTimer)
            renderArmed = false
            render()
        case .worker:
            workerExited(index)
        case .simulator:
            if let simulator {
                pump.unwatch(simulator.pidfd)   // before reap closes it: the number could be reused
                let cause = simulator.reap()
                apply(.message("demo simulator \(cause)", .warning))
                self.simulator = nil
            }
        }
    }

    private func apply(_ event: ViewerEvent) {
        state.reduce(event)
        dirty = true
        if case .key = event { pushControl() }
    }

    private func receive(_ event: ViewerEvent) {
        apply(event)
        switch event {
        case .seriesStarted(let info):
            pushControl()  // the beam centre may come with the series
            checkRegionOfInterest(width: info.width, height: info.height)
            checkDarkFrames()
            log.write(.info, "series \(info.series) started: \(info.format.name) \(info.width)×\(info.height) \(info.pixelType.name)")
            emit(HeadlessReport.seriesStart(info, source: state.source))
        case .seriesEnded(let series, let frames):
            log.write(.info, "series \(series) ended after \(frames) frames")
            pendingSeriesEnd = (series, frames)
        case .badFrame(let reason):
            log.write(.warning, "bad frame: \(reason)")
        case .frameGap(let missing):
            log.write(.warning, "frame gap: \(missing) missing")
        case .message(let text, let severity):
            log.write(severity, text)
            if config.headless != nil { emit(HeadlessReport.message(text, severity: severity)) }
        default:
            break
        }
    }

    private func drainResults() {
        let headless = config.headless
        var readout = FrameReadout(timeNanoseconds: dv_monotonic_ns())
        let (_, lost) = region.results.drain { result in
            readout.add(result)
            if result.status != .bad { resultsProcessed += 1 }
            guard let headless else { return }
            if let limit = headless.exitAfterFrames, framesReported >= limit { return }
            framesReported += 1
            if headless.perFrame { emit(HeadlessReport.frame(result)) }
        }
        resultsLost += UInt64(lost)
        if lost > 0 { receive(.message("\(lost) per-frame results lost (the viewer fell behind)", .warning)) }
        state.reduce(.readout(readout))
        dirty = true
        if let limit = headless?.exitAfterFrames, framesReported >= limit {
            state.quit = true
            return
        }
        finishSeriesIfDone()
    }

    /// A series ends for the user only once every frame of it is accounted for.
    private func finishSeriesIfDone() {
        guard let end = pendingSeriesEnd else { return }
        sample()
        guard state.counters.inFlight == 0 else { return }
        // A worker counts a frame processed just before it pushes the frame's result: wait for
        // the result too, so the last frame's line is written before the series' end.
        guard resultsProcessed + resultsLost >= state.counters.processed else { return }
        pendingSeriesEnd = nil
        emit(HeadlessReport.seriesEnd(series: end.series, frames: end.frames))
        if config.headless?.exitOnSeriesEnd == true { state.quit = true }
    }

    private func workerExited(_ index: Int) {
        guard let report = supervisor.workerExited(index: index) else { return }
        log.write(.warning, "worker \(index) (pid \(report.pid)) \(report.cause); \(report.reclaimedSlots) slot(s) reclaimed")
        if let replacement = report.replacement {
            try? pump.watch(replacement.pidfd, token: token(.worker, index))
        }
        let event = ViewerEvent.workerExited(index: index, cause: report.cause, restarted: report.replacement != nil)
        apply(event)
        if config.headless != nil {
            emit(HeadlessReport.message("worker \(index) \(report.cause)", severity: .warning))
        }
    }

    // MARK: sampling and drawing

    private func sample() {
        let counters = region.ring.accounting.snapshot()
        var sample = CounterSample(timeNanoseconds: dv_monotonic_ns())
        sample.received = counters.received
        sample.processed = counters.processed
        sample.dropped = counters.dropped
        sample.bad = counters.bad
        sample.bytes = counters.bytesReceived
        sample.workers = (0..<config.workers).map { index in
            let w = region.workerStats.snapshot(worker: index)
            return WorkerSample(index: index, busyNanoseconds: w.busyNanoseconds, frames: w.frames,
                                restarts: w.restarts, alive: supervisor.handles[index] != nil)
        }
        state.reduce(.sample(sample))
        dirty = true
    }

    private func resize() {
        frontEnd?.resize()
        setDisplayArea()
        dirty = true
        render()
    }

    /// Tells the workers how many pixels the heatmap has room for (none in headless mode).
    private func setDisplayArea() {
        if let frontEnd {
            let size = frontEnd.size
            state.reduce(.resized(width: size.width, height: size.height))
        }
        pushControl()
    }

    /// Writes what the workers and the receiver should do into the control block, when it changed.
    private func pushControl() {
        var settings = ControlSettings()
        if frontEnd != nil {
            let area = ScreenLayout(width: state.width, height: state.height).heatmapInterior
            settings.displayWidth = UInt32(max(0, area.width))
            settings.displayHeight = UInt32(max(0, area.height * 2))
        }
        settings.pixelView = state.pixelView == .gainStage ? ControlSettings.viewGainStage : ControlSettings.viewValue
        settings.channel = state.channelSteps
        let modes = state.modes
        settings.mode = modes.mode.rawValue
        settings.threshold = modes.threshold
        settings.pedestalResets = modes.pedestalResets
        settings.clears = modes.clears
        if modes.darkRequests != darkRequestsSeen {
            // The next frames the receiver publishes are the dark series.
            darkRequestsSeen = modes.darkRequests
            let next = region.ring.lastSequence &+ 1
            darkRange = (next, next &+ UInt64(modes.darkSeriesFrames))
        }
        settings.darkFrom = darkRange.from
        settings.darkTo = darkRange.to
        if let beam = beamCentre {
            settings.beamX = beam.x
            settings.beamY = beam.y
        }
        guard settings != pushedControl else { return }
        pushedControl = settings
        region.control.set(settings)
    }

    private func scheduleRender() {
        guard frontEnd != nil, dirty, !renderArmed else { return }
        let now = dv_monotonic_ns()
        let interval = UInt64(1e9 / config.maxRenderRate)
        if now &- lastRender >= interval {
            render()
        } else {
            renderArmed = true
            dv_timerfd_set(renderTimer, interval - (now &- lastRender), 0)
        }
    }

    private func render() {
        guard let frontEnd else { return }
        sample()
        let version = region.board.version
        if version != boardVersion, let header = region.board.read(into: &boardPixels, marks: &boardMarks) {
            boardVersion = version
            let count = Int(header.imageWidth) * Int(header.imageHeight)
            state.reduce(.image(DisplayImage(
                series: header.series, frameNumber: header.frameNumber,
                frameWidth: Int(header.frameWidth), frameHeight: Int(header.frameHeight),
                width: Int(header.imageWidth), height: Int(header.imageHeight),
                pixels: Array(boardPixels.prefix(count)), stats: header.stats, marks: boardMarks)))
        }
        composeView()
        let size = frontEnd.size
        var buffer = Buffer(width: size.width, height: size.height)
        Screen(state: state, glyphs: frontEnd.glyphs, heatmapGlyphs: frontEnd.heatmapGlyphs).render(into: &buffer)
        frontEnd.draw(buffer)
        lastRender = dv_monotonic_ns()
        dirty = false
    }

    /// `--save`: composes the workers' full-resolution shares and writes the image.
    private func saveImage() {
        guard let directory = partsDirectory, let path = config.savePath else { return }
        defer {
            SavedImage.removeParts(in: directory, workers: config.workers)
            partsDirectory = nil
        }
        let mode = state.modes.mode
        guard mode.showsComposedView else {
            report("--save: the \(mode.name) mode accumulates nothing; nothing written to \(path)", .warning)
            return
        }
        guard let image = SavedImage.compose(directory: directory, workers: config.workers, mode: mode,
                                             pumpView: state.modes.pumpView, pedestalView: state.modes.pedestalView) else {
            report("--save: no worker had a \(mode.name) image (no frames?); nothing written to \(path)", .warning)
            return
        }
        let what = mode.name + (state.modes.pumpProbe && mode.accumulates ? " (\(state.modes.pumpView.name))" : "")
            + (mode == .pedestal ? " \(state.modes.pedestalView.name)" : "")
        do {
            try image.pixels.withUnsafeBufferPointer { pixels throws(ExportError) in
                try ImageFileWriter.write(path: path, width: image.width, height: image.height, pixels: pixels,
                                          description: "detview \(what) of \(image.frames) frames")
            }
            log.write(.info, "saved the \(what) image of \(image.frames) frames (\(image.width)×\(image.height)) to \(path)")
            if config.headless != nil {
                emit(HeadlessReport.message("saved \(what) image of \(image.frames) frames to \(path)", severity: .info))
                flushOutput()
            }
            // A killed worker's share died with it (its replacement starts from zero): say so
            // rather than let the image pass for the whole run.
            if state.restarts > 0 {
                report("--save: \(state.restarts) worker restart(s) during the run; what a killed worker had "
                       + "accumulated is not in \(path), which holds \(image.frames) frames", .warning)
            }
        } catch {
            report("--save: \(error)", .error)
            exitCode = exitCode == 0 ? 1 : exitCode
        }
    }

    /// Composes the active accumulating mode's view from every worker's share.
    private func composeView() {
        let modes = state.modes
        guard modes.showsComposedView else { return }
        var parts: [ViewPart] = []
        for worker in 0..<config.workers {
            if let header = region.views.read(worker: worker, a: &viewA, b: &viewB) {
                parts.append(ViewPart(header: header, a: viewA, b: viewB))
            }
        }
        if let view = ViewComposer.compose(mode: modes.mode, pumpView: modes.pumpView, pedestalView: modes.pedestalView,
                                           clears: modes.clears,
                                           pedestalResets: modes.pedestalResets, parts: parts) {
            state.reduce(.composed(view))
        }
    }

    /// A `--dark-frames` series too short for every worker's pedestal: say so once per series.
    private func checkDarkFrames() {
        let dark = config.processing.darkFrames
        guard dark > 0, let short = state.modes.darkSeriesShortfall(dark) else { return }
        receive(.message("--dark-frames \(dark): \(short.reason): take at least \(short.needed)", .warning))
    }

    /// An `--roi` that misses the series' image gives no numbers: say so once per series.
    private func checkRegionOfInterest(width: Int, height: Int) {
        let text = config.processing.roi
        guard !text.isEmpty, let rectangle = try? PixelRectangle(parsing: text) else { return }
        do {
            _ = try RegionOfInterest(rectangle, imageWidth: width, imageHeight: height)
        } catch {
            receive(.message("--roi \(text): \(error)", .warning))
        }
    }

    /// The beam centre from `--beam-center`, else the stream's metadata (DECTRIS
    /// beam_center_x/y); nil leaves it to the workers (the image centre).
    private var beamCentre: (x: Float, y: Float)? {
        let given = config.processing.beamCenter.split(separator: ",").compactMap { Float($0) }
        if given.count == 2 { return (given[0], given[1]) }
        guard let metadata = state.series?.metadata, let x = metadata["beam_center_x"].flatMap(Float.init),
              let y = metadata["beam_center_y"].flatMap(Float.init) else { return nil }
        return (x, y)
    }

    // MARK: output

    private func emit(_ line: String) {
        guard config.headless != nil else { return }
        output.append(line)
    }

    /// Lines are written once per wake-up, not once per frame.
    private func flushOutput() {
        guard config.headless != nil, !stdoutFailed else { return }
        if !output.flush() {
            stdoutFailed = true
            state.quit = true
            exitCode = 1
            log.write(.error, "stdout closed: \(String(cString: strerror(errno)))")
        }
    }

    private func report(_ text: String, _ severity: Severity) {
        log.write(severity, text)
        writeAll(2, "detview: \(text)\n")
    }
}
