/// One terminal cell: a single-width character and its style.
///
/// A Unicode scalar rather than a `Character` keeps a cell small and comparisons cheap, which matters
/// for the per-frame diff; combining marks are dropped by `Buffer.setString` (wide characters are
/// not supported).
public struct Cell: Hashable, Sendable {
    public var symbol: Unicode.Scalar
    public var style: Style

    public init(_ symbol: Unicode.Scalar = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
    }

    /// A space with default colours: what an empty screen holds.
    public static let blank = Cell()
}
