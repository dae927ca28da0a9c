import CLinux

/// Makes SIGINT, SIGTERM and SIGHUP end the viewer promptly even while nothing reads its
/// terminal (a frozen SSH session, XOFF). The event loop acts on signals on the main thread,
/// which also writes the screen; a `write()` to a terminal whose reader stopped blocks, so the
/// loop never sees the signal. The watchdog lives in the signal handlers instead (no thread,
/// only async-signal-safe calls): the first quit signal starts an alarm; if, when it rings, the
/// main thread is still inside a terminal write, the termios saved at `install` is put back
/// (an ioctl, it does not wait for the reader), the queued output is dropped, a reset is
/// written only if it fits without waiting, every child `ChildProcess` started is killed, and
/// the process exits with 128 + the signal. A quit that is merely slow (children ending) is
/// left alone: the alarm rings again later.
public enum QuitWatchdog {
    /// Call once, after the signal self-pipe exists and before the screen library changes the
    /// terminal on `terminalFD`. False when `terminalFD` is not a terminal.
    @discardableResult
    public static func install(terminalFD: Int32, quitSignals: [Int32], seconds: Int32 = 1) -> Bool {
        dv_install_quit_watchdog(terminalFD, quitSignals, Int32(quitSignals.count), seconds) == 0
    }

    /// The terminal has been given back: nothing left to guard (a long save may follow).
    public static func disarm() {
        dv_disarm_quit_watchdog()
    }

    /// Runs `body`, which writes the terminal and may block there, marked as such for the watchdog.
    public static func writingTerminal<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        dv_terminal_write_begin()
        defer { dv_terminal_write_end() }
        return try body()
    }
}
