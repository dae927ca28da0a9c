// libFuzzer target for the DECTRIS stream v2 path: CBORReader and Stream2Decoder
// (`make fuzz FUZZ_TARGETS=fuzz-stream2`).
// Input: the FuzzMessages layout (flags byte, then length-prefixed multi-part messages; see
// Sources/FuzzSupport/FuzzMessages.swift); a real message is one part. Flag bits 0–1 pick the
// channel (0 each message's first, 1 threshold_1, 2 threshold_2, 3 difference); bits 6–7 the codec
// path. Every part also goes through CBORReader on its own: a token walk with `next()`, and
// `readValue` against `skipValue`, which must agree on where the item ends.
import DetectorStream
import FuzzSupport

/// 2 MiB: the committed DECTRIS fixtures are 514×1030 uint16 (1,058,840 bytes), just above
/// 1 MiB; 2 MiB keeps them decodable and "exceeds the frame limit" still reachable.
let maxFrameBytes = 2 << 20
let channels: [String?] = [nil, "threshold_1", "threshold_2", "difference"]

func checkReader(_ part: UnsafeRawBufferPointer) {
    var walker = CBORReader(part)
    while !walker.isAtEnd {
        let before = walker.offset
        guard (try? walker.next()) != nil else { break }
        if walker.offset <= before || walker.offset > part.count {
            violation("CBORReader.next moved from byte \(before) to \(walker.offset) of \(part.count)")
        }
    }
    var building = CBORReader(part), skipping = CBORReader(part)
    let built = Result { () throws(StreamError) in try building.readValue() }
    let skipped = Result { () throws(StreamError) in try skipping.skipValue() }
    if case .success = built {
        guard case .success = skipped, skipping.offset == building.offset else {
            violation("readValue read \(building.offset) bytes, skipValue gave \(skipped) at \(skipping.offset)")
        }
    }
    _ = try? CBORReader.readMessage(part)
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = FuzzMessages(data, size)
    for message in input.messages {
        for part in message.parts { checkReader(part) }
    }
    var decoder = Stream2Decoder(maxFrameBytes: maxFrameBytes, channel: channels[Int(input.flags & 3)])
    DecoderHarness.run(&decoder, input, maxFrameBytes: maxFrameBytes)
    return 0
}

FuzzDriver.run(fuzzOne)
