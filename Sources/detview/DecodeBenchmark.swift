import CLZ4
import DetectorStream
import Glibc
import Platform

/// A fault of `detview bench decode`: a bad input file or options, or a frame one of the
/// decoders rejects. The message names the file, the call or the block.
struct DecodeBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Measures decoded output per second of `PayloadCodec.decode` on one thread, against liblz4
/// decompressing the very same LZ4 blocks without the bit untranspose, timed in the same run.
/// Owned by the `bench decode` command on the main thread; it allocates each output buffer once
/// and reuses it, because fresh outputs measure page faults rather than the decoder.
struct DecodeBenchmark {
    /// One compressed frame and how to decode it.
    struct Case {
        let name: String
        let encoding: PayloadEncoding
        let type: PixelType
        let elementCount: Int
        let compressed: [UInt8]
        /// The decoded frame when known (built-in scene): both decoders are checked against it.
        let original: [UInt8]?

        var decodedBytes: Int { elementCount * type.bytesPerPixel }
    }

    struct Result {
        let name: String
        let compressedBytes: Int
        let decodedGBps: Double
        /// Nil for raw frames: there is no LZ4 to compare with.
        let lz4OnlyGBps: Double?

        static let tableHeader = "case            compressed MB  decoded GB/s  LZ4-only GB/s  ratio"
        var tableRow: String {
            let baseline = lz4OnlyGBps.map { fixed($0, 2) } ?? "-"
            let ratio = lz4OnlyGBps.map { fixed(decodedGBps / $0, 2) } ?? "-"
            return pad(name, 16) + lpad(fixed(Double(compressedBytes) / 1e6, 2), 13)
                + lpad(fixed(decodedGBps, 2), 14) + lpad(baseline, 15) + lpad(ratio, 7)
        }
    }

    let path: CodecPath
    /// Wall time each decoder spends per round and case (approximately).
    let secondsPerRound: Double

    /// Checks both decoders on the case once, then times `rounds` rounds, alternating which
    /// decoder goes first, and reports the medians.
    func run(_ benchCase: Case, rounds: Int) throws(DecodeBenchError) -> Result {
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: benchCase.decodedBytes, alignment: 64)
        defer { output.deallocate() }
        output.initializeMemory(as: UInt8.self, repeating: 0)  // touch every page before timing
        let hasBaseline = benchCase.encoding != .raw
        // The compressed frame in a buffer of its own: Array.withUnsafeBytes would erase the typed error.
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: benchCase.compressed.count, alignment: 64)
        defer { copy.deallocate() }
        copy.copyBytes(from: benchCase.compressed)
        let input = UnsafeRawBufferPointer(copy)
        try decode(benchCase, input, output)
        if let original = benchCase.original, !output.elementsEqual(original) {
            throw DecodeBenchError("\(benchCase.name): PayloadCodec.decode does not give back the scene")
        }
        if hasBaseline {
            try LZ4OnlyDecoder.decode(benchCase.encoding, elementSize: benchCase.type.bytesPerPixel,
                                      input: input, output: output)
            if benchCase.encoding == .lz4, let original = benchCase.original, !output.elementsEqual(original) {
                throw DecodeBenchError("\(benchCase.name): the LZ4-only walk does not give back the scene")
            }
        }
        let reps = try repetitions(benchCase, input, output)
        let bytes = Double(benchCase.decodedBytes * reps)
        func codecGBps() throws(DecodeBenchError) -> Double {
            bytes / (try time(reps) { () throws(DecodeBenchError) in try decode(benchCase, input, output) }) / 1e9
        }
        func lz4OnlyGBps() throws(DecodeBenchError) -> Double {
            bytes / (try time(reps) { () throws(DecodeBenchError) in
                try LZ4OnlyDecoder.decode(benchCase.encoding, elementSize: benchCase.type.bytesPerPixel,
                                          input: input, output: output)
            }) / 1e9
        }
        var decoded: [Double] = [], baseline: [Double] = []
        for round in 0..<rounds {
            if !hasBaseline {
                decoded.append(try codecGBps())
            } else if round % 2 == 0 {
                decoded.append(try codecGBps())
                baseline.append(try lz4OnlyGBps())
            } else {
                baseline.append(try lz4OnlyGBps())
                decoded.append(try codecGBps())
            }
        }
        return Result(name: benchCase.name, compressedBytes: benchCase.compressed.count,
                      decodedGBps: median(decoded), lz4OnlyGBps: hasBaseline ? median(baseline) : nil)
    }

    private func decode(_ benchCase: Case, _ input: UnsafeRawBufferPointer,
                        _ output: UnsafeMutableRawBufferPointer) throws(DecodeBenchError) {
        do {
            try PayloadCodec.decode(benchCase.encoding, elementSize: benchCase.type.bytesPerPixel,
                                    elementCount: benchCase.elementCount, input: input, output: output, path: path)
        } catch {
            throw DecodeBenchError("\(benchCase.name): \(error)")
        }
    }

    /// Decodes per round, sized from a probe so a round lasts about `secondsPerRound`.
    private func repetitions(_ benchCase: Case, _ input: UnsafeRawBufferPointer,
                             _ output: UnsafeMutableRawBufferPointer) throws(DecodeBenchError) -> Int {
        let probe = try time(3) { () throws(DecodeBenchError) in try decode(benchCase, input, output) } / 3
        return max(3, min(100_000, Int(secondsPerRound / max(probe, 1e-9))))
    }

    /// Seconds for `count` runs of `body`.
    private func time(_ count: Int, _ body: () throws(DecodeBenchError) -> Void) throws(DecodeBenchError) -> Double {
        let start = MonotonicClock.nanoseconds
        for _ in 0..<count { try body() }
        return Double(MonotonicClock.nanoseconds - start) / 1e9
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}

// MARK: - The baseline

private func fixed(_ value: Double, _ decimals: Int) -> String { CFloatFormat.fixed(value, precision: decimals) }
private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
