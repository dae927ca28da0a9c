/// Colours and attributes of one cell.
///
/// Value type; widgets build styles with the chaining helpers (`Style().foreground(.indexed(1)).bolded()`).
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(fg: Color = .default, bg: Color = .default, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// Default colours, no attributes.
    public static let plain = Style()

    public func foreground(_ color: Color) -> Style { var s = self; s.fg = color; return s }
    public func background(_ color: Color) -> Style { var s = self; s.bg = color; return s }
    public func bolded(_ on: Bool = true) -> Style { var s = self; s.bold = on; return s }
    public func dimmed(_ on: Bool = true) -> Style { var s = self; s.dim = on; return s }
    public func reversed(_ on: Bool = true) -> Style { var s = self; s.reverse = on; return s }
    public func underlined(_ on: Bool = true) -> Style { var s = self; s.underline = on; return s }
}
