import Foundation
import XCTest

/// Ctrl-Z while the screen is being painted: ncurses ignores SIGTSTP for the length of every
/// `doupdate` when it installed its own handler, so a stop that came during a paint was lost.
/// The viewer claims SIGTSTP before `newterm` (StopHandler), and every stop must take.
final class StopDuringPaintTests: XCTestCase {
    func testEveryCtrlZStopsTheViewerWhileItPaints() throws {
        guard TmuxSession.isAvailable else { throw MissingTestInput("tmux is not installed (scripts/install-deps.sh installs it)") }
        let binary = try DetviewProcess.executable.path
        // The demo at its full rate, unbudgeted: the viewer paints all the time. "; sleep 60"
        // makes the pane's shell the viewer's parent, so the stops are the viewer's own.
        let tmux = TmuxSession(width: 200, height: 60, command:
            "env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=xterm-256color \(binary) view --demo --workers 1 --max-rate 0; sleep 60")
        tmux.waitForScreen("the demo paints") { $0.contains("frames/s") }
        let shell = try XCTUnwrap(pid_t(tmux.format("#{pane_pid}")))
        let pid = try XCTUnwrap(children(of: shell).first, "the viewer under the pane's shell")
        for attempt in 1...20 {
            usleep(useconds_t.random(in: 20_000...80_000))   // somewhere in the paint cycle
            kill(pid, SIGTSTP)
            XCTAssertTrue(eventually(timeout: 5) { processState(pid) == "T" },
                          "stop \(attempt) took (state \(processState(pid) ?? "gone"))")
            kill(pid, SIGCONT)
            XCTAssertTrue(eventually(timeout: 5) { processState(pid) != "T" }, "continued after stop \(attempt)")
        }
        tmux.send("q")
        XCTAssertTrue(eventually(timeout: 10) { !isAlive(pid) }, "q ends the viewer")
    }
}
