#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-Z while ncurses writes into `TerminalOutputPump`'s pipe.
///
/// ncurses' own SIGTSTP handler leaves the alternate screen by writing into the pipe and then
/// stops the process, drain thread included, before the bytes reach the terminal: the shell's
/// prompt appeared over the heatmap. This handler, installed right after `newterm` in place of
/// ncurses' own, writes the leaving sequence to the terminal itself, puts the
/// keyboard's modes back and stops; `CursesTerminal.resize` (which SIGCONT reaches) enters the
/// alternate screen and the modes again and repaints. Only async-signal-safe calls in the
/// handler (`write`, `tcsetattr`, `kill`); the values it reads are set before it is armed.
///
/// Claimed before `newterm`, not after: ncurses leaves SIGTSTP alone for good when it finds a
/// handler there at start, but when it installed its own it sets SIGTSTP to "ignore" for the
/// length of every `doupdate`, and a Ctrl-Z that came during a paint was lost (seen as a
/// viewer that did not stop, its mouse reports still on).
enum StopHandler {
    nonisolated(unsafe) private static var leave: [UInt8] = []
    nonisolated(unsafe) private static var modes = termios()
    nonisolated(unsafe) private static var ready = false
    /// Set when the process continued after a stop; `takeResumed` reads and clears it.
    nonisolated(unsafe) private static var resumed: sig_atomic_t = 0

    /// Whether the process was stopped and continued since the last call.
    static func takeResumed() -> Bool {
        defer { resumed = 0 }
        return resumed != 0
    }

    /// Takes SIGTSTP before `newterm` (see above). Until `arm`, a stop is a plain stop.
    static func claim() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if StopHandler.ready {
                StopHandler.leave.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
                _ = tcsetattr(0, TCSADRAIN, &StopHandler.modes)
            }
            _ = kill(getpid(), SIGSTOP)   // cannot be blocked: stops here, continues here on SIGCONT
            StopHandler.resumed = 1
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        _ = sigaction(SIGTSTP, &action, nil)
    }

    /// `leave`: what returns the terminal to its normal screen and cursor; `modes`: the
    /// keyboard's modes to put back while stopped. Set before `ready`, which the handler reads.
    static func arm(leave text: String, modes saved: termios) {
        leave = Array(text.utf8)
        modes = saved
        ready = true
    }
}
