import DetectorStream
#if canImport(Glibc)
import Glibc
#endif

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

    /// `FUZZ_TRACE=1` prints every event: for checking that seeds decode as meant
    /// (`FUZZ_TRACE=1 .build-fuzz/debug/fuzz-sls Fuzz/corpus/fuzz-sls/*`).
    static let trace = getenv("FUZZ_TRACE") != nil

    public static func run<D: StreamDecoder>(_ decoder: inout D, _ input: borrowing FuzzMessages, maxFrameBytes: Int) {
        var checker = EventChecker(maxFrameBytes: maxFrameBytes, codecPath: codecPath(flags: input.flags))
        func check(_ event: StreamEvent) {
            if trace { describe(event) }
            checker.check(event)
        }
        for message in input.messages {
            if message.idleBefore { decoder.idle(emit: check) }
            if trace { print("message: \(message.parts.map(\.count)) bytes") }
            decoder.consume(message.parts, emit: check)
        }
        decoder.idle(emit: check)
        checker.checkIdle()
    }

    private static func describe(_ event: StreamEvent) {
        switch event {
        case .frame(let d, _):
            print("  frame \(d.frameNumber) of series \(d.series): \(d.width)×\(d.height) \(d.pixelType.name) \(d.encoding), \(d.byteCount) bytes")
        default:
            print("  \(event)")
        }
    }
}
