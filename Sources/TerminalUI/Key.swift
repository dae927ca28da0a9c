/// A key press as the viewer's key map sees it, independent of the terminal library.
///
/// Produced by the backend's `readKeys()` on the main thread. Ctrl-C normally arrives as SIGINT;
/// when the terminal delivers it as byte 0x03 it becomes `.control("c")`.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    /// Shift with an arrow (terminfo's kLFT/kRIT and scroll keys kri/kind, which terminals send
    /// for Shift+↑/↓).
    case shiftUp, shiftDown, shiftLeft, shiftRight
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab
    /// The Delete key (curses KEY_DC).
    case delete
    case resize
    case function(Int)
    case control(Character)
    /// A click or a wheel roll (only while mouse reporting is on: `--mouse`).
    case mouse(MouseEvent)

    /// The key for a character code read from the terminal (not a function-key code): control bytes
    /// become their named keys or `.control(letter)`; nil for a value that is not a Unicode scalar.
    public static func fromCharacterCode(_ code: UInt32) -> Key? {
        switch code {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x00: return .control("@")
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(UInt8(code + 0x60))))
        case 0x1C...0x1F: return .control(Character(Unicode.Scalar(UInt8(code + 0x40))))
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }
}
