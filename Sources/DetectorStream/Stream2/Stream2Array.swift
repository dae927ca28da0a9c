/// One stream v2 array (an image channel, a pixel mask) as its tags describe it: shape, element
/// type, compression, and where its still-encoded bytes lie in the message. Built from a
/// `CBORValue` by peeling tag 40 / 1040 (multi-dimensional), an RFC 8746 typed-array tag and
/// the DECTRIS compression tag 56500; no pixel is touched. A plain value, receiver thread.
public struct Stream2Array: Sendable, Equatable {
    /// Dimensions as written, slowest first ([height, width] for a row-major image); nil
    /// without a tag 40 / 1040.
    public var dims: [Int]?
    /// Tag 1040: the elements are stored column-major.
    public var columnMajor: Bool
    /// The typed-array tag's element type; nil when the byte string carries none.
    public var kind: CBORTypedArrayKind?
    /// Tag 56500's content; nil for an uncompressed array.
    public var compression: Compression?
    /// The array's bytes (compressed or raw) as ranges of the message: one range unless the
    /// byte string was sent in chunks.
    public var ranges: [Range<Int>]

    /// The DECTRIS compression tag's algorithm ("bslz4", "lz4") and element size (0 for lz4).
    public struct Compression: Sendable, Equatable {
        public var algorithm: String
        public var elementSize: Int

        public init(algorithm: String, elementSize: Int) {
            self.algorithm = algorithm
            self.elementSize = elementSize
        }
    }

    public static let multiDimensionalTag: UInt64 = 40
    public static let columnMajorTag: UInt64 = 1040
    public static let compressionTag: UInt64 = 56500

    public var byteCount: Int { ranges.reduce(0) { $0 + $1.count } }

    public init(dims: [Int]?, columnMajor: Bool = false, kind: CBORTypedArrayKind?,
                compression: Compression?, ranges: [Range<Int>]) {
        self.dims = dims
        self.columnMajor = columnMajor
        self.kind = kind
        self.ranges = ranges
        self.compression = compression
    }

    /// `what` names the array in errors ("channel threshold_1").
    public init(_ value: CBORValue, what: String) throws(StreamError) {
        dims = nil
        columnMajor = false
        kind = nil
        ranges = []
        compression = nil
        var current = value
        if case .tagged(let tag, let content) = current, tag == Self.multiDimensionalTag || tag == Self.columnMajorTag {
            guard case .array(let parts) = content, parts.count == 2, case .array(let dimValues) = parts[0] else {
                throw StreamError(.badValue, "stream2: \(what): tag \(tag) must hold [[dims], array], found \(content.kindName)")
            }
            var dims: [Int] = []
            for d in dimValues {
                guard let n = d.int, n >= 0 else {
                    throw StreamError(.badValue, "stream2: \(what): dimension is \(d.kindName), not a non-negative integer")
                }
                dims.append(n)
            }
            self.dims = dims
            columnMajor = tag == Self.columnMajorTag
            current = parts[1]
        }
        if case .tagged(let tag, let content) = current, let kind = CBORTypedArrayKind(tag: tag) {
            self.kind = kind
            current = content
        }
        if case .tagged(let tag, let content) = current, tag == Self.compressionTag {
            guard case .array(let parts) = content, parts.count == 3, let algorithm = parts[0].text,
                  let elementSize = parts[1].int, let ranges = parts[2].byteRanges else {
                throw StreamError(.badValue, "stream2: \(what): tag 56500 must hold [algorithm, element size, bytes]")
            }
            compression = Compression(algorithm: algorithm, elementSize: elementSize)
            self.ranges = ranges
            return
        }
        if let ranges = current.byteRanges {
            self.ranges = ranges
            return
        }
        if case .tagged(let tag, _) = current {
            throw StreamError(.unsupported, "stream2: \(what): unknown tag \(tag) inside the array")
        }
        throw StreamError(.badValue, "stream2: \(what): expected a byte string, found \(current.kindName)")
    }
}
