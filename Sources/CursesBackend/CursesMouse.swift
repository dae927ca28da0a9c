import CNCursesW
import TerminalUI

/// Mouse reporting: left clicks and the wheel, as `Key.mouse`, SGR-encoded (mode 1006) so that
/// columns beyond 223 work.
///
/// The reports are decoded here, not by ncurses: ncurses' own decoder (`KEY_MOUSE`, `getmouse`)
/// reads the rest of a report with a blocking `read` on the terminal, past what its key lookup
/// has already buffered, and a press followed at once by its release left the viewer's main
/// thread blocked until the next key. So the terminal is asked for reports directly, ncurses'
/// `KEY_MOUSE` is switched off, the report's prefix `ESC [ <` is a key of our own (`prefixCode`)
/// and the rest ("b;x;yM") arrives as plain characters for `SGRMouseReport`, without ever
/// blocking. Used by `CursesTerminal` on the main thread: on after `newterm` and after Ctrl-Z and
/// `fg`, off at shutdown and on Ctrl-Z (`StopHandler`).
enum CursesMouse {
    /// Button-event tracking (1000: presses, releases, the wheel) in SGR encoding (1006).
    static let onSequence = "\u{1B}[?1000h\u{1B}[?1006h"
    static let offSequence = "\u{1B}[?1006l\u{1B}[?1000l"
    /// The key code ncurses returns for a report's prefix (far above ncurses' own codes and the
    /// ones it numbers for terminfo's extended keys).
    static let prefixCode: Int32 = 0x6D53

    /// Makes ncurses hand reports on as characters after `prefixCode`.
    static func installPrefix() {
        _ = keyok(Int32(KEY_MOUSE), false)
        _ = define_key("\u{1B}[<", prefixCode)
    }
}

/// One SGR mouse report being read after its prefix: "b;x;y" then M (press) or m (release).
/// A plain value owned by `CursesTerminal`; tested without a terminal.
struct SGRMouseReport {
    private var fields: [Int] = [0]
    private var digits = 0
    /// A report is being read (the prefix came, its final letter not yet).
    private(set) var pending = false

    /// The prefix came: a new report starts.
    mutating func start() {
        fields = [0]
        digits = 0
        pending = true
    }

    enum Step: Equatable {
        /// More characters are wanted.
        case more
        /// The report is complete: the key it means, nil for one the viewer does not use
        /// (a release, motion, other buttons).
        case done(Key?)
        /// Not a report after all: the character ends it and is dropped.
        case invalid
    }

    /// A key that cannot be part of a report came: the report is dropped.
    mutating func cancel() { pending = false }

    /// The next character of the report.
    mutating func feed(_ scalar: UInt32) -> Step {
        guard pending else { return .invalid }
        switch scalar {
        case 0x30...0x39:
            digits += 1
            // Sane terminals send at most 5 digits a field (columns and rows below 100000).
            guard digits <= 6 else { return finish(.invalid) }
            fields[fields.count - 1] = fields[fields.count - 1] * 10 + Int(scalar - 0x30)
            return .more
        case 0x3B:  // ;
            guard fields.count < 3, digits > 0 else { return finish(.invalid) }
            fields.append(0)
            digits = 0
            return .more
        case 0x4D, 0x6D:  // M press, m release
            guard fields.count == 3, digits > 0 else { return finish(.invalid) }
            return finish(.done(scalar == 0x4D ? Self.key(button: fields[0], column: fields[1] - 1, row: fields[2] - 1) : nil))
        default:
            return finish(.invalid)
        }
    }

    private mutating func finish(_ step: Step) -> Step {
        pending = false
        return step
    }

    /// A press's button code: 0 left, 64 wheel up, 65 wheel down; Shift, Alt and Ctrl (4, 8, 16)
    /// do not change what it does; motion (32) and other buttons are not used.
    static func key(button: Int, column: Int, row: Int) -> Key? {
        guard column >= 0, row >= 0 else { return nil }
        let action: MouseEvent.Action
        switch button & ~(4 | 8 | 16) {
        case 0: action = .press
        case 64: action = .wheelUp
        case 65: action = .wheelDown
        default: return nil
        }
        return .mouse(MouseEvent(action, column: column, row: row))
    }
}
