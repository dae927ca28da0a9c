import DetectorStream

/// Feeds the messages of one fuzz input to a stream decoder, checks every event it emits, and
/// ends with `idle` (after which no series may be open). Runs inside one `LLVMFuzzerTestOneInput`.
public enum DecoderHarness {
    /// The codec path the flag bits 6–7 select: 0 best, 1 scalar, 2 AVX2, 3 best.
    public static func codecPath(flags: UInt8) -> CodecPath {
        switch flags >> 6 {
        case 1: .scalar
        case 2: .avx2
        default: .best
        }
    }

    public static func run<D: StreamDecoder>(_ decoder: inout D, _ input: borrowing FuzzMessages, maxFrameBytes: Int) {
        var checker = EventChecker(maxFrameBytes: maxFrameBytes, codecPath: codecPath(flags: input.flags))
        for message in input.messages {
            if message.idleBefore { decoder.idle { checker.check($0) } }
            decoder.consume(message.parts) { checker.check($0) }
        }
        decoder.idle { checker.check($0) }
        checker.checkIdle()
    }
}
