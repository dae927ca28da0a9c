import Platform
import DetectorStream
import Glibc
import Platform

/// A fault of `detview bench decode`: a bad input file or options, or a frame one of the
/// decoders rejects. The message names the file, the call or the block.
public struct DecodeBenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Measures decoded output per second of `PayloadCodec.decode` on one thread, against
/// `PayloadCodec.decompressBlocksOnly` (the very same LZ4 blocks without the bit untranspose),
/// timed in the same run.
/// Owned by the `bench decode` command on the main thread; it allocates each output buffer once
/// and reuses it, because fresh outputs measure page faults rather than the decoder.
public struct DecodeBenchmark {
    /// One compressed frame and how to decode it.
    public struct Case {
        public let name: String
        public let encoding: PayloadEncoding
        public let type: PixelType
        public let elementCount: Int
        public let compressed: [UInt8]
        /// The decoded frame when known (built-in scene): both decoders are checked against it.
        public let original: [UInt8]?

        var decodedBytes: Int { elementCount * type.bytesPerPixel }
    }

    public struct Result {
        public let name: String
        public let compressedBytes: Int
        public let decodedGBps: Double
        /// Nil for raw frames: there is no LZ4 to compare with.
        public let lz4OnlyGBps: Double?

        public static let tableHeader = "case            compressed MB  decoded GB/s  LZ4-only GB/s  ratio"
        public var tableRow: String {
            let baseline = lz4OnlyGBps.map { fixed($0, 2) } ?? "-"
            let ratio = lz4OnlyGBps.map { fixed(decodedGBps / $0, 2) } ?? "-"
            return pad(name, 16) + lpad(fixed(Double(compressedBytes) / 1e6, 2), 13)
                + lpad(fixed(decodedGBps, 2), 14) + lpad(baseline, 15) + lpad(ratio, 7)
        }
    }

    public let path: CodecPath
    /// Wall time each decoder spends per round and case (approximately).
    public let secondsPerRound: Double

    public init(path: CodecPath, secondsPerRound: Double) {
        self.path = path
        self.secondsPerRound = secondsPerRound
    }

    /// Checks both decoders on the case once, then times `rounds` rounds, alternating which
    /// decoder goes first, and reports the medians.
    public func run(_ benchCase: Case, rounds: Int) throws(DecodeBenchError) -> Result {
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
            try decompressBlocksOnly(benchCase, input, output)
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
            bytes / (try time(reps) { () throws(DecodeBenchError) in try decompressBlocksOnly(benchCase, input, output) }) / 1e9
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

    private func decompressBlocksOnly(_ benchCase: Case, _ input: UnsafeRawBufferPointer,
                                      _ output: UnsafeMutableRawBufferPointer) throws(DecodeBenchError) {
        do {
            try PayloadCodec.decompressBlocksOnly(benchCase.encoding, elementSize: benchCase.type.bytesPerPixel,
                                                  elementCount: benchCase.elementCount, input: input, output: output)
        } catch {
            throw DecodeBenchError("\(benchCase.name): LZ4-only: \(error)")
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
