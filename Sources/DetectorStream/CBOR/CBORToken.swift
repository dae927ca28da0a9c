/// One data item head as `CBORReader.next()` meets it (RFC 8949 §3). Strings are positions in
/// the reader's input, never copies. A plain value, produced on whatever thread reads.
public enum CBORToken: Sendable, Equatable {
    case unsigned(UInt64)
    /// A negative integer whose value is -1 - n (n can be 2^64 - 1, beyond Int64).
    case negative(UInt64)
    /// A definite-length byte string: where its bytes lie in the input.
    case bytes(Range<Int>)
    /// A definite-length text string (UTF-8, not yet validated): where its bytes lie in the input.
    case text(Range<Int>)
    /// An indefinite-length byte string begins: definite byte-string chunks follow, then `.breakMark`.
    case bytesStart
    /// An indefinite-length text string begins: definite text chunks follow, then `.breakMark`.
    case textStart
    /// An array of `count` items, or of items up to `.breakMark` when `count` is nil.
    case arrayStart(count: Int?)
    /// A map of `count` key/value pairs, or of pairs up to `.breakMark` when `count` is nil.
    case mapStart(count: Int?)
    /// A tag: its one content item follows.
    case tag(UInt64)
    /// A simple value without a meaning of its own (0–19, 32–255).
    case simple(UInt8)
    case bool(Bool)
    case null
    case undefined
    /// A half, single or double float, widened to Double.
    case float(Double)
    /// The "break" stop code ending an indefinite-length item.
    case breakMark
}
