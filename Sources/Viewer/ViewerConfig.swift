import Ingest
import Processing
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
        public init() {}
    }

    public var receiver: Receiver.Options
    public var workers: Int
    /// Frame slots in the ring; each holds up to `receiver.maxFrameBytes`. Pages are touched
    /// only as frames use them, so small frames cost little of the bound.
    public var slots = 32
    /// The executable started as `detview worker` (the viewer itself unless a test says otherwise).
    public var workerExecutable = "/proc/self/exe"
    public var headless: Headless?
    /// Processing settings fixed for the session (given to every worker) and the starting mode.
    public var processing = ProcessingOptions()
    public var mode = ProcessingMode.raw
    /// Write the shown mode's accumulated image here on exit (.npy or .tiff).
    public var savePath: String?
    /// Run the built-in simulator in a child process (`view --demo`) at this rate.
    public var demoRate: Double?
    public var logPath: String?
    /// Said once at start (status line, log, and a warning line in headless mode).
    public var startupWarnings: [String] = []
    /// The themes `T` cycles through and the one shown at start (`--theme`; found by `ThemeLocator`).
    public var themes = ThemeCycle.compiledDefault
    /// The screen is redrawn at most this often.
    public var maxRenderRate = 30.0
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

#if canImport(Glibc)
import Glibc
#endif
