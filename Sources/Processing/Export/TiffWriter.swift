/// Lays out a baseline little-endian TIFF 6.0 file ("II", 42) holding one grayscale image of
/// 32-bit IEEE floating-point samples (SampleFormat 3), uncompressed, in strips of whole rows.
/// Always 32 bits, also for Double pixels (rounded to the nearest Float): that is what every
/// TIFF reader takes (Pillow has no 64-bit float mode); .npy keeps Doubles exact. File order: the 8-byte header, the one IFD, the values that do not
/// fit in an IFD entry, then the pixel data at a 16-byte boundary. Classic TIFF offsets are
/// 32 bits, so a layout over 4 GiB - 1 bytes is refused. A value type with no state: safe on any
/// thread.
public struct TiffWriter: Sendable {
    public let width: Int
    public let height: Int
    public let rowsPerStrip: Int
    /// The ImageDescription text as written: non-ASCII characters and NUL become "?".
    public let description: String
    /// Where the pixel data starts; every byte before it is `header`.
    public let dataOffset: Int
    public let fileSize: UInt64

    /// Field types of TIFF 6.0, section 2.
    enum FieldType: UInt16 {
        case ascii = 2, short = 3, long = 4, rational = 5
    }

    /// Tags used here (TIFF 6.0 appendix A), in the ascending order an IFD requires.
    enum Tag: UInt16 {
        case imageWidth = 256, imageLength = 257, bitsPerSample = 258, compression = 259
        case photometricInterpretation = 262, imageDescription = 270, stripOffsets = 273
        case samplesPerPixel = 277, rowsPerStrip = 278, stripByteCounts = 279
        case xResolution = 282, yResolution = 283, planarConfiguration = 284
        case resolutionUnit = 296, sampleFormat = 339
    }

    /// A strip of about this many bytes: small enough for any reader, few enough strips that the
    /// offset tables stay small.
    static let stripBytesTarget = 256 * 1024

    /// - Parameter rowsPerStrip: rows in each strip (the last may be shorter), clamped to
    ///   1...height; nil picks strips of about 256 KiB.
    /// Bytes per sample: IEEE 754 binary32.
    static let sampleBytes = 4

    public init(width: Int, height: Int, description: String = "", rowsPerStrip: Int? = nil) throws(ExportError) {
        _ = try ExportError.pixelCount(width: width, height: height, bytesPerPixel: Self.sampleBytes)
        self.width = width
        self.height = height
        self.description = String(String.UnicodeScalarView(description.unicodeScalars.map {
            $0.isASCII && $0 != "\0" ? $0 : "?"
        }))
        let rowBytes = width * Self.sampleBytes
        let rows = rowsPerStrip ?? Self.stripBytesTarget / max(1, rowBytes)
        self.rowsPerStrip = min(max(rows, 1), height)

        // Sizes in UInt64: a width near Int.max must give tooLargeForTiff, not an overflow.
        let layout = Self.extraLayout(entries: Self.entryCount(description: self.description),
                                      descriptionBytes: self.description.utf8.count + 1,
                                      strips: (height + self.rowsPerStrip - 1) / self.rowsPerStrip)
        let dataOffset = (layout.end + 15) / 16 * 16
        let total = UInt64(dataOffset) + UInt64(width) * UInt64(height) * UInt64(Self.sampleBytes)
        guard total <= UInt64(UInt32.max) else { throw .tooLargeForTiff(bytes: total) }
        self.dataOffset = dataOffset
        self.fileSize = total
    }

    var stripCount: Int { (height + rowsPerStrip - 1) / rowsPerStrip }

    /// Everything before the pixel data.
    public var header: [UInt8] {
        let rowBytes = width * Self.sampleBytes
        let stripBytes = rowsPerStrip * rowBytes
        let strips = stripCount
        let descriptionBytes = Array(description.utf8) + [0]
        let entries = Self.entryCount(description: description)
        let layout = Self.extraLayout(entries: entries, descriptionBytes: descriptionBytes.count, strips: strips)
        let stripOffsets = (0..<strips).map { UInt32(dataOffset + $0 * stripBytes) }
        let stripByteCounts = (0..<strips).map { UInt32(min(stripBytes, (height - $0 * rowsPerStrip) * rowBytes)) }

        var bytes = LittleEndianBytes()
        bytes.append(contentsOf: Array("II".utf8))
        bytes.append(UInt16(42))
        bytes.append(UInt32(8))

        bytes.append(UInt16(entries))
        func entry(_ tag: Tag, _ type: FieldType, count: Int = 1, _ value: UInt32) {
            bytes.append(tag.rawValue)
            bytes.append(type.rawValue)
            bytes.append(UInt32(count))
            // SHORT values sit in the first two bytes of the field, which little-endian gives.
            bytes.append(value)
        }
        /// The value itself when `count` LONGs fit in four bytes, else where they are.
        func inlineOrOffset(_ values: [UInt32], at offset: Int) -> UInt32 {
            values.count == 1 ? values[0] : UInt32(offset)
        }
        entry(.imageWidth, .long, UInt32(width))
        entry(.imageLength, .long, UInt32(height))
        entry(.bitsPerSample, .short, UInt32(Self.sampleBytes * 8))
        entry(.compression, .short, 1)
        entry(.photometricInterpretation, .short, 1)
        if !description.isEmpty {
            let inline = descriptionBytes.count <= 4
            let packed = descriptionBytes.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            entry(.imageDescription, .ascii, count: descriptionBytes.count,
                  inline ? packed : UInt32(layout.description))
        }
        entry(.stripOffsets, .long, count: strips, inlineOrOffset(stripOffsets, at: layout.stripOffsets))
        entry(.samplesPerPixel, .short, 1)
        entry(.rowsPerStrip, .long, UInt32(rowsPerStrip))
        entry(.stripByteCounts, .long, count: strips, inlineOrOffset(stripByteCounts, at: layout.stripByteCounts))
        entry(.xResolution, .rational, UInt32(layout.xResolution))
        entry(.yResolution, .rational, UInt32(layout.yResolution))
        entry(.planarConfiguration, .short, 1)
        entry(.resolutionUnit, .short, 1)
        entry(.sampleFormat, .short, 3)
        bytes.append(UInt32(0))

        // Out-of-line values, each at the offset extraLayout gave it.
        for offset in [layout.xResolution, layout.yResolution] {
            bytes.zeroFill(upTo: offset)
            bytes.append(UInt32(1))
            bytes.append(UInt32(1))
        }
        if descriptionBytes.count > 4 {
            bytes.zeroFill(upTo: layout.description)
            bytes.append(contentsOf: descriptionBytes)
        }
        if strips > 1 {
            bytes.zeroFill(upTo: layout.stripOffsets)
            stripOffsets.forEach { bytes.append($0) }
            bytes.zeroFill(upTo: layout.stripByteCounts)
            stripByteCounts.forEach { bytes.append($0) }
        }
        bytes.zeroFill(upTo: dataOffset)
        return bytes.bytes
    }

    func write(_ pixels: ExportPixels, to file: inout ExportFile) throws(ExportError) {
        try file.write(header)
        try pixels.writeLittleEndian(as: .float32, to: &file)
    }

    static func entryCount(description: String) -> Int {
        description.isEmpty ? 14 : 15
    }

    /// Offsets of the out-of-line values after the IFD, each on a 4-byte boundary of the file
    /// (TIFF asks for 2), and where they end. The resolution is 1/1 with no unit: baseline
    /// readers want the fields, a detector image has no physical size.
    static func extraLayout(entries: Int, descriptionBytes: Int, strips: Int)
        -> (xResolution: Int, yResolution: Int, description: Int, stripOffsets: Int, stripByteCounts: Int, end: Int)
    {
        func aligned(_ offset: Int) -> Int { (offset + 3) / 4 * 4 }
        let xResolution = aligned(8 + 2 + 12 * entries + 4)
        let yResolution = xResolution + 8
        let description = yResolution + 8
        let stripOffsets = aligned(description + (descriptionBytes > 4 ? descriptionBytes : 0))
        let tableBytes = strips > 1 ? 4 * strips : 0
        let stripByteCounts = stripOffsets + tableBytes
        return (xResolution, yResolution, description, stripOffsets, stripByteCounts, stripByteCounts + tableBytes)
    }
}
