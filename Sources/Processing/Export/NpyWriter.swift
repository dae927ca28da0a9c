/// Lays out a NumPy .npy file, format version 1.0, for a row-major `height × width` image:
/// the magic `\x93NUMPY`, version 1 0, a little-endian UInt16 header length, the header dict
/// (`descr`, `fortran_order`, `shape`) padded with spaces and ended by "\n" so that the data
/// starts at a multiple of 64 bytes, then the raw little-endian samples. `numpy.load` reads it
/// as an array of shape (height, width). A value type with no state: safe on any thread.
public struct NpyWriter: Sendable {
    public let width: Int
    public let height: Int
    public let sample: ExportSample

    /// The alignment NumPy gives the data (its ARRAY_ALIGN), so the file can be memory-mapped.
    static let alignment = 64

    public init(width: Int, height: Int, sample: ExportSample) throws(ExportError) {
        _ = try ExportError.pixelCount(width: width, height: height, bytesPerPixel: sample.byteCount)
        self.width = width
        self.height = height
        self.sample = sample
    }

    /// Everything before the data: preamble, header dict, padding and the final newline.
    public var header: [UInt8] {
        let descr = switch sample {
        case .float32: "<f4"
        case .float64: "<f8"
        }
        // NumPy writes the keys sorted, each followed by ", " (also the last one).
        let dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(height), \(width)), }"
        let preamble = 6 + 2 + 2
        let unpadded = preamble + dict.utf8.count + 1
        let padding = (Self.alignment - unpadded % Self.alignment) % Self.alignment
        var bytes = LittleEndianBytes()
        bytes.append(contentsOf: [0x93] + Array("NUMPY".utf8) + [1, 0])
        // At most ~100 bytes for any Int sizes: always fits version 1.0's UInt16.
        bytes.append(UInt16(dict.utf8.count + padding + 1))
        bytes.append(contentsOf: dict.utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        bytes.append(UInt8(ascii: "\n"))
        return bytes.bytes
    }

    /// Header plus data, in bytes.
    public var fileSize: UInt64 {
        UInt64(header.count) + UInt64(width) * UInt64(height) * UInt64(sample.byteCount)
    }

    func write(_ pixels: ExportPixels, to file: inout ExportFile) throws(ExportError) {
        try file.write(header)
        try pixels.writeLittleEndian(as: sample, to: &file)
    }
}
