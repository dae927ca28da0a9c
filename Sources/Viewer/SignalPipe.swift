import Glibc
import Platform

/// Delivers SIGINT, SIGTERM, SIGHUP and (with a screen) SIGWINCH to the event loop through a
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

    public init(includeResize: Bool) throws {
        SignalSelfPipe.ignoreBrokenPipe()
        pipe = try SignalSelfPipe(signals: [SIGINT, SIGTERM, SIGHUP] + (includeResize ? [SIGWINCH] : []))
    }

    /// The signals that arrived since the last call, in order.
    public func drain() -> [Int32] { pipe.drain() }
}
