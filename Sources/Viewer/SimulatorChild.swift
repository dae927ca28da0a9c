import Glibc
import Platform

/// The built-in simulator of `view --demo`: `detview simulate` in a child process that
/// connects its PUB socket to the viewer's bound SUB socket.
///
/// Owned by the main actor. It dies with the viewer (`--parent`, PR_SET_PDEATHSIG; spawned by
/// Platform's long-lived spawner thread, so an idle viewer keeps it) and its output goes to
/// /dev/null so it cannot scribble over the screen.
final class SimulatorChild {
    private var process: ChildProcess

    init(executable: String, endpoint: String, rate: Double, seed: UInt64, detector: DemoDetector) throws {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw SystemCallError.last("open(/dev/null)") }
        defer { close(null) }
        process = try ChildProcess.spawn(
            executable: executable,
            arguments: ["detview", "simulate", "--connect", endpoint,
                        "--rate", String(rate), "--seed", String(seed), "--parent", String(getpid())]
                + detector.simulatorArguments,
            environment: ChildProcess.currentEnvironment + ["SWIFT_BACKTRACE=enable=no"],
            descriptors: [(null, 0), (null, 1), (null, 2)])
    }

    var pid: pid_t { process.pid }
    var pidfd: Int32 { process.pidfd }

    /// Reaps the child after its pidfd became readable; says how it ended.
    func reap() -> String {
        process.reap(wait: true) ?? "ended"
    }

    /// Ends the child: SIGTERM, then SIGKILL after a second (nothing if it was reaped already).
    func stop() {
        _ = process.terminate(graceMilliseconds: 1000)
    }
}
