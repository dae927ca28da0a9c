// libFuzzer target for FormatDetector (`make fuzz FUZZ_TARGETS=fuzz-detect`).
// Input: the FuzzMessages layout (flags byte, then length-prefixed multi-part messages; see
// Sources/FuzzSupport/FuzzMessages.swift); every message is offered to the detector. A message the
// detector names must then go through that format's decoder without breaking its contract, the
// way the receiver uses the detector's answer.
import DetectorStream
import FuzzSupport

let maxFrameBytes = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzMessages(data, size)
    for message in input.messages {
        switch FormatDetector.detect(message.parts) {
        case .sls?:
            var decoder = SlsStreamDecoder(maxFrameBytes: maxFrameBytes)
            DecoderHarness.run(&decoder, FuzzMessages(single: message), maxFrameBytes: maxFrameBytes)
        case .simplon?:
            var decoder = SimplonStreamDecoder(maxFrameBytes: maxFrameBytes)
            DecoderHarness.run(&decoder, FuzzMessages(single: message), maxFrameBytes: maxFrameBytes)
        case .stream2?:
            var decoder = Stream2Decoder(maxFrameBytes: maxFrameBytes)
            DecoderHarness.run(&decoder, FuzzMessages(single: message), maxFrameBytes: maxFrameBytes)
        case .array?:
            var decoder = ArrayStreamDecoder(maxFrameBytes: maxFrameBytes)
            DecoderHarness.run(&decoder, FuzzMessages(single: message), maxFrameBytes: maxFrameBytes)
        case nil, .monitor?:   // the detector never names monitor (an HTTP source)
            break
        }
    }
    return 0
}

FuzzDriver.run(fuzzOne)
