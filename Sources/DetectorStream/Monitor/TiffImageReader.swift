/// What a baseline TIFF holds, as far as a frame needs it: the geometry, the pixel type and the
/// byte order of its samples. A plain value.
public struct TiffImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixelType: PixelType
    /// "MM" files: multi-byte samples are big-endian (the workers swap them, as for array-1.0).
    public var bigEndian: Bool

    public init(width: Int, height: Int, pixelType: PixelType, bigEndian: Bool) {
        self.width = width
        self.height = height
        self.pixelType = pixelType
        self.bigEndian = bigEndian
    }

    public var pixelBytes: Int { width * height * pixelType.bytesPerPixel }
}

/// Why a body is not a TIFF the viewer can show; `description` is the reason a bad frame carries.
public struct TiffError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads the baseline TIFF the DECTRIS monitor interface serves (see docs/PROTOCOLS-monitor.md):
/// one image of one sample per pixel, uncompressed, in strips, 8, 16 or 32 bits, unsigned, signed
/// or float (64-bit float too), either byte order. Everything else (compression, tiles, several
/// samples, BigTIFF) is refused with its reason.
///
/// Hand-written rather than Debian's libtiff: the subset is small (a header, one IFD, the strips),
/// a system library would add a package to every build host and a C API that reads from files or
/// callbacks, and every size and offset here must be checked against the body and the frame limit
/// before anything is copied, which is simplest where the reading happens. Total: any input gives
/// an image or a `TiffError`, never a trap. Used on the receive thread; a stateless namespace.
public enum TiffImageReader {
    /// Reads `body` and copies its pixels, strip after strip, into `pixels` (resized to fit; reuse it
    /// between calls to avoid allocations). `maxPixelBytes` bounds the image before any copy.
    public static func read(_ body: UnsafeRawBufferPointer, maxPixelBytes: Int,
                            into pixels: inout [UInt8]) throws(TiffError) -> TiffImage {
        guard body.count >= 8 else { throw TiffError("not a TIFF: \(body.count) bytes, shorter than a TIFF header") }
        let bigEndian: Bool
        switch (body[0], body[1]) {
        case (0x49, 0x49): bigEndian = false
        case (0x4D, 0x4D): bigEndian = true
        default: throw TiffError("not a TIFF: it starts with \(hex(body, count: 4)), not II or MM")
        }
        let file = Bytes(body: body, bigEndian: bigEndian)
        let magic = try file.u16(at: 2)
        if magic == 43 { throw TiffError("BigTIFF is not supported (a monitor image is a classic TIFF)") }
        guard magic == 42 else { throw TiffError("not a TIFF: magic number \(magic), not 42") }
        let directory = Int(try file.u32(at: 4))
        let tags = try readDirectory(file, at: directory)

        func single(_ tag: Tag, default value: Int? = nil) throws(TiffError) -> Int {
            guard let values = tags[tag.rawValue] else {
                if let value { return value }
                throw TiffError("TIFF lacks its \(tag) tag")
            }
            guard values.count == 1 else { throw TiffError("TIFF \(tag) has \(values.count) values, not 1") }
            return values[0]
        }
        let width = try single(.imageWidth)
        let height = try single(.imageLength)
        guard width > 0, height > 0 else { throw TiffError("TIFF image of \(width)×\(height) pixels") }
        let samples = try single(.samplesPerPixel, default: 1)
        guard samples == 1 else { throw TiffError("TIFF with \(samples) samples per pixel is not supported (one expected)") }
        let compression = try single(.compression, default: 1)
        guard compression == 1 else { throw TiffError("TIFF compression \(compression) is not supported (uncompressed only)") }
        let planar = try single(.planarConfiguration, default: 1)
        guard planar == 1 else { throw TiffError("TIFF planar configuration \(planar) is not supported") }
        if tags[Tag.tileWidth.rawValue] != nil { throw TiffError("tiled TIFF is not supported (strips only)") }
        let bits = try single(.bitsPerSample, default: 1)
        let format = try single(.sampleFormat, default: 1)
        guard let pixelType = pixelType(bits: bits, format: format) else {
            throw TiffError("TIFF samples of \(bits) bits in sample format \(format) are not supported")
        }
        // Bounded before anything is copied: a header may claim any size (each side below 2^32,
        // so the product cannot overflow).
        guard width * height <= maxPixelBytes / pixelType.bytesPerPixel else {
            throw TiffError("TIFF image of \(width)×\(height) \(pixelType.name) exceeds --max-frame-bytes \(maxPixelBytes)")
        }
        let image = TiffImage(width: width, height: height, pixelType: pixelType, bigEndian: bigEndian)
        guard let offsets = tags[Tag.stripOffsets.rawValue] else { throw TiffError("TIFF lacks its StripOffsets tag") }
        guard let counts = tags[Tag.stripByteCounts.rawValue] else { throw TiffError("TIFF lacks its StripByteCounts tag") }
        guard offsets.count == counts.count else {
            throw TiffError("TIFF has \(offsets.count) strip offsets but \(counts.count) strip byte counts")
        }
        let needed = image.pixelBytes
        pixels.removeAll(keepingCapacity: true)
        pixels.reserveCapacity(needed)
        for (offset, count) in zip(offsets, counts) where pixels.count < needed {
            guard offset >= 0, count >= 0, offset <= body.count, count <= body.count - offset else {
                throw TiffError("TIFF strip of \(count) bytes at \(offset) lies outside the \(body.count)-byte body")
            }
            let take = min(count, needed - pixels.count)
            pixels.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[offset..<(offset + take)]))
        }
        guard pixels.count == needed else {
            throw TiffError("TIFF strips hold \(pixels.count) bytes; a \(width)×\(height) \(pixelType.name) image needs \(needed)")
        }
        return image
    }

    /// The baseline tags the reader uses (TIFF 6.0 numbers).
    enum Tag: Int, CustomStringConvertible {
        case imageWidth = 256, imageLength = 257, bitsPerSample = 258, compression = 259
        case stripOffsets = 273, samplesPerPixel = 277, stripByteCounts = 279
        case planarConfiguration = 284, tileWidth = 322, sampleFormat = 339

        var description: String {
            switch self {
            case .imageWidth: "ImageWidth"
            case .imageLength: "ImageLength"
            case .bitsPerSample: "BitsPerSample"
            case .compression: "Compression"
            case .stripOffsets: "StripOffsets"
            case .samplesPerPixel: "SamplesPerPixel"
            case .stripByteCounts: "StripByteCounts"
            case .planarConfiguration: "PlanarConfiguration"
            case .tileWidth: "TileWidth"
            case .sampleFormat: "SampleFormat"
            }
        }
    }

    /// At most this many entries in the directory: baseline images use about 15; more is garbage.
    static let maxEntries = 1024
    /// At most this many values per tag (strips): one strip per row of a 16M detector is 4,400.
    static let maxValues = 1 << 20

    /// The integer values of the directory's tags that the reader knows; other tags are skipped
    /// unread (their values may lie anywhere).
    private static func readDirectory(_ file: Bytes, at offset: Int) throws(TiffError) -> [Int: [Int]] {
        let entries = Int(try file.u16(at: offset, what: "image directory"))
        guard entries > 0, entries <= maxEntries else { throw TiffError("TIFF image directory of \(entries) entries") }
        var tags: [Int: [Int]] = [:]
        for index in 0..<entries {
            let entry = offset + 2 + 12 * index
            let tag = Int(try file.u16(at: entry, what: "image directory"))
            guard Tag(rawValue: tag) != nil else { continue }
            let type = try file.u16(at: entry + 2)
            let count = Int(try file.u32(at: entry + 4))
            let size: Int
            switch type {
            case 1: size = 1   // BYTE
            case 3: size = 2   // SHORT
            case 4: size = 4   // LONG
            default: throw TiffError("TIFF tag \(Tag(rawValue: tag)!) has field type \(type), not BYTE, SHORT or LONG")
            }
            guard count >= 1, count <= maxValues else { throw TiffError("TIFF tag \(Tag(rawValue: tag)!) has \(count) values") }
            // Values that fit in four bytes sit in the entry itself; larger ones at an offset.
            let start = count * size <= 4 ? entry + 8 : Int(try file.u32(at: entry + 8))
            guard start <= file.body.count, count * size <= file.body.count - start else {
                throw TiffError("TIFF tag \(Tag(rawValue: tag)!) values at \(start) lie outside the \(file.body.count)-byte body")
            }
            var values: [Int] = []
            values.reserveCapacity(count)
            for i in 0..<count {
                switch size {
                case 1: values.append(Int(file.body[start + i]))
                case 2: values.append(Int(try file.u16(at: start + 2 * i)))
                default: values.append(Int(try file.u32(at: start + 4 * i)))
                }
            }
            tags[tag] = values
        }
        return tags
    }

    private static func pixelType(bits: Int, format: Int) -> PixelType? {
        switch (format, bits) {
        case (1, 8): .uint8
        case (1, 16): .uint16
        case (1, 32): .uint32
        case (2, 8): .int8
        case (2, 16): .int16
        case (2, 32): .int32
        case (3, 32): .float32
        case (3, 64): .float64
        default: nil
        }
    }

    private static func hex(_ body: UnsafeRawBufferPointer, count: Int) -> String {
        body.prefix(count).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined(separator: " ")
    }

    /// The body with the file's byte order, every read checked against its end.
    private struct Bytes {
        let body: UnsafeRawBufferPointer
        let bigEndian: Bool

        func u16(at offset: Int, what: String = "TIFF field") throws(TiffError) -> UInt16 {
            guard offset >= 0, offset <= body.count - 2 else {
                throw TiffError("TIFF \(what) at \(offset) lies outside the \(body.count)-byte body")
            }
            let a = UInt16(body[offset]), b = UInt16(body[offset + 1])
            return bigEndian ? a << 8 | b : b << 8 | a
        }

        func u32(at offset: Int) throws(TiffError) -> UInt32 {
            guard offset >= 0, offset <= body.count - 4 else {
                throw TiffError("TIFF field at \(offset) lies outside the \(body.count)-byte body")
            }
            var value: UInt32 = 0
            for i in 0..<4 {
                let byte = UInt32(body[offset + (bigEndian ? i : 3 - i)])
                value = value << 8 | byte
            }
            return value
        }
    }
}
