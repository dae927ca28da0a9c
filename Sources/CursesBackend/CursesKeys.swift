import CNCursesW
import TerminalUI

/// Decodes what `wget_wch` returns into `Key`s.
enum CursesKeys {
    /// A key code (`wget_wch` returned KEY_CODE_YES); nil for keys the viewer does not use.
    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case Int32(KEY_UP): return .up
        case Int32(KEY_DOWN): return .down
        case Int32(KEY_LEFT): return .left
        case Int32(KEY_RIGHT): return .right
        case Int32(KEY_SLEFT): return .shiftLeft
        case Int32(KEY_SRIGHT): return .shiftRight
        case Int32(KEY_SR): return .shiftUp
        case Int32(KEY_SF): return .shiftDown
        case Int32(KEY_PPAGE): return .pageUp
        case Int32(KEY_NPAGE): return .pageDown
        case Int32(KEY_HOME): return .home
        case Int32(KEY_END): return .end
        case Int32(KEY_ENTER): return .enter
        case Int32(KEY_BACKSPACE): return .backspace
        case Int32(KEY_DC): return .delete
        case dv_key_resize(): return .resize
        case Int32(KEY_F0) + 1...Int32(KEY_F0) + 63: return .function(Int(code - Int32(KEY_F0)))
        default: return nil
        }
    }
}
