import CLinux
import Glibc
import SharedMemory
import Workers

/// The built-in simulator of `view --demo`: `detview simulate` in a child process that
/// connects its PUB socket to the viewer's bound SUB socket.
///
/// Owned by the main actor. It dies with the viewer (`--parent`, PR_SET_PDEATHSIG) and its
/// output goes to /dev/null so it cannot scribble over the screen.
final class SimulatorChild {
    let process: ChildProcess
    private var ended = false

    init(executable: String, endpoint: String, rate: Double) throws {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw SystemError(call: "open(/dev/null)", errno: errno) }
        defer { close(null) }
        process = try ChildProcess.spawn(
            executable: executable,
            arguments: ["detview", "simulate", "--detector", "moench", "--connect", endpoint,
                        "--rate", String(rate), "--parent", String(getpid())],
            environment: ChildProcess.currentEnvironment + ["SWIFT_BACKTRACE=enable=no"],
            descriptors: [(null, 0), (null, 1), (null, 2)])
    }

    var pidfd: Int32 { process.pidfd }

    /// Reaps the child after its pidfd became readable; says how it ended.
    func reap() -> String {
        guard !ended, let cause = process.reap(wait: true) else { return "ended" }
        ended = true
        return cause
    }

    /// Ends the child: SIGTERM, then SIGKILL after a second.
    func stop() {
        guard !ended else { return }
        ended = true
        _ = process.terminate(graceMilliseconds: 1000)
    }
}
