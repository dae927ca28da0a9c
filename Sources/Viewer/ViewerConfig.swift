import Ingest
import Processing
import SharedMemory
import Theming
import Workers

/// Everything `detview view` was asked to do, after the command line has been checked.
public struct ViewerConfig: Sendable {
    /// Headless mode: the same pipeline, JSON Lines on stdout instead of a screen.
    public struct Headless: Sendable {
        public var perFrame = false
        public var statsIntervalSeconds = 1.0
        public var exitAfterFrames: UInt64?
        public var exitOnSeriesEnd = false
        /// `--inspect X,Y`: every frame line carries this pixel's readout.
        public var inspect: (x: Int, y: Int)?
        public init() {}
    }

    public var receiver: Receiver.Options
    public var workers: Int
    /// The most slots the ring may have (`--slots`): its slot table.
    public var slots = RingSizing.defaultMaxSlots
    /// The ring's payload bytes (`--ring-bytes`; nil: `RingSizing.defaultRingBytes` of this
    /// machine). Slots are carved from it at each series' frame size; pages are touched only as
    /// frames fill them, so this is a bound, not a reservation.
    public var ringBytes: Int?
    /// A frame that waited longer than this in the ring is dropped as stale (`--max-lag`; 0: never).
    public var maxLagSeconds = 1.0
    /// The executable started as `detview worker` (the viewer itself unless a test says otherwise).
    public var workerExecutable = "/proc/self/exe"
    public var headless: Headless?
    /// Processing settings fixed for the session (given to every worker) and the starting mode.
    public var processing = ProcessingOptions()
    public var mode = ProcessingMode.raw
    /// Write the shown mode's accumulated image here on exit (.npy or .tiff).
    public var savePath: String?
    /// Where `S` writes snapshots (nil: `$HOME/detview-snapshots`).
    public var snapshotDirectory: String?
    /// Run the built-in simulator in a child process (`view --demo`) at this rate.
    public var demoRate: Double?
    /// The `--demo` simulator's seed (`--demo-seed`).
    public var demoSeed: UInt64 = 1
    /// The detector the `--demo` simulator plays (`--demo-detector`).
    public var demoDetector: DemoDetector = .moench
    public var logPath: String?
    /// Said once at start (status line, log, and a warning line in headless mode).
    public var startupWarnings: [String] = []
    /// The themes `T` cycles through and the one shown at start (`--theme`; found by `ThemeLocator`).
    public var themes = ThemeCycle.compiledDefault
    /// The screen is redrawn at most this often.
    public var maxRenderRate = 30.0
    /// Start with ordered dithering on (`--dither`; `D` toggles it).
    public var dither = false
    /// Clicks and the wheel act on the heatmap (`--mouse on`, the default); off, the terminal
    /// keeps them for its own selection.
    public var mouse = true
    /// What the screen may write to the terminal, bytes per second (`--max-rate`; 0: unlimited).
    public var maxBytesPerSecond = 1_000_000.0
    /// Shown (display-sized) images kept for pause and rewind: space, ←/→.
    public var historyImages = ShownImageHistory.defaultCapacity
    /// When a worker with work that makes no progress is named (`--stall-warning`) and replaced (`--stall-kill`).
    public var stallLimits = WorkerWatch.Limits()

    public init(receiver: Receiver.Options, workers: Int) {
        self.receiver = receiver
        self.workers = workers
    }

    /// Cores minus one (the receiver and UI need one), at least one.
    public static var defaultWorkerCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) - 1)
    }
}

extension ViewerConfig {
    /// Reads a byte rate as `--max-rate` takes it: a number with an optional `k` or `M` (powers
    /// of 1000, as the status line's MB/s), e.g. `500k`, `2M`, `0`. Nil for anything else
    /// (negative, not finite, another suffix).
    public static func byteRate(_ text: String) -> Double? {
        var digits = Substring(text.filter { $0 != " " })
        var unit = 1.0
        switch digits.last {
        case "k", "K": unit = 1e3
        case "M", "m": unit = 1e6
        default: break
        }
        if unit != 1 { digits = digits.dropLast() }
        guard let value = Double(digits), value.isFinite, value >= 0 else { return nil }
        return value * unit
    }
}

#if canImport(Glibc)
import Glibc
#endif
