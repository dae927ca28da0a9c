import Glibc
import Platform

/// Delivers SIGINT, SIGTERM, SIGHUP and (with a screen) SIGWINCH and SIGCONT to the event loop through a
/// self-pipe (`Platform.SignalSelfPipe`): the handler only writes the signal number, the loop
/// does the work.
///
/// Create it before the ncurses front end: ncurses installs handlers of its own only for
/// signals still at their default disposition, and ours must win. SIGPIPE is ignored so a
/// closed stdout in headless mode is an error, not a silent death. One per process.
public final class SignalPipe {
    private let pipe: SignalSelfPipe

    public var readFD: Int32 { pipe.readFD }
    public var signals: [Int32] { pipe.signals }
    /// The signals that end the viewer (with status 128 + the signal).
    public static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    public init(includeResize: Bool) throws {
        SignalSelfPipe.ignoreBrokenPipe()
        // SIGCONT (after Ctrl-Z and fg): the terminal may hold anything by then, so the screen
        // is repainted whole, as after a resize. Catching it does not stop the continue.
        pipe = try SignalSelfPipe(signals: Self.quitSignals + (includeResize ? [SIGWINCH, SIGCONT] : []))
    }

    /// The signals that arrived since the last call, in order.
    public func drain() -> [Int32] { pipe.drain() }
}
