import DetectorStream

/// The stream decoder of whichever wire format the stream speaks: fixed by `--format`, or
/// chosen from the first message that FormatDetector recognises. Owned by the receiver thread.
struct FormatDecoder {
    struct Settings: Sendable {
        var format: WireFormat?
        var maxFrameBytes: Int
        var transpose = false
        var channel: String?
    }

    let settings: Settings
    private(set) var decoder: (any StreamDecoder)?

    init(_ settings: Settings) {
        self.settings = settings
        if let format = settings.format { decoder = Self.make(format, settings) }
    }

    var format: WireFormat? { decoder?.format }

    /// Before the format is known: detects it from this message and makes its decoder.
    /// Returns the format when it was just detected (to announce it before its events).
    mutating func detect(_ parts: [UnsafeRawBufferPointer]) -> WireFormat? {
        guard decoder == nil, let format = FormatDetector.detect(parts) else { return nil }
        decoder = Self.make(format, settings)
        return format
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
        decoder!.consume(parts) { emit($0, format) }
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
        let format = decoder?.format
        decoder?.idle { emit($0, format) }
    }

    private static func make(_ format: WireFormat, _ s: Settings) -> any StreamDecoder {
        switch format {
        case .sls: SlsStreamDecoder(maxFrameBytes: s.maxFrameBytes)
        case .simplon: SimplonStreamDecoder(maxFrameBytes: s.maxFrameBytes)
        case .stream2: Stream2Decoder(maxFrameBytes: s.maxFrameBytes, channel: s.channel)
        case .array: ArrayStreamDecoder(maxFrameBytes: s.maxFrameBytes, transpose: s.transpose)
        }
    }
}
