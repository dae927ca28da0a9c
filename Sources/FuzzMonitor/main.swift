// libFuzzer target for MonitorImageDecoder and its TIFF reader (`make fuzz FUZZ_TARGETS=fuzz-monitor`).
// Input: the FuzzMessages layout (flags byte, then length-prefixed multi-part messages; see
// Sources/FuzzSupport/FuzzMessages.swift); each message stands for one HTTP body the monitor
// interface answered. Fresh decoder per input; idle at the end.
import DetectorStream
import FuzzSupport

/// 1 MiB: small enough that "exceeds the frame limit" is reachable without big allocations.
let maxFrameBytes = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzMessages(data, size)
    var decoder = MonitorImageDecoder(maxFrameBytes: maxFrameBytes, source: "fuzz")
    DecoderHarness.run(&decoder, input, maxFrameBytes: maxFrameBytes)
    return 0
}

FuzzDriver.run(fuzzOne)
