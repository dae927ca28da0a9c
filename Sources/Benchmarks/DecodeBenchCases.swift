import DetectorStream
import Glibc
import Simulator

extension DecodeBenchmark.Case {
    /// The frame of the built-in cases: the simulator's EIGER2 4M scene (2068×2162), one frame.
    public static let builtInSize = (width: 2068, height: 2162)

    /// The simulator's EIGER2 4M scene as bitshuffle-LZ4 u8/u16/u32 and LZ4 u16/u32. Every type
    /// renders the same photons (same seed), saturating at its own all-ones value minus one.
    public static func builtIn() -> [Self] {
        func frame(_ type: PixelType) -> [UInt8] {
            var options = EigerScene.Options()
            (options.width, options.height) = builtInSize
            options.pixelType = type
            // One background frame is all a single decoded frame needs; the spots of a busy
            // crystal keep the compressed blocks as varied as a real frame's.
            options.bankSize = 1
            options.spots = 400
            var scene = EigerScene(options: options)
            var bytes = [UInt8](repeating: 0, count: scene.frameBytes)
            bytes.withUnsafeMutableBytes { _ = scene.render(frameIndex: 0, into: $0) }
            return bytes
        }
        let pixels = builtInSize.width * builtInSize.height
        var cases: [Self] = []
        for type in [PixelType.uint8, .uint16, .uint32] {
            let original = frame(type)
            let compressed = original.withUnsafeBytes { PayloadCodec.encodeBitshuffleLZ4($0, elementSize: type.bytesPerPixel) }
            cases.append(.init(name: "bslz4 \(type.name)", encoding: .bitshuffleLZ4, type: type,
                               elementCount: pixels, compressed: compressed, original: original))
        }
        for type in [PixelType.uint16, .uint32] {
            let original = frame(type)
            let compressed = original.withUnsafeBytes { PayloadCodec.encodeLZ4($0) }
            cases.append(.init(name: "lz4 \(type.name)", encoding: .lz4, type: type,
                               elementCount: pixels, compressed: compressed, original: original))
        }
        return cases
    }

    /// A compressed frame of the user's (`bench decode --input`), checked against the shape and
    /// type it is said to have before any decoding.
    public static func file(_ file: String, encoding: PayloadEncoding, type: PixelType,
                            width: Int, height: Int) throws(DecodeBenchError) -> Self {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        let (expected, overflow2) = pixels.multipliedReportingOverflow(by: type.bytesPerPixel)
        guard !overflow, !overflow2 else { throw DecodeBenchError("--shape \(width),\(height) is too large") }
        let data = try readWholeFile(file)
        let described = "--shape \(width),\(height) × \(type.name) is \(expected) bytes"
        let announced = data.withUnsafeBytes(PayloadCodec.announcedDecodedSize)
        switch encoding {
        case .packed4:
            throw DecodeBenchError("packed 4-bit frames are not a decode benchmark case")
        case .raw:
            guard data.count == expected else {
                throw DecodeBenchError("\(file): \(data.count) bytes of raw pixels, but \(described)")
            }
        case .lz4:
            // Only the framed form (first byte zero) carries a header; a bare block has no size.
            if data.first == 0, let announced, announced != UInt64(expected) {
                throw DecodeBenchError("\(file): the header says \(announced) decoded bytes, but \(described)")
            }
        case .bitshuffleLZ4:
            if let announced, announced != UInt64(expected) {
                throw DecodeBenchError("\(file): the header says \(announced) decoded bytes, but \(described)")
            }
        }
        return .init(name: "\(encoding.name) \(type.name)", encoding: encoding, type: type,
                     elementCount: pixels, compressed: data, original: nil)
    }

    private static func readWholeFile(_ file: String) throws(DecodeBenchError) -> [UInt8] {
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
