/// A terminal colour as widgets ask for it; the backend degrades it to what the terminal can show.
///
/// Value type, owned by whoever builds the cell (render code on the main actor).
public enum Color: Hashable, Sendable {
    /// The terminal's own default foreground or background.
    case `default`
    /// An xterm-256 palette index (0–15 are the user-configurable ANSI colours).
    case indexed(UInt8)
    /// 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)
}
