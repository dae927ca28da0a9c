/// Which characters widgets may draw: Unicode block and box-drawing characters, or plain ASCII for
/// terminals whose locale is not UTF-8 (where "▀" would turn into a space).
///
/// Chosen once by the backend at start (`CursesTerminal.unicode`) and passed to the widgets.
public enum GlyphSet: Hashable, Sendable {
    case unicode
    case ascii
}
