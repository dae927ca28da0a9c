/// The element type an RFC 8746 typed-array tag (64–87) gives its byte string. A plain value.
public struct CBORTypedArrayKind: Sendable, Equatable, CustomStringConvertible {
    public enum Element: Sendable, Equatable {
        case unsignedInteger, signedInteger, float
    }

    public var element: Element
    public var bytesPerElement: Int
    /// Byte order of multi-byte elements (meaningless for one-byte elements).
    public var littleEndian: Bool
    /// Tag 68: uint8 whose producer clamped values instead of wrapping them; read as uint8.
    public var clamped: Bool

    /// Nil for tags outside 64–87 and for 76, which RFC 8746 reserves.
    public init?(tag: UInt64) {
        guard (64...87).contains(tag) else { return nil }
        // RFC 8746 §2.1: the tag's low five bits are f s e l l (float, signed, little-endian, size).
        let bits = Int(tag - 64)
        let isFloat = bits & 0x10 != 0, signed = bits & 0x08 != 0, little = bits & 0x04 != 0, size = bits & 0x03
        if isFloat {
            element = .float
            bytesPerElement = 2 << size      // 16, 32, 64, 128 bits
            littleEndian = little
            clamped = false
        } else {
            if signed && little && size == 0 { return nil }   // 76 is reserved
            element = signed ? .signedInteger : .unsignedInteger
            bytesPerElement = 1 << size
            // For one-byte integers the e bit means "clamped" (68), not a byte order.
            littleEndian = size == 0 || little
            clamped = !signed && size == 0 && little
        }
    }

    /// "uint16", "int32", "float64"… as numpy and the DECTRIS headers spell them, with a
    /// byte-order mark for multi-byte elements that are big-endian.
    public var description: String {
        let base: String
        switch element {
        case .unsignedInteger: base = "uint\(bytesPerElement * 8)"
        case .signedInteger: base = "int\(bytesPerElement * 8)"
        case .float: base = "float\(bytesPerElement * 8)"
        }
        return bytesPerElement > 1 && !littleEndian ? "big-endian " + base : base
    }

    /// The pixel type of these elements; nil for float16 and float128, which no pixel path reads.
    public var pixelType: PixelType? {
        switch (element, bytesPerElement) {
        case (.unsignedInteger, 1): .uint8
        case (.unsignedInteger, 2): .uint16
        case (.unsignedInteger, 4): .uint32
        case (.unsignedInteger, 8): .uint64
        case (.signedInteger, 1): .int8
        case (.signedInteger, 2): .int16
        case (.signedInteger, 4): .int32
        case (.signedInteger, 8): .int64
        case (.float, 4): .float32
        case (.float, 8): .float64
        default: nil
        }
    }

    /// True when the elements are multi-byte and big-endian: the worker must swap them.
    public var isBigEndian: Bool { bytesPerElement > 1 && !littleEndian }

    /// The RFC 8746 tag for pixels of `type` in the given byte order (one-byte types have a
    /// single tag, 64 or 72, whatever the order): 64–67, 69–71 unsigned, 72–75, 77–79 signed,
    /// 81–82, 85–86 float.
    public static func tag(for type: PixelType, bigEndian: Bool) -> UInt64 {
        // RFC 8746 §2.1: 0b010_f_s_e_ll, e = 1 for little-endian, ll = log2(bytes) (floats: bytes / 2).
        let float: UInt64 = type.isFloat ? 1 : 0
        let signed: UInt64 = type.isSigned ? 1 : 0
        let bytes = type.bytesPerPixel
        let size = UInt64((type.isFloat ? bytes / 2 : bytes).trailingZeroBitCount)
        let little: UInt64 = bytes == 1 || bigEndian ? 0 : 1
        return 64 | float << 4 | signed << 3 | little << 2 | size
    }
}
