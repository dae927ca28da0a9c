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
}
