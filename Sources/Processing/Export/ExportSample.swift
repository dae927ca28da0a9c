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

    /// Writes every value as the little-endian bit pattern of `sample`, in chunks through a
    /// small buffer, so the file is the same on any host byte order. Values of their own type
    /// keep every bit (NaN payloads, -0.0); Doubles written as float32 are rounded to nearest,
    /// and Floats written as float64 are exact.
    func writeLittleEndian(as sample: ExportSample, to file: inout ExportFile) throws(ExportError) {
        switch (self, sample) {
        case let (.float(values), .float32): try Self.write(values, to: &file) { $0.bitPattern }
        case let (.float(values), .float64): try Self.write(values, to: &file) { Double($0).bitPattern }
        case let (.double(values), .float32): try Self.write(values, to: &file) { Float($0).bitPattern }
        case let (.double(values), .float64): try Self.write(values, to: &file) { $0.bitPattern }
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

    /// Zero bytes until `offset` bytes are written (none if already there).
    mutating func zeroFill(upTo offset: Int) {
        assert(offset >= bytes.count, "layout places a field inside the previous one")
        if offset > bytes.count { bytes.append(contentsOf: repeatElement(0, count: offset - bytes.count)) }
    }
}
