/// A pull reader of CBOR (RFC 8949) over borrowed bytes: `next()` returns one item head at a
/// time. It never copies a string and never trusts a length: every length is checked against the
/// bytes that remain before anything is built from it, so a forged 2^63-byte string is an error,
/// not an allocation. Errors are `StreamError`s naming the byte offset. Used on the receiver
/// thread by the stream v2 decoder; the bytes must outlive the reader.
public struct CBORReader {
    public let bytes: UnsafeRawBufferPointer
    /// Where the next item head starts.
    public internal(set) var offset: Int

    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = min(max(offset, 0), bytes.count)
    }

    public var isAtEnd: Bool { offset >= bytes.count }
    public var remaining: Int { bytes.count - offset }

    /// Reads one item head and, for definite strings, steps over their content.
    public mutating func next() throws(StreamError) -> CBORToken {
        let start = offset
        guard offset < bytes.count else {
            throw StreamError(.truncated, "cbor: input ends at byte \(start), expected an item")
        }
        let initial = bytes[offset]
        offset += 1
        let major = initial >> 5, info = initial & 0x1F
        var argument: UInt64 = 0
        var indefinite = false
        switch info {
        case 0..<24:
            argument = UInt64(info)
        case 24...27:
            let size = 1 << Int(info - 24)
            guard bytes.count - offset >= size else {
                throw StreamError(.truncated, "cbor: input ends inside the \(size)-byte argument of the item at byte \(start)")
            }
            for i in 0..<size { argument = argument << 8 | UInt64(bytes[offset + i]) }
            offset += size
        case 28...30:
            throw StreamError(.badValue, "cbor: reserved additional information \(info) at byte \(start)")
        default:
            indefinite = true
        }
        switch major {
        case 0, 1, 6:
            guard !indefinite else {
                throw StreamError(.badValue, "cbor: major type \(major) cannot have indefinite length (byte \(start))")
            }
            return major == 0 ? .unsigned(argument) : major == 1 ? .negative(argument) : .tag(argument)
        case 2, 3:
            if indefinite { return major == 2 ? .bytesStart : .textStart }
            guard argument <= UInt64(bytes.count - offset) else {
                throw StreamError(.truncated, "cbor: \(major == 2 ? "byte" : "text") string of \(argument) bytes at byte \(start), only \(bytes.count - offset) remain")
            }
            let range = offset..<(offset + Int(argument))
            offset = range.upperBound
            return major == 2 ? .bytes(range) : .text(range)
        case 4, 5:
            if indefinite { return major == 4 ? .arrayStart(count: nil) : .mapStart(count: nil) }
            // Every item takes at least one byte: a count beyond that is a lie, caught before
            // anyone reserves storage for it.
            let perItem: UInt64 = major == 4 ? 1 : 2
            guard argument <= UInt64(bytes.count - offset) / perItem else {
                throw StreamError(.truncated, "cbor: \(major == 4 ? "array" : "map") of \(argument) \(major == 4 ? "items" : "pairs") at byte \(start), only \(bytes.count - offset) bytes remain")
            }
            return major == 4 ? .arrayStart(count: Int(argument)) : .mapStart(count: Int(argument))
        default:
            return try simpleOrFloat(info: info, argument: argument, start: start)
        }
    }

    private func simpleOrFloat(info: UInt8, argument: UInt64, start: Int) throws(StreamError) -> CBORToken {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 23: return .undefined
        case 24:
            guard argument >= 32 else {
                throw StreamError(.badValue, "cbor: simple value \(argument) in two bytes at byte \(start)")
            }
            return .simple(UInt8(argument))
        case 25: return .float(Self.halfToDouble(UInt16(argument)))
        case 26: return .float(Double(Float(bitPattern: UInt32(argument))))
        case 27: return .float(Double(bitPattern: argument))
        case 31: return .breakMark
        default: return .simple(info)
        }
    }

    /// IEEE 754 binary16, decoded by hand: Float16 is not on every platform Swift runs on.
    static func halfToDouble(_ half: UInt16) -> Double {
        let exponent = Int(half >> 10) & 0x1F
        let mantissa = Double(half & 0x3FF)
        let magnitude: Double
        switch exponent {
        case 0: magnitude = mantissa * 0x1p-24
        case 31: magnitude = mantissa == 0 ? .infinity : .nan
        default: magnitude = (1024 + mantissa) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
        }
        return half & 0x8000 != 0 ? -magnitude : magnitude
    }
}
