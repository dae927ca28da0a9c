import Glibc
import Platform
import Theming
import TerminalUI

/// Runs one viewer: thin plumbing between the real world and `ViewerCore`.
///
/// It builds the pipeline, turns each wake-up of the event pump into inputs for the core,
/// and runs the effects the core returns (control writes, headless lines, log lines, drawing,
/// reaping workers, quitting). It decides nothing itself. The loop sleeps in the pump's
/// `epoll_wait` when nothing happens.
@MainActor
public final class ViewerSession {
    private enum Source: UInt64 {
        case keyboard = 1, results, inbox, signals, statsTimer, renderTimer, worker, simulator, watchTimer
    }

    private let config: ViewerConfig
    private let frontEnd: FrontEnd?
    private let signals: SignalPipe
    private let log: EventLog
    private var core: ViewerCore
    private var pipeline: ViewerPipeline?
    private var pump: EventPump?
    private let statsTimer: TimerFD
    private let renderTimer: TimerFD
    private var boards = BoardReader()
    private var output = LineOutput()
    private var painter = ScreenPainter()
    /// `S` (interactive only): the snapshot being taken.
    private let snapshots: SnapshotTaker?

    /// What the screen shows now.
    public var state: ViewerState { core.screen }

    public init(config: ViewerConfig, frontEnd: FrontEnd?, signals: SignalPipe) throws {
        self.config = config
        self.frontEnd = frontEnd
        self.signals = signals
        self.log = try EventLog(path: config.logPath)
        statsTimer = try TimerFD()
        renderTimer = try TimerFD()
        var settings = ViewerCore.Settings(config: config, interactive: frontEnd != nil)
        // Known once, after the start-up probe; a font change later leaves the workers' size a
        // little off, which the picture's scaling absorbs.
        settings.pictureCellPixels = frontEnd?.graphicsCellPixels
        core = ViewerCore(settings: settings)
        snapshots = frontEnd == nil ? nil
            : SnapshotTaker(directory: config.snapshotDirectory ?? SnapshotTaker.defaultDirectory())
    }

    /// Runs until `q`, a signal, or a headless exit condition. Returns the exit status.
    public func run() async -> Int32 {
        do {
            try setUp()
        } catch {
            tearDown()
            log.write(.error, "cannot start: \(error)")
            writeAll(2, "detview: cannot start: \(error)\n")
            return 1
        }
        for await token in pump!.tokens {
            handle(token)
            pollSnapshot()
            feed(.settled)
            flushOutput()
            if core.isQuitting { break }
        }
        if let pipeline { feed(.finishing(pipeline.sample())) }
        flushOutput()
        tearDown()
        return core.exitCode ?? 0
    }

    // MARK: set-up and tear-down

    private func setUp() throws {
        let pipeline = try ViewerPipeline(config: config, logDescriptor: log.descriptor)
        self.pipeline = pipeline
        let pump = try EventPump()
        self.pump = pump
        let interval = UInt64((config.headless?.statsIntervalSeconds ?? 1.0) * 1e9)
        if interval > 0 { try statsTimer.arm(afterNanoseconds: interval, everyNanoseconds: interval) }
        try pipeline.startWorkers()
        for handle in pipeline.supervisor.handles.compactMap({ $0 }) { try pump.watch(handle.pidfd, token: token(.worker, handle.index)) }
        if let simulator = pipeline.simulator { try pump.watch(simulator.pidfd, token: token(.simulator)) }
        for (fd, source) in [(pipeline.notifyFD, Source.results), (pipeline.inbox.fd, .inbox), (signals.readFD, .signals),
                             (statsTimer.fd, .statsTimer), (renderTimer.fd, .renderTimer), (pipeline.watchTimer.fd, .watchTimer)] {
            try pump.watch(fd, token: token(source))
        }
        if let frontEnd {
            try pump.watch(frontEnd.inputFileDescriptor, token: token(.keyboard))
            feed(.resized(width: frontEnd.size.width, height: frontEnd.size.height))
        }
        feed(.started)   // the control block is written before the first frame can arrive
        pump.start()
        pipeline.startReceiver()
    }

    private func tearDown() {
        pipeline?.stop()
        pump?.stop()
        frontEnd?.shutdown()
        saveImage()   // after the terminal is given back: it may have something to say
    }

    // MARK: wake-ups become inputs

    private func token(_ source: Source, _ index: Int = 0) -> UInt64 {
        source.rawValue << 32 | UInt64(index)
    }

    private func handle(_ token: UInt64) {
        guard let pipeline, let source = Source(rawValue: token >> 32) else { return }
        let index = Int(token & 0xffff_ffff)
        switch source {
        case .keyboard:
            for key in frontEnd?.readKeys() ?? [] {
                if key == .resize { resize() } else { feed(.key(key)) }
            }
        case .results:
            let (results, lost) = pipeline.drainResults()
            feed(.results(results, lost: lost, pipeline.sample()))
        case .inbox:
            feed(.ingest(pipeline.inbox.drain().map(ViewerEvent.init), pipeline.sample()))
        case .signals:
            for signal in signals.drain() {
                if signal == SIGWINCH || signal == SIGCONT { resize() } else { feed(.signal(signal)) }
            }
        case .statsTimer:
            _ = statsTimer.drain()
            feed(.statsTick(pipeline.sample()))
        case .renderTimer:
            _ = renderTimer.drain()
            feed(.renderTimerFired)
        case .worker:
            feed(.workerReadable(index: index))
        case .watchTimer:
            let warnings = pipeline.watchWorkers()
            if !warnings.isEmpty { feed(.workerProgress(warnings: warnings, pipeline.sample())) }
        case .simulator:
            // Unwatched before reaping closes it: the number could be reused.
            if let simulator = pipeline.simulator { pump?.unwatch(simulator.pidfd) }
            if let cause = pipeline.reapSimulator() { feed(.simulatorExited(cause: cause)) }
        }
    }

    private func resize() {
        guard let frontEnd else { return }
        frontEnd.resize()
        feed(.resized(width: frontEnd.size.width, height: frontEnd.size.height))
    }

    // MARK: effects

    private func feed(_ input: ViewerInput) {
        for effect in core.handle(input, at: MonotonicClock.nanoseconds) { run(effect) }
    }

    private func run(_ effect: ViewerEffect) {
        switch effect {
        case .writeControl(let settings):
            pipeline?.region.control.set(settings)
        case .beginDarkSeries:
            if let pipeline { feed(.darkSeriesBegins(at: pipeline.nextSequence)) }
        case .emit(let line):
            output.append(line)
        case .log(let severity, let text):
            log.write(severity, text)
        case .stderr(let text):
            writeAll(2, text + "\n")
        case .render(let heatmap):
            draw(heatmap: heatmap)
        case .takeSnapshot:
            takeSnapshot()
        case .armRenderTimer(let nanoseconds):
            try? renderTimer.arm(afterNanoseconds: nanoseconds)
        case .reapWorker(let index):
            guard let reaped = pipeline?.reapWorker(index) else { return }
            if let pidfd = reaped.replacementPidFD { try? pump?.watch(pidfd, token: token(.worker, index)) }
            feed(.workerExited(reaped.exit))
        case .quit:
            break   // the loop ends once the wake-up's inputs are in
        }
    }

    private func draw(heatmap: Bool) {
        guard let frontEnd, let pipeline else { return }
        feed(.sample(pipeline.sample()))
        if var image = boards.latestImage(from: pipeline.region.board) {
            // Picture-sized when the workers bin for a picture: the text keeps the display size.
            if core.settings.pictureCellPixels != nil { image = core.screen.textImage(fromPicture: image) }
            feed(.image(image))
        }
        if let view = boards.composedView(from: pipeline.region.views, workers: config.workers, modes: core.screen.modes) {
            feed(.composed(view))
        }
        let bytes = painter.paint(core.screen, heatmap: heatmap, tolerance: core.heatmapTolerance, on: frontEnd)
        if heatmap { boards.heatmapPainted() }
        feed(.rendered(bytes: bytes))
    }

    /// Headless lines are written once per wake-up, not once per frame.
    private func flushOutput() {
        guard config.headless != nil, !output.failed, !output.flush() else { return }
        feed(.stdoutFailed(reason: String(cString: strerror(errno))))
    }

    /// `S`: the picture of the screen now, and a request the workers answer (they are woken,
    /// so idle ones answer too); the files are written when the answers are in (`pollSnapshot`).
    private func takeSnapshot() {
        guard let pipeline, let frontEnd, let snapshots else { return }
        guard !snapshots.isWaiting else {
            return feed(.snapshotFinished(.init(.warning, "snapshot: still waiting for the workers' answers to the last one")))
        }
        let picture = Screen.heatmapPicture(state: core.screen, width: frontEnd.size.width, height: frontEnd.size.height)
        let request = pipeline.region.control.requestSnapshot()
        pipeline.region.ring.wakeAll()
        snapshots.begin(request: request, modes: core.screen.modes, picture: picture, workers: config.workers,
                            now: MonotonicClock.nanoseconds, secondsSinceEpoch: time(nil))
        pollSnapshot()
    }

    /// After every wake-up while a snapshot waits: its files once the workers answered (or the wait is over).
    private func pollSnapshot() {
        guard let snapshots, snapshots.isWaiting, let shares = pipeline?.saveShares else { return }
        if let line = snapshots.poll(answered: shares.answers(to:), read: shares.shares, now: MonotonicClock.nanoseconds) {
            feed(.snapshotFinished(line))
        }
    }

    /// `--save`: after the workers wrote their shares and the terminal is given back.
    private func saveImage() {
        guard let shares = pipeline?.saveShares, let path = config.savePath else { return }
        feed(.saveFinished(ImageSaver.save(to: path, shares: shares, modes: core.screen.modes,
                                           restarts: core.screen.restarts)))
        flushOutput()
    }
}
