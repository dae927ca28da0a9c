import CLinux

/// The terminal calls the screen code needs from Linux, apart from ncurses.
public enum TerminalControl {
    /// The size of the terminal on `fd` (TIOCGWINSZ), nil when `fd` is not a terminal.
    public static func size(of fd: Int32) -> (rows: Int, columns: Int)? {
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard dv_terminal_size(fd, &rows, &columns) == 0 else { return nil }
        return (Int(rows), Int(columns))
    }

    /// On a crash signal, puts the terminal on `fd` back as it is now (termios, main screen,
    /// visible cursor), says so in one line and dies of the signal. Call before the screen
    /// library changes the terminal; false when `fd` is not a terminal.
    @discardableResult
    public static func restoreOnCrash(fd: Int32) -> Bool {
        dv_install_crash_restore(fd) == 0
    }
}
