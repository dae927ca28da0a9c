import ArgumentParser
import Benchmarks
import DetectorStream
import Glibc
import Platform

import Viewer

/// `detview bench decode`: decoded output per second of the payload decoders on one thread,
/// against LZ4-only decompression of the same blocks in the same run (the ratio is the figure).
struct DecodeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Payload decoders (bslz4, lz4) vs. LZ4-only decompression of the same blocks, one core.",
        discussion: """
            Without --input: the simulator's sparse EIGER2 4M scene (2068x2162) as bitshuffle-LZ4 \
            u8/u16/u32 and LZ4 u16/u32. With --input: your own compressed frame, described by \
            --encoding, --type and --shape.
            Example: detview bench decode --input frame.bslz4 --encoding bslz4 --type uint32 --shape 2068,2162
            """)

    @Option(parsing: .unconditional, help: "Rounds per case; the median is reported.")
    var rounds: Int = 5

    @Option(help: ArgumentHelp("Decode this compressed frame instead of the built-in scene.", valueName: "FILE"))
    var input: String?

    @Option(help: "Encoding of --input.")
    var encoding: PayloadEncoding?

    @Option(help: "Pixel type of --input.")
    var type: PixelTypeChoice?

    @Option(help: ArgumentHelp("Width and height of --input in pixels.", valueName: "W,H"))
    var shape: FrameShape?

    @Option(help: "Bit-untranspose variant: best (AVX2 when available), scalar or avx2.")
    var path: CodecPath = .best

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        if input == nil {
            guard encoding == nil, type == nil, shape == nil else {
                throw ValidationError("--encoding, --type and --shape describe --input; give --input FILE too")
            }
        } else {
            guard encoding != nil, type != nil, shape != nil else {
                throw ValidationError("--input needs --encoding, --type and --shape")
            }
        }
    }

    func run() throws {
        do {
            if let input, let encoding, let type, let shape {
                let frame = try DecodeBenchmark.Case.file(input, encoding: encoding, type: type.pixelType,
                                                          width: shape.width, height: shape.height)
                try BenchReports.decode([frame], scene: "\(input), \(shape.width)×\(shape.height)",
                                        path: path, rounds: rounds) { print($0) }
            } else {
                let size = DecodeBenchmark.Case.builtInSize
                try BenchReports.decode(DecodeBenchmark.Case.builtIn(),
                                        scene: "built-in EIGER2 4M scene of the simulator, \(size.width)×\(size.height)",
                                        path: path, rounds: rounds) { print($0) }
            }
        } catch {
            _ = writeAll(2, "detview bench decode: \(error)\n")
            throw ExitCode.failure
        }
    }
}

/// `--shape W,H`: positive width and height.
struct FrameShape: ExpressibleByArgument {
    let width: Int
    let height: Int

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else { return nil }
        width = w
        height = h
    }
}
