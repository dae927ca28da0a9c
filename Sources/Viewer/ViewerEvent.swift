import DetectorStream
import Ingest
import Processing
import SharedMemory
import TerminalUI

/// Everything that can change what the viewer shows. The event loop turns file-descriptor
/// wake-ups into these; `ViewerState.reduce` folds them into the state.
public enum ViewerEvent: Sendable {
    case key(Key)
    case resized(width: Int, height: Int)
    case seriesStarted(SeriesInfo)
    case seriesEnded(series: UInt64, frames: UInt64)
    /// Frames the receiver rejected: how many, and the last one's reason.
    case badFrame(reason: String, count: UInt64 = 1)
    case frameGap(missing: UInt64)
    case image(DisplayImage)
    case sample(CounterSample)
    case workerExited(index: Int, cause: String, restarted: Bool)
    case message(String, Severity)
    /// The active mode's view, composed from the workers' shares.
    case composed(ComposedView)
    /// Per-frame numbers of the active mode from one drain of the result queue.
    case readout(FrameReadout)
}

/// A display-sized image from the result board, with the statistics of the frame it shows.
public struct DisplayImage: Sendable, Equatable {
    public var series: UInt64
    public var frameNumber: UInt64
    public var frameWidth: Int
    public var frameHeight: Int
    public var width: Int
    public var height: Int
    public var pixels: [Float]
    public var stats: FrameStats
    /// The frame's photons or peaks, as pixels of this image (`ResultBoard.mark` values).
    public var marks: [UInt32]
    /// The viewport the image was binned for: the control block's generation then, and the
    /// region of the frame it shows (the whole frame when fitted).
    public var viewGeneration: UInt32 = 0
    public var region: PixelRegion?
    /// With `--graphics` pictures: the image as the workers binned it, at the picture's pixels;
    /// `pixels` is then that reduced to the text heatmap's size (`DisplayImage+Picture`).
    public var picture: HeatmapPicture.Source?

    public init(series: UInt64, frameNumber: UInt64, frameWidth: Int, frameHeight: Int,
                width: Int, height: Int, pixels: [Float], stats: FrameStats, marks: [UInt32] = []) {
        self.series = series
        self.frameNumber = frameNumber
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.width = width
        self.height = height
        self.pixels = pixels
        self.stats = stats
        self.marks = marks
    }
}

/// The frame accounting and worker load read at one instant (from shared memory).
public struct CounterSample: Sendable, Equatable {
    public var timeNanoseconds: UInt64
    public var received: UInt64 = 0
    public var processed: UInt64 = 0
    public var dropped: UInt64 = 0
    /// The part of `dropped` that waited in the ring beyond `--max-lag` (dropped as stale).
    public var stale: UInt64 = 0
    public var bad: UInt64 = 0
    /// The part of `bad` that workers rejected: each of those frames also has a result.
    public var badInWorkers: UInt64 = 0
    public var bytes: UInt64 = 0
    public var workers: [WorkerSample] = []
    /// The frame ring's slots by state: the queue depth (filled: waiting for a worker).
    public var ring = SlotOccupancy()
    /// Per-stage latency percentiles of the last stats interval; nil before one ends with frames.
    public var latency: LatencyReadout?
    /// `--forward`: what the forward to the file writer has done; nil without it.
    public var forward: MessageForwarder.Snapshot?
    /// A PULL socket's share of the sender's frames in the series; nil for SUB or before two frames.
    public var pullShare: PullShare.Estimate?

    public init(timeNanoseconds: UInt64) { self.timeNanoseconds = timeNanoseconds }

    /// Frames received but not yet processed, dropped or found bad.
    public var inFlight: UInt64 {
        let done = processed &+ dropped &+ bad
        return received > done ? received - done : 0
    }
}

/// One worker's cumulative figures at the sample time.
public struct WorkerSample: Sendable, Equatable {
    public var index: Int
    public var busyNanoseconds: UInt64
    public var frames: UInt64
    public var restarts: UInt64
    public var alive: Bool
    /// Has work and has made no progress for the stall limit (`--stall-warning`).
    public var stalled: Bool

    public init(index: Int, busyNanoseconds: UInt64, frames: UInt64, restarts: UInt64, alive: Bool, stalled: Bool = false) {
        self.index = index
        self.busyNanoseconds = busyNanoseconds
        self.frames = frames
        self.restarts = restarts
        self.alive = alive
        self.stalled = stalled
    }
}

/// How loud a status message is.
public enum Severity: Int, Sendable, Comparable {
    case info, warning, error
    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}
