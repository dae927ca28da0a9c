import CLZ4
import CLinux
import DetectorStream
import Glibc

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
        let start = dv_monotonic_ns()
        for _ in 0..<count { try body() }
        return Double(dv_monotonic_ns() - start) / 1e9
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}

// MARK: - The baseline

/// LZ4 decompression of a payload's blocks without the bit untranspose: the same LZ4 blocks
/// `PayloadCodec.decode` reads, walked here with liblz4 directly so the benchmark exposes nothing
/// new in DetectorStream. The framing rules mirror CCodecs' Framing.c (12-byte header present,
/// zeroed or missing; 4-byte big-endian length before each block; a bitshuffle frame's last
/// fewer-than-8 elements raw). Output is written where the decoder would write it (still
/// shuffled), so both move the same bytes into the same buffer. Stateless.
enum LZ4OnlyDecoder {
    static let defaultBlockBytes = 8192

    static func decode(_ encoding: PayloadEncoding, elementSize: Int, input: UnsafeRawBufferPointer,
                       output: UnsafeMutableRawBufferPointer) throws(DecodeBenchError) {
        switch encoding {
        case .raw:
            throw DecodeBenchError("LZ4-only: a raw frame has no LZ4 blocks")
        case .lz4:
            // A bare LZ4 block with output never starts with a zero byte; the framing always does.
            if output.count == 0 || (input.count > 0 && input[0] != 0) {
                try bareBlock(input, output)
            } else {
                try framedLZ4(input, output)
            }
        case .bitshuffleLZ4:
            try bitshuffleBlocks(input, output, elementSize: elementSize)
        }
    }

    /// The decoded size a 12-byte header announces: nil when there is no header (or it is zeroed).
    /// Without a header the payload starts with a block length, which reads as 2^32 or more.
    static func announcedSize(_ input: UnsafeRawBufferPointer) -> UInt64? {
        guard input.count >= 8 else { return nil }
        let size = be64(input, 0)
        return size == 0 || size >= 1 << 32 ? nil : size
    }

    private static func bareBlock(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(DecodeBenchError) {
        guard input.count <= Int(Int32.max), output.count <= Int(LZ4_MAX_INPUT_SIZE) else {
            throw DecodeBenchError("lz4: \(output.count) bytes are beyond what one LZ4 block holds")
        }
        try block(input, 0, input.count, output, 0, output.count, index: 0)
    }

    private static func framedLZ4(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(DecodeBenchError) {
        var (pos, blockBytes) = try frameStart(input, expected: output.count)
        guard blockBytes <= 1 << 30 else { throw DecodeBenchError("lz4: block size \(blockBytes) bytes is above 1 GiB") }
        var done = 0, index = 0
        while done < output.count {
            let n = min(output.count - done, blockBytes)
            let length = try blockLength(input, &pos, index: index)
            // HDF5's LZ4 filter stores a block raw when compressing did not shrink it.
            if length == n {
                (output.baseAddress! + done).copyMemory(from: input.baseAddress! + pos, byteCount: n)
            } else {
                try block(input, pos, length, output, done, n, index: index)
            }
            pos += length
            done += n
            index += 1
        }
        try finish(input, pos)
    }

    private static func bitshuffleBlocks(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer,
                                         elementSize: Int) throws(DecodeBenchError) {
        guard [1, 2, 4, 8].contains(elementSize), output.count % elementSize == 0 else {
            throw DecodeBenchError("bslz4: \(output.count) bytes are not whole elements of \(elementSize) bytes")
        }
        let count = output.count / elementSize
        let tailBytes = (count % 8) * elementSize
        var pos = 0, blockBytes = defaultBlockBytes
        if !(count < 8 && input.count == tailBytes) {
            (pos, blockBytes) = try frameStart(input, expected: output.count)
        }
        guard blockBytes % (8 * elementSize) == 0, blockBytes <= 1 << 30 else {
            throw DecodeBenchError("bslz4: block size \(blockBytes) bytes is not a multiple of \(8 * elementSize) up to 1 GiB")
        }
        let blockElements = blockBytes / elementSize
        var done = 0, index = 0
        while count - done >= 8 {
            var n = min(count - done, blockElements)
            n -= n % 8
            let length = try blockLength(input, &pos, index: index)
            try block(input, pos, length, output, done * elementSize, n * elementSize, index: index)
            pos += length
            done += n
            index += 1
        }
        guard input.count - pos >= tailBytes else {
            throw DecodeBenchError("bslz4: payload ends inside the \(tailBytes) raw bytes after the blocks")
        }
        if tailBytes > 0 {
            (output.baseAddress! + done * elementSize).copyMemory(from: input.baseAddress! + pos, byteCount: tailBytes)
        }
        try finish(input, pos + tailBytes)
    }

    /// Where the blocks start and their size (see `announcedSize` for how a header is told apart).
    private static func frameStart(_ input: UnsafeRawBufferPointer, expected: Int) throws(DecodeBenchError) -> (Int, Int) {
        guard input.count >= 8 else { return (0, defaultBlockBytes) }
        let size = be64(input, 0)
        if size >= 1 << 32 && size != UInt64(expected) { return (0, defaultBlockBytes) }
        guard size == 0 || size == UInt64(expected) else {
            throw DecodeBenchError("header says \(size) decoded bytes, expected \(expected)")
        }
        guard input.count >= 12 else { throw DecodeBenchError("payload of \(input.count) bytes ends inside the 12-byte header") }
        let block = Int(be32(input, 8))
        return (12, block == 0 ? defaultBlockBytes : block)
    }

    /// Reads the length before block `index` at `pos`, checks the block fits, and moves past it.
    private static func blockLength(_ input: UnsafeRawBufferPointer, _ pos: inout Int, index: Int) throws(DecodeBenchError) -> Int {
        guard input.count - pos >= 4 else { throw DecodeBenchError("payload ends before the length of block \(index)") }
        let length = Int(be32(input, pos))
        pos += 4
        guard length <= input.count - pos else {
            throw DecodeBenchError("block \(index) says \(length) bytes, only \(input.count - pos) left")
        }
        return length
    }

    /// LZ4_decompress_safe of input[at..<at+length] into exactly output[to..<to+count].
    private static func block(_ input: UnsafeRawBufferPointer, _ at: Int, _ length: Int,
                              _ output: UnsafeMutableRawBufferPointer, _ to: Int, _ count: Int,
                              index: Int) throws(DecodeBenchError) {
        guard length > 0, let source = input.baseAddress, let target = output.baseAddress else {
            throw DecodeBenchError("LZ4_decompress_safe: block \(index) is empty, expected \(count) bytes")
        }
        let got = LZ4_decompress_safe((source + at).assumingMemoryBound(to: CChar.self),
                                      (target + to).assumingMemoryBound(to: CChar.self), Int32(length), Int32(count))
        guard got == Int32(count) else {
            throw DecodeBenchError(got < 0
                ? "LZ4_decompress_safe: block \(index) (\(length) bytes) is not valid LZ4 for \(count) bytes"
                : "LZ4_decompress_safe: block \(index) decompresses to \(got) bytes, expected \(count)")
        }
    }

    private static func finish(_ input: UnsafeRawBufferPointer, _ pos: Int) throws(DecodeBenchError) {
        guard pos == input.count else { throw DecodeBenchError("\(input.count - pos) bytes left over after the last block") }
    }

    private static func be64(_ input: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(bigEndian: input.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    private static func be32(_ input: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(bigEndian: input.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
}

// MARK: - The built-in scene

/// A sparse EIGER 4M-like frame, deterministic from its seed: low Poisson background with air
/// scatter near the beam, a few powder rings, Bragg spots, and module gaps at all ones. Photon
/// counts in `UInt32`; `bytes(as:)` gives a frame of a pixel type, saturating one below all ones.
/// Built once by the benchmark; not a physical model (the Simulator has its own EIGER scene).
struct EigerLikeScene {
    static let moduleWidth = 1030, moduleHeight = 514
    static let gap = UInt32.max

    let width: Int
    let height: Int
    private(set) var counts: [UInt32]

    init(width: Int = 2068, height: Int = 2162, seed: UInt64 = 1) {
        self.width = width
        self.height = height
        counts = [UInt32](repeating: 0, count: width * height)
        var random = SplitMix64(seed: seed)
        let cx = Double(width) * 0.52, cy = Double(height) * 0.47
        // Mean photons per pixel by whole-pixel radius: exp(-λ) tabulated for Poisson inversion.
        let maxRadius = Int((Double(width * width + height * height)).squareRoot()) + 2
        let rings: [(radius: Double, sigma: Double, mean: Double)] = [(310, 3, 2.5), (520, 4, 1.4), (790, 5, 0.9), (1040, 5, 0.5)]
        let expMinusMean: [Double] = (0..<maxRadius).map { r in
            let radius = Double(r)
            var mean = 0.05 + 0.4 * exp(-radius / 300)
            for ring in rings {
                let z = (radius - ring.radius) / ring.sigma
                mean += ring.mean * exp(-0.5 * z * z)
            }
            return exp(-mean)
        }
        for y in 0..<height {
            let dy = Double(y) - cy
            for x in 0..<width {
                let dx = Double(x) - cx
                let limit = expMinusMean[Int((dx * dx + dy * dy).squareRoot())]
                // Knuth's product of uniforms: cheap for means this small.
                var k: UInt32 = 0
                var product = random.unit()
                while product > limit && k < 50 {
                    k += 1
                    product *= random.unit()
                }
                counts[y * width + x] = k
            }
        }
        addSpots(count: 400, random: &random)
        maskGaps()
    }

    /// Gaussian spots of 30 to 30,000 photons (log-uniform), sigma about one pixel.
    private mutating func addSpots(count: Int, random: inout SplitMix64) {
        for _ in 0..<count {
            let sx = Int(random.unit() * Double(width - 6)) + 3
            let sy = Int(random.unit() * Double(height - 6)) + 3
            let photons = 30 * pow(1000, random.unit())
            for oy in -3...3 {
                for ox in -3...3 {
                    let weight = exp(-0.5 * Double(ox * ox + oy * oy) / 1.1) / (2 * Double.pi * 1.1)
                    let index = (sy + oy) * width + sx + ox
                    counts[index] = counts[index] &+ UInt32(photons * weight)
                }
            }
        }
    }

    /// Columns and rows between modules (2 × 4 of 1030 × 514, gaps spread evenly) hold all ones.
    private mutating func maskGaps() {
        let columnGap = Self.gapMask(length: width, module: Self.moduleWidth, modules: 2)
        let rowGap = Self.gapMask(length: height, module: Self.moduleHeight, modules: 4)
        for y in 0..<height {
            for x in 0..<width where rowGap[y] || columnGap[x] { counts[y * width + x] = Self.gap }
        }
    }

    private static func gapMask(length: Int, module: Int, modules: Int) -> [Bool] {
        var mask = [Bool](repeating: true, count: length)
        let spare = max(0, length - module * modules)
        for m in 0..<modules {
            let start = m * module + (modules > 1 ? m * spare / (modules - 1) : 0)
            for i in start..<min(length, start + module) { mask[i] = false }
        }
        return mask
    }

    /// The frame as little-endian pixels of `type`.
    func bytes(as type: PixelType) -> [UInt8] {
        let allOnes = UInt32(truncatingIfNeeded: type.allOnes)
        let size = type.bytesPerPixel
        var out = [UInt8](repeating: 0, count: counts.count * size)
        for (i, count) in counts.enumerated() {
            var value = count == Self.gap ? allOnes : min(count, allOnes - 1)
            for b in 0..<size {
                out[i * size + b] = UInt8(truncatingIfNeeded: value)
                value >>= 8
            }
        }
        return out
    }
}

/// SplitMix64: a tiny, good-enough deterministic generator for the scene.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

// MARK: - Table formatting

private func fixed(_ value: Double, _ decimals: Int) -> String { CFloatFormat.fixed(value, precision: decimals) }
private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
