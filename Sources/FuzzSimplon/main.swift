// libFuzzer target for SimplonStreamDecoder (`make fuzz FUZZ_TARGETS=fuzz-simplon`).
// Input: the FuzzMessages layout (flags byte, then length-prefixed multi-part messages of up to
// 15 parts; see Sources/FuzzSupport/FuzzMessages.swift), so one input can carry a dheader with
// header_detail all (8–9 parts), single-part header/config/detail sequences and image messages.
// Flag bits 6–7 pick the codec path for the payload decode. Fresh decoder per input; idle at the end.
import DetectorStream
import FuzzSupport

/// 1 MiB: small enough that "exceeds the frame limit" is reachable without big allocations.
let maxFrameBytes = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzMessages(data, size)
    var decoder = SimplonStreamDecoder(maxFrameBytes: maxFrameBytes)
    DecoderHarness.run(&decoder, input, maxFrameBytes: maxFrameBytes)
    // The mask the decoder keeps must fit the shape it reports.
    if let mask = decoder.pixelMask {
        guard let shape = decoder.pixelMaskShape, shape.count == 2, shape[0] * shape[1] == mask.count else {
            violation("pixel mask of \(mask.count) values with shape \(decoder.pixelMaskShape ?? [])")
        }
    }
    return 0
}

FuzzDriver.run(fuzzOne)
