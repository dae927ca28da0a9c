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
    /// The last buffer drawn, whose heatmap a paint without the heatmap keeps.
    private var lastDrawn: Buffer?
    private var lastShowedHelp = false
    /// The heatmap's picture sent with the last paint (`--graphics`), kept while the budget holds the heatmap.
    private var lastPicture: TerminalPicture?

    /// What the screen shows now.
    public var state: ViewerState { core.screen }

    public init(config: ViewerConfig, frontEnd: FrontEnd?, signals: SignalPipe) throws {
        self.config = config
        self.frontEnd = frontEnd
        self.signals = signals
        self.log = try EventLog(path: config.logPath)
        statsTimer = try TimerFD()
        renderTimer = try TimerFD()
        core = ViewerCore(settings: ViewerCore.Settings(config: config, interactive: frontEnd != nil))
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
        if let image = boards.latestImage(from: pipeline.region.board) { feed(.image(image)) }
        if let view = boards.composedView(from: pipeline.region.views, workers: config.workers, modes: core.screen.modes) {
            feed(.composed(view))
        }
        var buffer = Buffer(width: frontEnd.size.width, height: frontEnd.size.height)
        var screen = Screen(state: core.screen, glyphs: frontEnd.glyphs, heatmapGlyphs: frontEnd.heatmapGlyphs,
                            colors: frontEnd.colors)
        // The budget holds the heatmap back: its cells stay as they are on screen (the help
        // overlay, drawn over it, is drawn whole).
        let held = !heatmap && !core.screen.showHelp && !lastShowedHelp
            && lastDrawn?.width == buffer.width && lastDrawn?.height == buffer.height
        screen.holdsHeatmapInterior = held
        // Pictures only where the help overlay does not cover the heatmap: there it is text.
        let pictureCell = core.screen.showHelp ? nil : frontEnd.graphicsCellPixels
        let capture = pictureCell == nil || held ? nil : HeatmapCapture()
        screen.heatmapCapture = capture
        screen.render(into: &buffer)
        if held, let shown = lastDrawn {
            buffer.copy(ScreenLayout(width: buffer.width, height: buffer.height).heatmapInterior, from: shown)
        }
        var picture: TerminalPicture?
        if let cell = pictureCell {
            if held {
                picture = lastPicture
            } else if let capture, let widget = capture.widget {
                picture = HeatmapPicture.make(widget, in: capture.area, cellWidth: cell.width, cellHeight: cell.height,
                                              ramp: (Colormap.named(core.screen.colormap) ?? .viridis).ramp(for: .truecolor),
                                              registers: frontEnd.colorRegisters)
            }
            // Blank cells under the picture: unchanged from paint to paint, so ncurses leaves the image alone.
            if let picture { buffer.fill(picture.cells, with: Cell(" ")) }
        }
        if heatmap { boards.heatmapPainted() }
        let before = frontEnd.bytesWritten
        frontEnd.draw(buffer, picture: picture)
        lastPicture = picture
        lastDrawn = buffer
        lastShowedHelp = core.screen.showHelp
        feed(.rendered(bytes: frontEnd.bytesWritten - before))
    }

    /// Headless lines are written once per wake-up, not once per frame.
    private func flushOutput() {
        guard config.headless != nil, !output.failed, !output.flush() else { return }
        feed(.stdoutFailed(reason: String(cString: strerror(errno))))
    }

    /// `--save`: after the workers wrote their shares and the terminal is given back.
    private func saveImage() {
        guard let shares = pipeline?.saveShares, let path = config.savePath else { return }
        feed(.saveFinished(ImageSaver.save(to: path, shares: shares, modes: core.screen.modes,
                                           restarts: core.screen.restarts)))
        flushOutput()
    }
}
