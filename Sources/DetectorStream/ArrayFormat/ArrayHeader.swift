/// An array-1.0 header validated into frame geometry: what `ArrayStreamDecoder` needs to emit a
/// frame. A plain value, built on the receiver thread.
struct ArrayHeader {
    var width: Int
    var height: Int
    var pixelType: PixelType
    var encoding: PayloadEncoding
    var frame: UInt64?
    /// The `htype` form implied x-first order (NDPluginZMQ's `["array-1.0"]`).
    var xFirstByHtype: Bool
    /// The order used, after `transpose`.
    var xFirst: Bool
    var ndattrUnreadable: Bool
    /// `"endianness":"big"` with multi-byte pixels; absent means little-endian (what every
    /// known sender writes: x86 hosts stream their native order).
    var bigEndian: Bool

    /// Element types numpy-based senders may name that have no pixel path here.
    static let unsupportedTypes: Set<String> = ["float16", "float128", "complex64", "complex128", "bool"]

    init(_ h: HtypeHeader, transpose: Bool, maxFrameBytes: Int) throws(StreamError) {
        guard let htype = h.htype else { throw StreamError(.missingKey, "array: header has no \"htype\"") }
        guard htype == "array-1.0" else { throw StreamError(.badValue, "array: htype \"\(htype)\" is not array-1.0") }
        guard let typeName = h.type else { throw StreamError(.missingKey, "array: header has no \"type\"") }
        guard let type = PixelType(name: typeName) else {
            if Self.unsupportedTypes.contains(typeName) {
                throw StreamError(.unsupported, "array: pixel type \(typeName) not supported (uint8–uint64, int8–int64, float32, float64 are)")
            }
            throw StreamError(.badValue, "array: type \"\(typeName)\" is not a known element type (uint8–uint64, int8–int64, float32, float64)")
        }
        bigEndian = false
        if let order = h.endianness, type.bytesPerPixel > 1 {
            switch order {
            case "little", "<", "": break
            case "big", ">": bigEndian = true
            default: throw StreamError(.badValue, "array: endianness \"\(order)\" is not little or big")
            }
        }
        switch h.encoding ?? "" {
        case "", "none", "raw": encoding = .raw
        case "lz4": encoding = .lz4
        case "bslz4": encoding = .bitshuffleLZ4
        case let other: throw StreamError(.unsupported, "array: encoding \"\(other)\" not supported yet")
        }
        guard var shape = h.shape else { throw StreamError(.missingKey, "array: header has no \"shape\"") }
        let written = shape
        while shape.count > 2, let one = shape.firstIndex(of: 1) { shape.remove(at: one) }
        guard (1...2).contains(shape.count), shape.allSatisfy({ $0 > 0 }) else {
            throw StreamError(.badValue, "array: shape \(written) is not a 2-D frame with every axis above 0")
        }
        xFirstByHtype = h.htypeIsArray
        xFirst = xFirstByHtype != transpose
        if shape.count == 1 {
            (width, height) = (shape[0], 1)
        } else {
            (width, height) = xFirst ? (shape[0], shape[1]) : (shape[1], shape[0])
        }
        pixelType = type
        frame = h.frame
        ndattrUnreadable = h.truncatedAtTolerated
        guard let bytes = HeaderBytes.frameBytes(width, height, type.bytesPerPixel), bytes <= maxFrameBytes else {
            throw StreamError(.tooLarge, "array: shape \(written) × \(type.bytesPerPixel) bytes exceeds the \(HeaderBytes.limitText(maxFrameBytes)) frame limit (--max-frame-bytes)")
        }
    }

    func check(dataCount: Int, maxFrameBytes: Int) throws(StreamError) {
        let expected = width * height * pixelType.bytesPerPixel   // bounded by init
        if encoding == .raw {
            guard dataCount == expected else {
                throw StreamError(.sizeMismatch, "array: data part is \(dataCount) bytes, shape and type say \(expected)")
            }
        } else {
            guard dataCount <= maxFrameBytes else {
                throw StreamError(.tooLarge, "array: compressed data part of \(dataCount) bytes exceeds the \(HeaderBytes.limitText(maxFrameBytes)) frame limit (--max-frame-bytes)")
            }
        }
    }
}
