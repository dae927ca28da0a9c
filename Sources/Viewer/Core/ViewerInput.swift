import SharedMemory
import TerminalUI

/// Everything that reaches the viewer's core from the world, as a value. The session turns
/// file-descriptor wake-ups into these; `ViewerCore.handle(_:at:)` decides what follows.
///
/// Inputs that a decision needs fresh counters for carry the sample taken when they were read.
public enum ViewerInput: Sendable {
    /// The pipeline is set up: say what is watched, the start-up warnings, draw the first screen.
    case started
    case key(Key)
    /// The terminal's size (at start, after SIGWINCH or a resize key).
    case resized(width: Int, height: Int)
    /// The receiver's events (series start and end, bad frames, gaps, messages).
    case ingest([ViewerEvent], CounterSample)
    /// One drain of the per-frame result queue: the results in order, and how many were lost.
    case results([FrameResult], lost: Int, CounterSample)
    /// Counters read at render time.
    case sample(CounterSample)
    /// The stats interval elapsed.
    case statsTick(CounterSample)
    /// The latest display image on the result board, and the active mode's composed view.
    case image(DisplayImage)
    case composed(ComposedView)
    /// The ring sequence the dark series asked for by `beginDarkSeries` starts at.
    case darkSeriesBegins(at: UInt64)
    /// A worker's pidfd became readable.
    case workerReadable(index: Int)
    /// What reaping that worker found.
    case workerExited(WorkerExit)
    /// A worker stalled (has work, makes no progress), resumed, or is being replaced: one
    /// line for each, and the counters that carry which workers are stalled now.
    case workerProgress(warnings: [String], CounterSample)
    /// The demo simulator ended.
    case simulatorExited(cause: String)
    /// A terminating signal (SIGINT, SIGTERM, SIGHUP); SIGWINCH comes as `resized`.
    case signal(Int32)
    /// Headless output could not be written (the reader went away).
    case stdoutFailed(reason: String)
    /// Every input of one wake-up is in: decide whether to draw now or later.
    case settled
    case renderTimerFired
    /// The screen was drawn; the paint wrote this many bytes to the terminal.
    case rendered(bytes: Int)
    /// The loop ended: the last accounting.
    case finishing(CounterSample)
    /// What `--save` did after the loop.
    case saveFinished(SaveOutcome)
    /// A snapshot (`S`) was written, or could not be: the line for the status line and the log.
    case snapshotFinished(SaveOutcome.Line)
}

/// What `--save` did at the end of a run: the image written (its description), warnings, a failure.
public struct SaveOutcome: Sendable, Equatable {
    public var saved: String?
    public var lines: [Line] = []
    public var failed = false

    public struct Line: Sendable, Equatable {
        public var severity: Severity
        public var text: String
        public init(_ severity: Severity, _ text: String) {
            self.severity = severity
            self.text = text
        }
    }

    public init(saved: String? = nil, lines: [Line] = [], failed: Bool = false) {
        self.saved = saved
        self.lines = lines
        self.failed = failed
    }
}

/// A worker that ended, as the supervisor reported it.
public struct WorkerExit: Sendable, Equatable {
    public var index: Int
    public var pid: Int32
    public var cause: String
    public var reclaimedSlots: Int
    public var restarted: Bool

    public init(index: Int, pid: Int32, cause: String, reclaimedSlots: Int, restarted: Bool) {
        self.index = index
        self.pid = pid
        self.cause = cause
        self.reclaimedSlots = reclaimedSlots
        self.restarted = restarted
    }
}

/// What the core asks the session to do, as a value.
public enum ViewerEffect: Sendable, Equatable {
    /// Write these settings to the control block (only sent when they changed).
    case writeControl(ControlSettings)
    /// Find where the next published frame's ring sequence is and answer with `darkSeriesBegins`.
    case beginDarkSeries
    /// One JSON line of headless output.
    case emit(String)
    case log(Severity, String)
    /// A line for the user on stderr (headless mode's warnings).
    case stderr(String)
    /// Read the counters and the boards, then draw the screen now, and answer with `rendered`.
    /// Without the heatmap, the paint keeps the heatmap's cells as they are on screen.
    case render(heatmap: Bool)
    /// Fire `renderTimerFired` after this many nanoseconds.
    case armRenderTimer(nanoseconds: UInt64)
    /// Reap the worker whose pidfd is readable and answer with `workerExited`.
    case reapWorker(index: Int)
    /// Leave the loop and exit with this status.
    case quit(Int32)
    /// Ask the workers for a snapshot of the shown view and write it; answer with `snapshotFinished`.
    case takeSnapshot
}
