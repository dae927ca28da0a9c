// libFuzzer target for PayloadCodec (`make fuzz FUZZ_TARGETS=fuzz-codecs`).
// Input layout:
//   byte 0      bits 0–1: encoding (0 raw, 1 lz4, 2 bitshuffle-LZ4, 3 bitshuffle-LZ4)
//               bits 2–3: bitshuffle header of the round trip (present, zeroed, missing)
//               bits 4–7: round-trip block size in units of 8 elements (0: the default 8192 bytes;
//                         with a present header only, the others cannot say it)
//   byte 1      bits 0–1: element size 1, 2, 4 or 8
//   bytes 2–4   output element count, u24 little-endian, reduced modulo (1 MiB / element size + 1)
//   rest        the payload, copied into an allocation of exactly its size
// The payload is decoded into an output of exactly count × size bytes with the scalar and the
// AVX2 path: both must agree (same bytes, or both fail), and raw must copy the payload. Then the
// payload's whole elements make a round trip through the encoder of the chosen encoding.
import DetectorStream
import FuzzSupport

let maxOutputBytes = 1 << 20
let elementSizes = [1, 2, 4, 8]
let headers: [BitshuffleHeader] = [.present, .zeroed, .missing, .present]

func decoded(_ encoding: PayloadEncoding, _ size: Int, _ count: Int, _ input: UnsafeRawBufferPointer,
             _ path: CodecPath) -> [UInt8]? {
    let output = UnsafeMutableRawBufferPointer.allocate(byteCount: size * count, alignment: 16)
    defer { output.deallocate() }
    do {
        try PayloadCodec.decode(encoding, elementSize: size, elementCount: count, input: input, output: output, path: path)
    } catch {
        if error.message.isEmpty { violation("\(encoding) error without a message") }
        return nil
    }
    return Array(output)
}

func roundTrip(_ encoding: PayloadEncoding, _ size: Int, _ blockUnits: Int, _ header: BitshuffleHeader,
               _ payload: UnsafeRawBufferPointer) {
    let whole = UnsafeRawBufferPointer(rebasing: payload[0..<(payload.count / size * size)])
    // An empty frame never reaches a decoder (every shape is at least 1×1).
    guard whole.count > 0 else { return }
    let encoded: [UInt8]
    switch encoding {
    case .raw: return
    case .packed4: return   // unpacking is checked by the decode comparison above
    case .lz4: encoded = PayloadCodec.encodeLZ4(whole)
    case .bitshuffleLZ4:
        // Only a present header carries the block size: zeroed or missing means the default.
        let blockSize = header == .present ? blockUnits * 8 * size : 0
        encoded = PayloadCodec.encodeBitshuffleLZ4(whole, elementSize: size, blockSize: blockSize, header: header)
    }
    for path in [CodecPath.scalar, .avx2] {
        let back = encoded.withUnsafeBytes { decoded(encoding, size, whole.count / size, $0, path) }
        if back == nil || !back!.elementsEqual(whole) {
            violation("\(encoding) round trip of \(whole.count) bytes (element size \(size), \(path)) gave \(back.map { "\($0.count) other bytes" } ?? "an error")")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size >= 5 else { return 0 }
    let encoding: PayloadEncoding = [.raw, .lz4, .bitshuffleLZ4, .packed4][Int(data[0] & 3)]
    let header = headers[Int(data[0] >> 2 & 3)]
    let blockUnits = Int(data[0] >> 4)
    let elementSize = elementSizes[Int(data[1] & 3)]
    let count = (Int(data[2]) | Int(data[3]) << 8 | Int(data[4]) << 16) % (maxOutputBytes / elementSize + 1)
    let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: size - 5, alignment: 1)
    defer { payload.deallocate() }
    payload.copyMemory(from: UnsafeRawBufferPointer(start: data + 5, count: size - 5))
    let input = UnsafeRawBufferPointer(payload)

    let scalar = decoded(encoding, elementSize, count, input, .scalar)
    let avx2 = decoded(encoding, elementSize, count, input, .avx2)
    if scalar != avx2 {
        violation("\(encoding), \(count) × \(elementSize) bytes: scalar and AVX2 paths disagree "
                  + "(\(scalar.map { "\($0.count) bytes" } ?? "error") vs \(avx2.map { "\($0.count) bytes" } ?? "error"))")
    }
    if encoding == .raw, let scalar, !scalar.elementsEqual(input) { violation("raw decode did not copy the payload") }
    roundTrip(encoding, elementSize, blockUnits, header, input)
    return 0
}

FuzzDriver.run(fuzzOne)
