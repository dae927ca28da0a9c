/// Why a message was rejected. Short enough for the status line, precise enough for the log
/// ("sls: data part is 80000 bytes, header says 320000"). A plain value.
public struct StreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The class of fault, for counting and tests; `message` has the details.
    public enum Kind: Sendable, Equatable {
        /// Not JSON (or not the JSON expected) at all.
        case notJSON
        /// JSON that ends before the value does.
        case truncated
        /// Nesting deeper than the reader allows.
        case tooDeep
        case missingKey
        case badValue
        /// A part's size disagrees with the header.
        case sizeMismatch
        /// A frame larger than `--max-frame-bytes`.
        case tooLarge
        /// A header whose data part never came.
        case missingData
        /// A data part with no header, or a part too many.
        case unexpectedData
        /// Valid but not handled yet (bitmode 4).
        case unsupported
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
