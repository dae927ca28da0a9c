// libFuzzer target for ArrayStreamDecoder (`make fuzz FUZZ_TARGETS=fuzz-array`).
// Input: the FuzzMessages layout (flags byte, then length-prefixed multi-part messages; see
// Sources/FuzzSupport/FuzzMessages.swift). Flag bit 0 sets `transpose`; bits 6–7 pick the codec
// path for the payload decode. Fresh decoder per input; idle at the end.
import DetectorStream
import FuzzSupport

/// 1 MiB: small enough that "exceeds the frame limit" is reachable without big allocations.
let maxFrameBytes = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzMessages(data, size)
    var decoder = ArrayStreamDecoder(maxFrameBytes: maxFrameBytes, transpose: input.flags & 1 != 0)
    DecoderHarness.run(&decoder, input, maxFrameBytes: maxFrameBytes)
    return 0
}

FuzzDriver.run(fuzzOne)
