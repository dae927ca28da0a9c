/// A CBOR data item as a small tree, for message metadata (stream v2 start, image and end
/// maps). Byte strings stay in the input: they are held as ranges of it, so a multi-megabyte
/// pixel array costs nothing to "read". The self-describe tag 55799 is dropped while reading;
/// other tags are kept for the caller to interpret. A plain value; the ranges mean something
/// only with the buffer it was read from.
public enum CBORValue: Sendable, Equatable {
    case unsigned(UInt64)
    /// -1 - n.
    case negative(UInt64)
    /// A definite byte string: where it lies in the input.
    case bytes(Range<Int>)
    /// An indefinite byte string: its chunks, in order, as ranges of the input.
    case chunkedBytes([Range<Int>])
    case text(String)
    case array([CBORValue])
    case map([CBORPair])
    indirect case tagged(UInt64, CBORValue)
    case simple(UInt8)
    case bool(Bool)
    case null
    case undefined
    case float(Double)

    /// The value of the first pair whose key is the text `key`.
    public subscript(key: String) -> CBORValue? {
        guard case .map(let pairs) = self else { return nil }
        for pair in pairs {
            if case .text(let k) = pair.key, k == key { return pair.value }
        }
        return nil
    }

    public var uint64: UInt64? {
        if case .unsigned(let n) = self { return n }
        return nil
    }

    /// An integer that fits Int.
    public var int: Int? {
        switch self {
        case .unsigned(let n): return n <= UInt64(Int.max) ? Int(n) : nil
        case .negative(let n): return n < UInt64(Int.max) ? -1 - Int(n) : nil
        default: return nil
        }
    }

    /// Any number as a Double (integers rounded when beyond 2^53).
    public var double: Double? {
        switch self {
        case .unsigned(let n): return Double(n)
        case .negative(let n): return -1 - Double(n)
        case .float(let x): return x
        default: return nil
        }
    }

    public var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    /// The bytes' position for a definite byte string, or the chunks of an indefinite one.
    public var byteRanges: [Range<Int>]? {
        switch self {
        case .bytes(let r): return [r]
        case .chunkedBytes(let chunks): return chunks
        default: return nil
        }
    }

    /// A short name of the kind of item, for error messages.
    public var kindName: String {
        switch self {
        case .unsigned, .negative: "integer"
        case .bytes, .chunkedBytes: "byte string"
        case .text: "text"
        case .array: "array"
        case .map: "map"
        case .tagged(let tag, _): "tag \(tag)"
        case .simple: "simple value"
        case .bool: "bool"
        case .null: "null"
        case .undefined: "undefined"
        case .float: "float"
        }
    }
}

/// One key/value pair of a CBOR map, in the order written (duplicates kept).
public struct CBORPair: Sendable, Equatable {
    public var key: CBORValue
    public var value: CBORValue

    public init(_ key: CBORValue, _ value: CBORValue) {
        self.key = key
        self.value = value
    }
}
