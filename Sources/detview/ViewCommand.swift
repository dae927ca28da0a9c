import ArgumentParser
import CursesBackend
import DetectorStream
import Ingest
import Glibc
import Platform
import SharedMemory
import TerminalUI
import Theming
import Viewer
import Workers

import ZeroMQ

/// `detview view ENDPOINT…`: the live viewer (the default command).
struct ViewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Show a live detector stream in the terminal (or as JSON Lines with --headless).",
        discussion: """
            Connects a SUB socket to each ENDPOINT (an slsDetector receiver's ZMQ stream, e.g. \
            tcp://detector-host:30001) and shows the frames as a heatmap with counters and worker \
            load. A SUB socket only listens: the acquisition loses nothing. A DECTRIS (PUSH) sender \
            is not attached to unless --socket pull is given (a puller takes frames from its file \
            writer): the viewer says the sender pushes and how to watch it safely. An ENDPOINT \
            http://DETECTOR/monitor/api/1.8.0/images/monitor (or --monitor DETECTOR) polls a DECTRIS \
            detector's monitor interface instead, which never touches its stream. `detview view --demo` \
            runs the built-in simulated MOENCH detector instead.

            --forward ENDPOINT puts detview between a PUSH detector and its file writer: detview PULLs \
            from the detector (it replaces the file writer there, so it takes no one's share), and \
            re-sends every message unchanged, before decoding it, on a PUSH socket it binds at \
            ENDPOINT; point the file writer there. The forward waits for a slow file writer and never \
            drops (the detector is held back as by the file writer itself); only the viewer's own \
            processing drops frames when it must.

            Keys: \(KeyMap.briefList).
            """)

    @Argument(help: "ZeroMQ endpoints to read, e.g. tcp://127.0.0.1:30001, or one DECTRIS monitor URL, http://DETECTOR/monitor/api/1.8.0/images/monitor.")
    var endpoints: [String] = []

    @Option(help: "Watch a DECTRIS detector through its monitor interface: HOST[:PORT] of its control unit (polls http://HOST/monitor/api/VERSION/images/monitor).")
    var monitor: String?

    @Option(help: "With --monitor: the SIMPLON API version in the URL (1.8.0; older detectors 1.6.0).")
    var monitorApi: String = MonitorEndpoint.defaultAPIVersion

    @Option(parsing: .unconditional, help: "Monitor interface: seconds between image requests.")
    var monitorInterval: Double = 0.1

    @Option(parsing: .unconditional, help: "Monitor interface: seconds a request may take before it counts as unanswered.")
    var monitorTimeout: Double = 2

    @Flag(help: "Run the built-in simulated MOENCH detector (no second terminal needed).")
    var demo = false

    @Option(parsing: .unconditional, help: "Frames per second of the --demo simulator.")
    var demoRate: Double = 200

    @Option(parsing: .unconditional, help: "Seed of the --demo simulator's scene: the same seed gives the same frames.")
    var demoSeed: UInt64 = 1

    @Option(help: "Detector of the --demo simulator: moench (a beam through a Siemens star, hot and dead pixels), jungfrau, or eiger (1M: powder rings, Bragg spots, module gaps; try --demo-rate 20).")
    var demoDetector: DemoDetector = .moench

    @Option(parsing: .unconditional, help: "Worker processes (default: cores - 1, at least 1).")
    var workers: Int = ViewerConfig.defaultWorkerCount

    @Flag(help: "Bind the socket instead of connecting (for senders that connect).")
    var bind = false

    @Option(help: "Wire format: auto (detected from the first message), sls, simplon, stream2 or array.")
    var format: FormatChoice = .auto

    @Option(help: "Socket: auto (SUB for every format: never takes frames from a PUSH sender's file writer; PULL with --forward), sub or pull (takes a round-robin share of a PUSH sender's frames).")
    var socket: SocketChoice = .auto

    @Option(help: ArgumentHelp("Sit between a PUSH detector and its file writer: PULL from the detector (replacing the file writer there) and re-send every message unchanged, zero-copy, on a PUSH socket bound at ENDPOINT (tcp:// or ipc://), where the file writer connects. Never drops: a slow file writer holds the detector back, as it would directly.", valueName: "ENDPOINT"))
    var forward: String?

    @Flag(help: "array-1.0: swap the axis order the header implies.")
    var transpose = false

    @Option(help: "DECTRIS stream v2: the channel to show (e.g. threshold_1; default: the first).")
    var channel: String?

    @Option(parsing: .unconditional, help: "Largest frame accepted, in bytes (default 80 MiB: an EIGER2 16M uint32 frame is 72 MB); larger ones are counted as bad. Also the largest ring slot.")
    var maxFrameBytes: Int = 80 << 20

    @Option(parsing: .unconditional, help: ArgumentHelp("Memory of the shared-memory frame ring: 512M, 2G or plain bytes (default: an eighth of the available memory, at most 4G, at least 4 × --max-frame-bytes). Its slots are sized to each series' frames: many for small frames, few for large ones. Pages are used only as frames fill them.", valueName: "size"))
    var ringBytes: ByteSizeArgument?

    @Option(parsing: .unconditional, help: "Most slots in the frame ring, however small the frames (an upper bound; --ring-bytes sizes the ring).")
    var slots: Int = RingSizing.defaultMaxSlots

    @Option(parsing: .unconditional, help: "Drop a frame that waited longer than this many seconds in the ring before a worker took it (counted as dropped, \"stale\"), so the screen never shows frames far behind (0: never).")
    var maxLag: Double = 1

    @Option(parsing: .unconditional, help: "End a series after this many seconds without a message (end headers can be lost), or without a new image from a monitor interface.")
    var seriesTimeout: Double = 5

    @Option(help: "Name a worker that has frames to do and finishes none for this many seconds (stalled).")
    var stallWarning: Double = 3

    @Option(help: "Replace (kill and restart) a worker stalled this many seconds (0: never).")
    var stallKill: Double = 15

    @Option(help: "Colours: auto, truecolor, 256, 16 or mono (overrides NO_COLOR and detection). COLORTERM is not forwarded over SSH.")
    var colors: ColorChoice = .auto

    @Option(help: ArgumentHelp(
        "Heatmap pictures: auto, sixel, kitty or off (half blocks).",
        discussion: "auto draws the heatmap at the terminal's pixel resolution where the terminal says it can (sixel: xterm -ti vt340, WezTerm, foot, mlterm, Konsole; the kitty graphics protocol: kitty, WezTerm, Ghostty), and inside tmux only with `set -g allow-passthrough on` (tmux 3.3 or later; pictures then go through tmux's passthrough), else half blocks, and a forced sixel or kitty says why. Panels stay text."))
    var graphics: GraphicsOption = .auto

    @Option(help: ArgumentHelp(
        "Theme: a name or a .toml file (default: default). T cycles the themes found.",
        discussion: "A name is looked up as NAME.toml in $DETVIEW_THEMES (colon-separated directories), the source tree's themes/ and PREFIX/share/detview/themes beside the binary.",
        valueName: "name|file"))
    var theme: String?

    @Option(help: ArgumentHelp(
        "Mouse: on (the wheel zooms around the pointed pixel, a click puts the inspector's cursor there) or off.",
        discussion: "While it is on, most terminals select text with Shift+drag; off leaves the mouse to the terminal's own selection.",
        valueName: "on|off"))
    var mouse: MouseChoice = .on

    @Flag(help: "Ordered dithering of the heatmap in 256 and 16 colours, so smooth gradients do not band (D toggles it).")
    var dither = false
    @Option(name: .customLong("max-rate"), help: "Bytes per second the screen may write to the terminal: 500k, 2M (k = 1000); 0: unlimited. The heatmap repaints as often as this allows.")
    var maxRate: ByteRateArgument = ByteRateArgument(bytesPerSecond: 1_000_000)

    @Option(help: "Write the log to this file (never to the terminal).")
    var log: String?

    @OptionGroup(title: "Processing")
    var processing: ProcessingArguments

    @Option(help: "On exit, write the shown mode's accumulated image to this file (.npy, or .tiff as 32-bit float).")
    var save: String?

    @Option(help: ArgumentHelp("Where S writes snapshots: the shown view at full resolution (.npy, .tiff) and its picture (.png). Default: $HOME/detview-snapshots, made when needed.",
                               valueName: "dir"))
    var snapshotDir: String?

    @Option(parsing: .unconditional, help: "Shown images kept for pause (space) and ←/→ (display-sized: 64 at 200×60 take about 5 MB; no effect with --headless).")
    var history: Int = ShownImageHistory.defaultCapacity

    @Flag(help: "No screen: write JSON Lines to stdout (series_start, frame, stats, series_end).")
    var headless = false

    @Flag(help: "With --headless: a line for every processed frame.")
    var perFrame = false

    @Option(parsing: .unconditional, help: "With --headless: seconds between stats lines (0: only at exit).")
    var statsInterval: Double = 1

    @Option(parsing: .unconditional, help: "With --headless: exit with status 0 after this many processed frames.")
    var exitAfterFrames: UInt64?

    @Flag(help: "With --headless: exit with status 0 when the series ends and all its frames are done.")
    var exitOnSeriesEnd = false

    @Option(parsing: .unconditional,
            help: "With --headless: every frame line carries pixel X,Y's readout (raw, value, mask reason, gain, 3×3).",
            transform: { text in
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                guard parts.count == 2, let x = Int(parts[0].filter { $0 != " " }),
                      let y = Int(parts[1].filter { $0 != " " }), x >= 0, y >= 0,
                      x <= Int(Int32.max), y <= Int(Int32.max) else {
                    throw ValidationError("--inspect takes X,Y: two pixel coordinates from 0, e.g. 213,187 (got \(text))")
                }
                return [x, y]
            })
    var inspect: [Int]?

    func validate() throws {
        if endpoints.isEmpty && !demo && monitor == nil {
            throw ValidationError("give an endpoint (e.g. tcp://127.0.0.1:30001), --monitor DETECTOR or --demo")
        }
        if !endpoints.isEmpty && demo { throw ValidationError("--demo runs its own simulator: give no endpoint") }
        _ = try monitorSettings()
        guard workers >= 1 && workers <= 64 else { throw ValidationError("--workers must be 1…64") }
        guard slots >= 2 && slots <= 4096 else { throw ValidationError("--slots must be 2…4096") }
        guard maxFrameBytes >= 1024 && maxFrameBytes <= 1 << 30 else {
            throw ValidationError("--max-frame-bytes must be 1 KiB…1 GiB")
        }
        if let ringBytes {
            let least = RingSizing.minimumRingBytes(maxFrameBytes: maxFrameBytes)
            guard ringBytes.bytes >= least else {
                throw ValidationError("--ring-bytes \(ringBytes.bytes) holds fewer than two --max-frame-bytes frames: give at least \((least + (1 << 20) - 1) >> 20)M")
            }
            guard ringBytes.bytes <= RegionLayout.maxRingBytes else {
                throw ValidationError("--ring-bytes must be at most \(RegionLayout.maxRingBytes)")
            }
        }
        guard maxLag >= 0, maxLag.isFinite else { throw ValidationError("--max-lag must be 0 (never) or more seconds") }
        guard history >= 1 && history <= 4096 else { throw ValidationError("--history must be 1…4096") }
        guard demoRate > 0 else { throw ValidationError("--demo-rate must be positive") }
        guard seriesTimeout > 0, seriesTimeout.isFinite else {
            throw ValidationError("--series-timeout must be above 0 seconds")
        }
        guard statsInterval >= 0, statsInterval.isFinite else {
            throw ValidationError("--stats-interval must be 0 (stats only at exit) or more seconds")
        }
        guard stallWarning > 0 else { throw ValidationError("--stall-warning must be positive") }
        guard stallKill == 0 || stallKill >= stallWarning else {
            throw ValidationError("--stall-kill must be 0 (never) or at least --stall-warning")
        }
        if let save, ![".npy", ".tiff", ".tif"].contains(where: { save.lowercased().hasSuffix($0) }) {
            throw ValidationError("--save writes .npy or .tiff files: \(save)")
        }
        if let forward {
            if demo { throw ValidationError("--forward needs a detector endpoint, not --demo") }
            if socket == .sub { throw ValidationError("--forward PULLs from a PUSH detector: it cannot use --socket sub") }
            guard forward.hasPrefix("tcp://") || forward.hasPrefix("ipc://") else {
                throw ValidationError("--forward binds a tcp:// or ipc:// endpoint: \(forward)")
            }
        }
        if !headless && (perFrame || exitAfterFrames != nil || exitOnSeriesEnd || inspect != nil) {
            throw ValidationError("--per-frame, --exit-after-frames, --exit-on-series-end and --inspect need --headless")
        }
    }

    func run() async throws {
        let code = await runViewer()
        if code != 0 { throw ExitCode(code) }
    }

    /// The monitor source an http:// endpoint or `--monitor` asks for (nil: a ZeroMQ stream), or
    /// why the combination cannot work.
    private func monitorSettings() throws -> MonitorSource.Settings? {
        let urls = endpoints.filter(MonitorEndpoint.isHTTP)
        guard monitor != nil || !urls.isEmpty else { return nil }
        guard endpoints.count == urls.count, urls.count + (monitor == nil ? 0 : 1) == 1 else {
            throw ValidationError("the monitor interface is one source on its own: give one http:// URL or --monitor, and no other endpoint")
        }
        if demo { throw ValidationError("--demo runs its own simulator: give no monitor") }
        if bind || socket != .auto || format != .auto || forward != nil {
            throw ValidationError("--bind, --socket, --format and --forward are for ZeroMQ streams, not the monitor interface")
        }
        guard monitorInterval >= 0.01, monitorInterval.isFinite else { throw ValidationError("--monitor-interval must be at least 0.01 seconds") }
        guard monitorTimeout > 0, monitorTimeout.isFinite else { throw ValidationError("--monitor-timeout must be above 0 seconds") }
        let endpoint: MonitorEndpoint
        do throws(MonitorEndpointError) {
            if let monitor {
                endpoint = try MonitorEndpoint(monitor: monitor, apiVersion: monitorApi)
            } else {
                endpoint = try MonitorEndpoint(url: urls[0])
            }
        } catch {
            throw ValidationError(error.description)
        }
        var settings = MonitorSource.Settings(endpoint: endpoint)
        settings.intervalSeconds = monitorInterval
        settings.timeoutSeconds = monitorTimeout
        settings.seriesTimeoutSeconds = seriesTimeout
        return settings
    }

    @MainActor
    private func runViewer() async -> Int32 {
        var receiver = Receiver.Options(endpoints: endpoints, maxFrameBytes: maxFrameBytes)
        if let settings = try? monitorSettings() {   // checked by `validate` already
            receiver.monitor = settings
            receiver.endpoints = [settings.endpoint.url]
        }
        receiver.bind = bind
        receiver.format = format.wireFormat
        receiver.transpose = transpose
        receiver.channel = channel
        receiver.socketType = forward != nil ? .pull : socket.resolved
        receiver.forwardEndpoint = forward
        receiver.seriesIdleTimeoutMilliseconds = Int(seriesTimeout * 1000)
        var config = ViewerConfig(receiver: receiver, workers: workers)
        config.slots = slots
        config.ringBytes = ringBytes?.bytes
        config.maxLagSeconds = maxLag
        config.stallLimits = WorkerWatch.Limits(warnAfterSeconds: stallWarning,
                                                replaceAfterSeconds: stallKill > 0 ? stallKill : nil)
        config.logPath = log
        config.maxBytesPerSecond = maxRate.bytesPerSecond
        config.demoRate = demo ? demoRate : nil
        config.demoSeed = demoSeed
        config.demoDetector = demoDetector
        config.processing = processing.options
        config.mode = processing.mode
        config.savePath = save
        config.snapshotDirectory = snapshotDir
        config.dither = dither
        config.mouse = mouse == .on
        config.historyImages = history
        if receiver.socketType == .pull && !demo && forward == nil {
            config.startupWarnings.append(
                "PULL takes frames round-robin: beside the file writer it steals frames. "
                + "Watch a forwarder's SUB tap (or a second stream of the detector) instead.")
        }
        // Themes are read before anything starts: a bad file ends the viewer with its name and line.
        do {
            let themesVariable = getenv("DETVIEW_THEMES").map { String(cString: $0) }
            let selection = try ThemeLocator.standard(themesVariable: themesVariable).select(theme)
            config.themes = selection.cycle
            config.startupWarnings += selection.warnings
        } catch {
            writeAll(2, "detview: \(error)\n")
            return 2
        }
        if headless {
            var h = ViewerConfig.Headless()
            h.perFrame = perFrame
            h.statsIntervalSeconds = statsInterval
            h.exitAfterFrames = exitAfterFrames
            h.exitOnSeriesEnd = exitOnSeriesEnd
            h.inspect = inspect.map { ($0[0], $0[1]) }
            config.headless = h
        }
        do {
            // Signal handlers first: ncurses must find them taken and leave them alone.
            let signals = try SignalPipe(includeResize: !headless)
            var frontEnd: CursesFrontEnd?
            if !headless {
                guard isatty(1) != 0 else {
                    writeAll(2, "detview: stdout is not a terminal; use --headless for JSON output\n")
                    return 2
                }
                frontEnd = try CursesFrontEnd(colors: colors, graphics: graphics, mouse: mouse == .on)
                if let notice = frontEnd?.graphicsNotice { config.startupWarnings.append(notice) }
            }
            let session = try ViewerSession(config: config, frontEnd: frontEnd, signals: signals)
            let code = await session.run()
            // Said again on the terminal given back: a start-up warning on screen is soon replaced.
            if let notice = frontEnd?.graphicsNotice { writeAll(2, "detview: \(notice)\n") }
            return code
        } catch {
            writeAll(2, "detview: \(error)\n")
            return 1
        }
    }
}

/// `--format`.
enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, sls, simplon, stream2, array

    var wireFormat: WireFormat? { self == .auto ? nil : WireFormat(name: rawValue) }
}

/// `--socket`.
enum SocketChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, sub, pull

    /// The socket the viewer connects with. `auto` is SUB whatever the format: DECTRIS detectors
    /// and Jungfraujoch push, and a PULL beside their file writer takes a round-robin share of its
    /// frames (and the start and end messages go to one puller only). A SUB on a PUSH peer receives
    /// nothing, and the socket monitor names why (`ConnectionDiagnosis`): only `--socket pull`,
    /// said explicitly, attaches to the PUSH stream.
    var resolved: ZMQSocketType {
        switch self {
        case .auto, .sub: return .sub
        case .pull: return .pull
        }
    }
}

/// `--colors`: what the terminal is told to use.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, truecolor
    case color256 = "256"
    case color16 = "16"
    case mono
}

extension GraphicsOption: ExpressibleByArgument {}

/// `--mouse`.
enum MouseChoice: String, ExpressibleByArgument, CaseIterable {
    case on, off
}
