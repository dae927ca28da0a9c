import ArgumentParser
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
            Without --input: a built-in sparse EIGER 4M-like scene (2068x2162) as bitshuffle-LZ4 \
            u8/u16/u32 and LZ4 u16/u32. With --input: your own compressed frame, described by \
            --encoding, --type and --shape.
            Example: detview bench decode --input frame.bslz4 --encoding bslz4 --type uint32 --shape 2068,2162
            """)

    @Option(help: "Rounds per case; the median is reported.")
    var rounds: Int = 5

    @Option(help: ArgumentHelp("Decode this compressed frame instead of the built-in scene.", valueName: "FILE"))
    var input: String?

    @Option(help: "Encoding of --input.")
    var encoding: EncodingChoice?

    @Option(help: "Pixel type of --input.")
    var type: TypeChoice?

    @Option(help: ArgumentHelp("Width and height of --input in pixels.", valueName: "W,H"))
    var shape: FrameShape?

    @Option(help: "Bit-untranspose variant: best (AVX2 when available), scalar or avx2.")
    var path: PathChoice = .best

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
        let bench = DecodeBenchmark(path: path.codecPath, secondsPerRound: 0.1)
        let cases: [DecodeBenchmark.Case]
        let scene: String
        do {
            if let input, let encoding, let type, let shape {
                cases = [try userCase(file: input, encoding: encoding, type: type.pixelType, shape: shape)]
                scene = "\(input), \(shape.width)×\(shape.height)"
            } else {
                cases = builtInCases()
                scene = "built-in EIGER-like scene, 2068×2162"
            }
            let avx2 = CodecPath.avx2Available ? "yes" : "no"
            let scalarTwin = path == .avx2 && !CodecPath.avx2Available ? " (runs the scalar twin)" : ""
            var printedHeader = false
            for c in cases {
                let row = try bench.run(c, rounds: rounds).tableRow
                // The header follows the first case's checks, so a rejected --input prints only its error.
                if !printedHeader {
                    print("detview bench decode: \(scene); single core (one thread), \(rounds) round(s), median; "
                        + "path \(path.rawValue)\(scalarTwin); CPU AVX2: \(avx2)")
                    print(DecodeBenchmark.Result.tableHeader)
                    printedHeader = true
                }
                print(row)
            }
        } catch {
            _ = writeAll(2, "detview bench decode: \(error)\n")
            throw ExitCode.failure
        }
    }

    private func builtInCases() -> [DecodeBenchmark.Case] {
        let scene = EigerLikeScene()
        var cases: [DecodeBenchmark.Case] = []
        for type in [PixelType.uint8, .uint16, .uint32] {
            let frame = scene.bytes(as: type)
            let compressed = frame.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: type.bytesPerPixel) }
            cases.append(.init(name: "bslz4 \(type.name)", encoding: .bitshuffleLZ4, type: type,
                               elementCount: scene.counts.count, compressed: compressed, original: frame))
        }
        for type in [PixelType.uint16, .uint32] {
            let frame = scene.bytes(as: type)
            let compressed = frame.withUnsafeBytes { PayloadCodec.encodeLZ4($0) }
            cases.append(.init(name: "lz4 \(type.name)", encoding: .lz4, type: type,
                               elementCount: scene.counts.count, compressed: compressed, original: frame))
        }
        return cases
    }

    /// Reads `file` and checks it against the shape and type before any decoding.
    private func userCase(file: String, encoding: EncodingChoice, type: PixelType,
                          shape: FrameShape) throws(DecodeBenchError) -> DecodeBenchmark.Case {
        let (pixels, overflow) = shape.width.multipliedReportingOverflow(by: shape.height)
        let (expected, overflow2) = pixels.multipliedReportingOverflow(by: type.bytesPerPixel)
        guard !overflow, !overflow2 else { throw DecodeBenchError("--shape \(shape.width),\(shape.height) is too large") }
        let data = try readWholeFile(file)
        let described = "--shape \(shape.width),\(shape.height) × \(type.name) is \(expected) bytes"
        switch encoding.payloadEncoding {
        case .packed4:
            throw DecodeBenchError("packed 4-bit frames are not a decode benchmark case")
        case .raw:
            guard data.count == expected else {
                throw DecodeBenchError("\(file): \(data.count) bytes of raw pixels, but \(described)")
            }
        case .lz4:
            // Only the framed form (first byte zero) carries a header; a bare block has no size.
            if data.first == 0, let announced = data.withUnsafeBytes(LZ4OnlyDecoder.announcedSize), announced != UInt64(expected) {
                throw DecodeBenchError("\(file): the header says \(announced) decoded bytes, but \(described)")
            }
        case .bitshuffleLZ4:
            if let announced = data.withUnsafeBytes(LZ4OnlyDecoder.announcedSize), announced != UInt64(expected) {
                throw DecodeBenchError("\(file): the header says \(announced) decoded bytes, but \(described)")
            }
        }
        return .init(name: "\(encoding.rawValue) \(type.name)", encoding: encoding.payloadEncoding, type: type,
                     elementCount: pixels, compressed: data, original: nil)
    }

    private func readWholeFile(_ file: String) throws(DecodeBenchError) -> [UInt8] {
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DecodeBenchError("open(\(file)): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DecodeBenchError("fstat(\(file)): \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw DecodeBenchError("\(file) is not a regular file") }
        let size = Int(info.st_size)
        guard size <= 1 << 31 else { throw DecodeBenchError("\(file): \(size) bytes is more than one frame can be") }
        var failure: DecodeBenchError?
        let data = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, count in
            count = 0
            while count < size {
                let got = read(fd, buffer.baseAddress! + count, size - count)
                if got < 0 && errno == EINTR { continue }
                if got < 0 {
                    failure = DecodeBenchError("read(\(file)): \(String(cString: strerror(errno)))")
                    return
                }
                if got == 0 { break }
                count += got
            }
        }
        if let failure { throw failure }
        guard data.count == size else { throw DecodeBenchError("\(file): shrank while being read") }
        return data
    }
}

/// `--encoding` of `bench decode --input`.
enum EncodingChoice: String, ExpressibleByArgument, CaseIterable {
    case raw, lz4, bslz4

    var payloadEncoding: PayloadEncoding {
        switch self {
        case .raw: .raw
        case .lz4: .lz4
        case .bslz4: .bitshuffleLZ4
        }
    }
}

/// `--type` of `bench decode --input`.
enum TypeChoice: String, ExpressibleByArgument, CaseIterable {
    case uint8, uint16, uint32

    var pixelType: PixelType {
        switch self {
        case .uint8: .uint8
        case .uint16: .uint16
        case .uint32: .uint32
        }
    }
}

/// `--path` of `bench decode`: which CodecPath the decoder runs.
enum PathChoice: String, ExpressibleByArgument, CaseIterable {
    case best, scalar, avx2

    var codecPath: CodecPath {
        switch self {
        case .best: .best
        case .scalar: .scalar
        case .avx2: .avx2
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
