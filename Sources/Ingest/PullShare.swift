/// `--socket pull` beside another puller: a PUSH sender deals its messages round-robin, so the
/// viewer gets a share of the frames. The share is estimated from the frame numbers of the open
/// series: frames received over the span of frame numbers seen (lowest to highest). Frames the
/// sender lost before sending count against the share too; nothing here can tell them apart.
///
/// A pure value, fed by the receive thread (frames as the decoder names them, series starts).
public struct PullShare: Sendable, Equatable {
    /// The estimate at one instant.
    public struct Estimate: Sendable, Equatable {
        public var series: UInt64
        /// Frames this viewer received in the series.
        public var frames: UInt64
        /// Highest frame number seen - lowest + 1.
        public var span: UInt64

        public init(series: UInt64, frames: UInt64, span: UInt64) {
            self.series = series
            self.frames = frames
            self.span = span
        }

        /// 0…1.
        public var fraction: Double { span == 0 ? 0 : min(1, Double(frames) / Double(span)) }

        /// The share as a person reads it, rounded to whole percent: "~50%".
        public var percentText: String { "~\(Int((fraction * 100).rounded()))%" }
    }

    private var series: UInt64?
    private var frames: UInt64 = 0
    private var lowest: UInt64 = 0
    private var highest: UInt64 = 0

    public init() {}

    /// A new series: the frame numbers start again.
    public mutating func seriesStarted(_ series: UInt64) {
        self.series = series
        frames = 0
    }

    /// One frame the viewer received. A frame of another series than the open one (its start
    /// went to the other puller) begins that series here.
    public mutating func received(series: UInt64, frameNumber: UInt64) {
        if self.series != series { seriesStarted(series) }
        if frames == 0 {
            lowest = frameNumber
            highest = frameNumber
        } else {
            lowest = min(lowest, frameNumber)
            highest = max(highest, frameNumber)
        }
        frames += 1
    }

    /// The estimate, once two frames give a span to compare with (one frame says nothing).
    public var estimate: Estimate? {
        guard let series, frames >= 2 else { return nil }
        return Estimate(series: series, frames: frames, span: highest - lowest + 1)
    }
}
