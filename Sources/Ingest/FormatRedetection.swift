import DetectorStream

/// Decides when a stream whose format was detected goes through `FormatDetector` again.
///
/// A beamline endpoint outlives its sender: an slsDetector series may be followed on the same
/// port by an areaDetector (array-1.0) one. The format is therefore detected again on the
/// message after a series ended, and after `rejectionLimit` frames in a row that the decoder
/// rejected (the end message was lost, or the sender changed mid-series). Never when
/// `--format` forced the format: then the user's word stands.
///
/// A plain value fed the events of the current decoder; part of `FormatDecoder`, so owned by
/// the receiver thread.
struct FormatRedetection: Equatable {
    /// Why the next message goes through the detector.
    enum Reason: Equatable {
        /// This series (as reported) ended; another sender may follow.
        case seriesEnded(UInt64)
        /// The decoder rejected this many frames in a row.
        case rejected(Int)
    }

    /// Few enough that a changed sender costs only a handful of bad frames, more than the one
    /// stray message a healthy stream may carry.
    static let rejectionLimit = 5

    /// `--format` named the format: never detect again.
    let isForced: Bool
    /// Frames the decoder rejected since it last accepted one.
    private(set) var rejectedInARow = 0
    /// The series that ended, while no other has started.
    private var endedSeries: UInt64?

    init(isForced: Bool) {
        self.isForced = isForced
    }

    /// One event the current decoder emitted, in order.
    mutating func observe(_ event: StreamEvent) {
        switch event {
        case .bad:
            rejectedInARow += 1
        case .frame, .seriesStart:
            rejectedInARow = 0
            endedSeries = nil
        case .seriesEnd(let series, _):
            endedSeries = series
        case .gap, .pixelMask:
            break
        }
    }

    /// Why the next message should be detected again; nil: decode it as before.
    var due: Reason? {
        guard !isForced else { return nil }
        if rejectedInARow >= Self.rejectionLimit { return .rejected(rejectedInARow) }
        return endedSeries.map(Reason.seriesEnded)
    }

    /// The detector looked at a message (whatever it found): count afresh, so that a stream
    /// of the same format that keeps being rejected is looked at again only every
    /// `rejectionLimit` frames.
    mutating func detectionTried() {
        rejectedInARow = 0
        endedSeries = nil
    }
}
