import DetectorStream

/// The stream decoder of whichever wire format the stream speaks: fixed by `--format`, or
/// chosen by FormatDetector from the first message it recognises, and chosen again when
/// `FormatRedetection` says so (a series ended, or the decoder keeps rejecting frames) and the
/// detector then recognises another format. Owned by the receiver thread.
struct FormatDecoder {
    struct Settings: Sendable {
        var format: WireFormat?
        var maxFrameBytes: Int
        var transpose = false
        var channel: String?
    }

    /// A format FormatDetector chose, and why; the receiver announces it as
    /// "stream format: \(detection)".
    struct Detection: Equatable, CustomStringConvertible {
        let format: WireFormat
        /// The format decoded before (nil: this is the stream's first detection).
        let previous: WireFormat?
        /// Why the format was detected again (nil: the first detection).
        let reason: FormatRedetection.Reason?

        var description: String {
            switch (previous, reason) {
            case (let previous?, .seriesEnded(let series)?):
                "\(format.name) (detected again after \(previous.name) series \(series) ended)"
            case (let previous?, .rejected(let count)?):
                "\(format.name) (detected again after \(count) frames the \(previous.name) decoder rejected)"
            default:
                "\(format.name) (detected)"
            }
        }
    }

    let settings: Settings
    private(set) var decoder: (any StreamDecoder)?
    private var redetection: FormatRedetection
    /// The highest series number passed on, so that a decoder made for another format numbers
    /// its series after the old ones (workers and masks tell series apart by number).
    private var lastSeries: UInt64 = 0
    /// Added to the series numbers of a decoder that numbers its own series from 1.
    private var seriesOffset: UInt64 = 0

    init(_ settings: Settings) {
        self.settings = settings
        redetection = FormatRedetection(isForced: settings.format != nil)
        if let format = settings.format { decoder = Self.make(format, settings) }
    }

    var format: WireFormat? { decoder?.format }

    /// Before the format is known, and when `FormatRedetection` asks for it: detects the format
    /// of this message, and when it is another, ends what the old decoder had open (its events
    /// go to `emit`) and makes the new one. Returns the format when it was just chosen (to
    /// announce it before its events); nil when the decoder stays.
    mutating func detect(_ parts: [UnsafeRawBufferPointer], emit: (StreamEvent, WireFormat?) -> Void) -> Detection? {
        guard let current = decoder?.format else {
            guard let format = FormatDetector.detect(parts) else { return nil }
            decoder = Self.make(format, settings)
            return Detection(format: format, previous: nil, reason: nil)
        }
        guard let reason = redetection.due else { return nil }
        redetection.detectionTried()
        guard let format = FormatDetector.detect(parts), format != current else { return nil }
        // The old series ends before the new format's starts (headless output pairs them).
        idle(emit: emit)
        decoder = Self.make(format, settings)
        redetection = FormatRedetection(isForced: false)
        seriesOffset = format.numbersItsOwnSeries ? lastSeries : 0
        return Detection(format: format, previous: current, reason: reason)
    }

    /// Decodes one message; each event comes with the format it was decoded as. A message
    /// of no known format before the format is known is a bad frame.
    mutating func consume(_ parts: [UnsafeRawBufferPointer], emit: (StreamEvent, WireFormat?) -> Void) {
        guard decoder != nil else {
            emit(.bad(StreamError(.unsupported,
                "unknown wire format: not slsDetector, SIMPLON, stream v2 or array-1.0 (--format forces one)")), nil)
            return
        }
        let format = decoder!.format
        // The decoder's callback must not reach into `self` while the decoder (part of self)
        // is being mutated: the bookkeeping is copied out and back.
        var books = Books(redetection: redetection, lastSeries: lastSeries, seriesOffset: seriesOffset)
        var lookalike: WireFormat?? = nil
        decoder!.consume(parts) { event in
            var event = event
            if case .bad(let error) = event {
                // Worked out once per message, and only for rejected ones: no cost on good frames.
                if lookalike == nil { lookalike = .some(FormatDetector.detect(parts)) }
                event = .bad(Self.hinted(error, lookalike: lookalike!, decoding: format, forced: books.redetection.isForced))
            }
            books.pass(event, emit: { emit($0, format) })
        }
        redetection = books.redetection
        lastSeries = books.lastSeries
    }

    /// Moves a multi-channel stream (stream v2) `steps` channels on, in the order of its last
    /// image's channels; nil when the stream has no channels to choose from.
    mutating func nextChannel(steps: Int) -> (name: String, all: [String])? {
        guard var stream2 = decoder as? Stream2Decoder else { return nil }
        let names = stream2.channelNames
        guard !names.isEmpty else { return nil }
        let current = stream2.channel.flatMap { names.firstIndex(of: $0) } ?? 0
        let name = names[(current + steps) % names.count]
        stream2.channel = name
        decoder = stream2
        return (name, names)
    }

    mutating func idle(emit: (StreamEvent, WireFormat?) -> Void) {
        guard decoder != nil else { return }
        let format = decoder!.format
        var books = Books(redetection: redetection, lastSeries: lastSeries, seriesOffset: seriesOffset)
        decoder!.idle { books.pass($0, emit: { emit($0, format) }) }
        redetection = books.redetection
        lastSeries = books.lastSeries
    }

    /// A rejection's reason, plus what the message looks like when that is another format: the
    /// decoder's own words ("sls: frame header has no "bitmode"") mislead when the sender changed.
    private static func hinted(_ error: StreamError, lookalike: WireFormat?, decoding format: WireFormat,
                               forced: Bool) -> StreamError {
        guard let lookalike, lookalike != format else { return error }
        let hint = forced
            ? "looks like \(lookalike.name), but --format \(format.name) is forced"
            : "looks like \(lookalike.name): detected again after \(FormatRedetection.rejectionLimit) in a row"
        return StreamError(error.kind, "\(error.message) (\(hint))")
    }

    private static func make(_ format: WireFormat, _ s: Settings) -> any StreamDecoder {
        switch format {
        case .sls: SlsStreamDecoder(maxFrameBytes: s.maxFrameBytes)
        case .simplon: SimplonStreamDecoder(maxFrameBytes: s.maxFrameBytes)
        case .stream2: Stream2Decoder(maxFrameBytes: s.maxFrameBytes, channel: s.channel)
        case .array: ArrayStreamDecoder(maxFrameBytes: s.maxFrameBytes, transpose: s.transpose)
        // Never named: `--format` offers the stream formats only and no message is detected as a
        // monitor image; a ZeroMQ message is not an HTTP answer.
        case .monitor: preconditionFailure("monitor images are polled over HTTP, never decoded from ZeroMQ")
        }
    }
}

extension FormatDecoder {
    /// What the decoder keeps about the events it passes on: the redetection decision and the
    /// series numbering. A value, so that a decoder's callback can update it while the decoder runs.
    private struct Books {
        var redetection: FormatRedetection
        var lastSeries: UInt64
        let seriesOffset: UInt64

        mutating func pass(_ event: StreamEvent, emit: (StreamEvent) -> Void) {
            let event = seriesOffset == 0 ? event : Self.renumbered(event, after: seriesOffset)
            redetection.observe(event)
            if case .seriesStart(let info) = event { lastSeries = max(lastSeries, info.series) }
            emit(event)
        }

        private static func renumbered(_ event: StreamEvent, after offset: UInt64) -> StreamEvent {
            switch event {
            case .seriesStart(var info):
                info.series &+= offset
                return .seriesStart(info)
            case .frame(var descriptor, let payload):
                descriptor.series &+= offset
                return .frame(descriptor, payload: payload)
            case .seriesEnd(let series, let frames):
                return .seriesEnd(series: series &+ offset, frames: frames)
            case .gap(let series, let missing):
                return .gap(series: series &+ offset, missing: missing)
            case .pixelMask(let series, let mask):
                return .pixelMask(series: series &+ offset, mask)
            case .bad:
                return event
            }
        }
    }
}

extension WireFormat {
    /// The format's decoder counts series from 1 itself (the wire carries no series id), so a
    /// decoder made after another format's must be told to count on.
    fileprivate var numbersItsOwnSeries: Bool {
        switch self {
        case .sls, .array, .monitor: true
        case .simplon, .stream2: false
        }
    }
}
