import DetectorStream

/// What the receive thread tells whoever watches it (the viewer's event loop, a benchmark):
/// the rare events of a stream, not its frames. Frames are counted in `FrameAccounting`.
/// Posted by the receive thread through `ReceiverInbox`, drained by the owner of the inbox.
public enum IngestEvent: Sendable {
    /// How much a message matters to the person watching.
    public enum Severity: Sendable, Equatable {
        case info, warning, error
    }

    case seriesStarted(SeriesInfo)
    case seriesEnded(series: UInt64, frames: UInt64)
    /// Messages the receiver rejected (malformed, too large, unknown format): how many, and the
    /// reason of the last (a run of rejections is posted as one event).
    case badFrame(reason: String, count: UInt64 = 1)
    /// Frame numbers skipped within a series (lost before they reached us).
    case frameGap(missing: UInt64)
    case message(String, Severity)
}
