/// A JSON number as written: the exact integer when it is one, and its Double value always.
public struct JSONNumber: Sendable, Equatable {
    public var double: Double
    /// Set when the literal is a non-negative integer that fits 64 bits.
    public var unsigned: UInt64?
    /// Set when the literal is an integer that fits a signed 64-bit value.
    public var signed: Int64?

    public init(double: Double, unsigned: UInt64? = nil, signed: Int64? = nil) {
        self.double = double
        self.unsigned = unsigned
        self.signed = signed
    }
}

/// One `"key": value` of an object, in the order it was written (duplicates kept).
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON document as `JSONReader.readValue()` builds it. For headers with a known layout, prefer
/// `JSONReader.readObject` which visits members without building a tree.
public indirect enum JSONValue: Sendable, Equatable {
    case object([JSONMember])
    case array([JSONValue])
    case number(JSONNumber)
    case string(String)
    case bool(Bool)
    case null

    /// The first member named `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }
}
