// libFuzzer target for SlsStreamDecoder (`make fuzz FUZZ_TARGETS=fuzz-sls`).
// Input: the FuzzMessages layout (flags byte, then length-prefixed multi-part messages; see
// Sources/FuzzSupport/FuzzMessages.swift). Flag bits 6–7 pick the codec path for the payload
// decode. Each input gets a fresh decoder; events are checked by EventChecker; idle at the end.
import DetectorStream
import FuzzSupport

/// 1 MiB: small enough that "exceeds the frame limit" is reachable without big allocations.
let maxFrameBytes = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzMessages(data, size)
    var decoder = SlsStreamDecoder(maxFrameBytes: maxFrameBytes)
    DecoderHarness.run(&decoder, input, maxFrameBytes: maxFrameBytes)
    return 0
}

FuzzDriver.run(fuzzOne)
