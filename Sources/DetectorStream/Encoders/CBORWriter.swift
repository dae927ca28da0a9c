/// Writes CBOR (RFC 8949) items into a growing byte array: the few item kinds DECTRIS stream v2
/// messages need (integers, text, byte strings, arrays, maps, tags, doubles, booleans), always
/// in the shortest head form. Used by `Stream2Encoder` for the simulator and tests; a plain value
/// owned by whoever builds one message.
public struct CBORWriter {
    public private(set) var bytes: [UInt8] = []

    /// The self-describe tag 55799 (`d9 d9 f7`) that real DECTRIS messages start with.
    public static let selfDescribeTag: UInt64 = 55799

    public init(reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func unsigned(_ value: UInt64) { head(major: 0, value) }

    public mutating func int(_ value: Int64) {
        if value >= 0 { head(major: 0, UInt64(value)) } else { head(major: 1, UInt64(-(value + 1))) }
    }

    public mutating func text(_ value: String) {
        let utf8 = Array(value.utf8)
        head(major: 3, UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    public mutating func byteString(_ value: UnsafeRawBufferPointer) {
        head(major: 2, UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func arrayHeader(_ count: Int) { head(major: 4, UInt64(count)) }

    public mutating func mapHeader(_ count: Int) { head(major: 5, UInt64(count)) }

    public mutating func tag(_ tag: UInt64) { head(major: 6, tag) }

    public mutating func bool(_ value: Bool) { bytes.append(value ? 0xF5 : 0xF4) }

    /// A double-precision float (major 7, additional 27), as the DECTRIS encoder writes them.
    public mutating func double(_ value: Double) {
        bytes.append(0xFB)
        appendBigEndian(value.bitPattern, count: 8)
    }

    /// A key and a text value, the common pair of a message map.
    public mutating func pair(_ key: String, _ value: String) { text(key); text(value) }

    private mutating func head(major: UInt8, _ value: UInt64) {
        let m = major << 5
        switch value {
        case 0..<24: bytes.append(m | UInt8(value))
        case 24...0xFF: bytes.append(m | 24); bytes.append(UInt8(value))
        case 0x100...0xFFFF: bytes.append(m | 25); appendBigEndian(value, count: 2)
        case 0x1_0000...0xFFFF_FFFF: bytes.append(m | 26); appendBigEndian(value, count: 4)
        default: bytes.append(m | 27); appendBigEndian(value, count: 8)
        }
    }

    private mutating func appendBigEndian(_ value: UInt64, count: Int) {
        for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }
}
