#if canImport(Glibc)
import Glibc
#endif

/// The terminal modes ncurses' `cbreak`, `noecho` and `nonl` would set, set by us.
///
/// ncurses sets modes on the descriptor of its output stream, which is now the pipe of
/// `TerminalOutputPump`; so the keyboard's modes are set on the terminal here, and put back
/// exactly as found. Owned by `CursesTerminal` (main thread).
struct KeyboardModes {
    private let fd: Int32
    private var saved: termios?

    init(fd: Int32) { self.fd = fd }

    /// Keys one at a time (signals still generated), no echo, no CR→NL, and no output
    /// translation of NL or tabs (ncurses moves the cursor assuming none). Called again after
    /// Ctrl-Z and `fg` (the shell may have put its own modes back); the modes found the first
    /// time are the ones `restore` puts back.
    mutating func enter() {
        var current = termios()
        guard tcgetattr(fd, &current) == 0 else { return }
        if saved == nil { saved = current }
        var raw = current
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ECHONL)
        raw.c_iflag &= ~tcflag_t(ICRNL | INLCR | IGNCR)
        raw.c_oflag &= ~tcflag_t(ONLCR | TABDLY)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        _ = tcsetattr(fd, TCSADRAIN, &raw)
    }

    /// The modes found first (what `restore` puts back), if the terminal had any.
    var original: termios? { saved }

    func restore() {
        guard var saved else { return }
        _ = tcsetattr(fd, TCSADRAIN, &saved)
    }
}
