import Ingest

extension ViewerEvent {
    /// The viewer's form of what the receive thread reported.
    public init(_ event: IngestEvent) {
        switch event {
        case .seriesStarted(let info): self = .seriesStarted(info)
        case .seriesEnded(let series, let frames): self = .seriesEnded(series: series, frames: frames)
        case .badFrame(let reason, let count): self = .badFrame(reason: reason, count: count)
        case .frameGap(let missing): self = .frameGap(missing: missing)
        case .message(let text, let severity): self = .message(text, Severity(severity))
        }
    }
}

extension Severity {
    public init(_ severity: IngestEvent.Severity) {
        switch severity {
        case .info: self = .info
        case .warning: self = .warning
        case .error: self = .error
        }
    }
}
