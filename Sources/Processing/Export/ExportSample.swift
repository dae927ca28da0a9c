/// The sample type of a saved image: IEEE 754 binary32 or binary64, stored little-endian.
public enum ExportSample: Sendable, Equatable {
    case float32
    case float64

    public var byteCount: Int {
        switch self {
        case .float32: 4
        case .float64: 8
        }
    }
}

/// The pixels handed to a writer, borrowed for the duration of one `ImageFileWriter.write`.
enum ExportPixels {
    case float(UnsafeBufferPointer<Float>)
    case double(UnsafeBufferPointer<Double>)

    var count: Int {
        switch self {
        case let .float(values): values.count
        case let .double(values): values.count
        }
    }

    var sample: ExportSample {
        switch self {
        case .float: .float32
        case .double: .float64
        }
    }

    /// Writes every value as its little-endian bit pattern (NaN payloads and -0.0 kept), in
    /// chunks through a small buffer, so the file is the same on any host byte order.
    func writeLittleEndian(to file: inout ExportFile) throws(ExportError) {
        switch self {
        case let .float(values): try Self.write(values, to: &file) { $0.bitPattern }
        case let .double(values): try Self.write(values, to: &file) { $0.bitPattern }
        }
    }

    private static func write<Value, Bits: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<Value>, to file: inout ExportFile, bits: (Value) -> Bits
    ) throws(ExportError) {
        let chunk = min(values.count, 1 << 15)
        guard chunk > 0 else { return }
        let scratch = UnsafeMutableBufferPointer<Bits>.allocate(capacity: chunk)
        defer { scratch.deallocate() }
        var start = 0
        while start < values.count {
            let n = min(chunk, values.count - start)
            for i in 0..<n { scratch[i] = bits(values[start + i]).littleEndian }
            try file.write(UnsafeRawBufferPointer(start: scratch.baseAddress, count: n * MemoryLayout<Bits>.size))
            start += n
        }
    }
}

/// A byte array built field by field in little-endian order (file headers).
struct LittleEndianBytes {
    private(set) var bytes: [UInt8] = []

    var count: Int { bytes.count }

    mutating func append(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func append(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func append<S: Sequence<UInt8>>(contentsOf more: S) { bytes.append(contentsOf: more) }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// Zero bytes up to the next multiple of `alignment`.
    mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }
}
