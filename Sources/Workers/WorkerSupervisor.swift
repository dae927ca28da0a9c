import CLinux
import Glibc
import SharedMemory

/// Starts the worker processes, notices their deaths through pidfds, returns the slots a dead
/// worker held, and starts a replacement.
///
/// Owned by the viewer's main thread: PR_SET_PDEATHSIG fires when the *thread* that spawned a
/// worker exits, so spawning from the long-lived main thread keeps the workers alive exactly
/// as long as the viewer.
public final class WorkerSupervisor {
    /// One running worker process.
    public struct Handle: Sendable, Equatable {
        public let index: Int
        public let process: ChildProcess
        public var pid: pid_t { process.pid }
        public var pidfd: Int32 { process.pidfd }
    }

    /// What happened when a worker exited.
    public struct ExitReport: Sendable, Equatable {
        public let index: Int
        public let pid: pid_t
        public let cause: String
        public let reclaimedSlots: Int
        public let replacement: Handle?
    }

    public let executable: String
    public let count: Int
    public private(set) var handles: [Handle?]
    public private(set) var restarts = 0
    private let region: DetviewRegion
    private let notifyFD: Int32
    private var policy = RestartPolicy()

    public init(executable: String = "/proc/self/exe", count: Int, region: DetviewRegion, notifyFD: Int32) {
        self.executable = executable
        self.count = count
        self.region = region
        self.notifyFD = notifyFD
        self.handles = Array(repeating: nil, count: count)
    }

    public func startAll() throws(SystemError) {
        for index in 0..<count where handles[index] == nil {
            handles[index] = try spawn(index: index)
        }
    }

    /// Reaps the worker whose pidfd became readable, frees its slots and starts a new one.
    public func workerExited(index: Int) -> ExitReport? {
        guard index >= 0, index < count, let handle = handles[index],
              let cause = handle.process.reap() else { return nil }   // nil: spurious wake-up
        handles[index] = nil
        let reclaimed = region.ring.reclaim(worker: index)
        region.board.breakLock(heldBy: index)   // it may have died in the middle of a publish
        region.workerStats.setState(worker: index, .exited)
        var replacement: Handle?
        if !region.control.isShuttingDown,
           policy.workerExited(index, at: dv_monotonic_ns()) == .restart {
            replacement = try? spawn(index: index)
            handles[index] = replacement
            if replacement != nil {
                restarts += 1
                region.workerStats.addRestart(worker: index)
            }
        }
        return ExitReport(index: index, pid: handle.pid, cause: cause,
                          reclaimedSlots: reclaimed, replacement: replacement)
    }

    /// Asks every worker to finish, waits up to `timeoutMilliseconds` in all for them, then
    /// kills the rest. Leaves no process behind.
    public func stopAll(timeoutMilliseconds: Int32 = 1000) {
        region.control.requestShutdown()
        region.ring.wakeAll()
        let deadline = dv_monotonic_ns() + UInt64(max(0, timeoutMilliseconds)) * 1_000_000
        for index in 0..<count {
            guard let handle = handles[index] else { continue }
            let now = dv_monotonic_ns()
            let left = now < deadline ? Int32((deadline - now) / 1_000_000) : 0
            _ = handle.process.terminate(signal: nil, graceMilliseconds: left)
            handles[index] = nil
        }
    }

    private func spawn(index: Int) throws(SystemError) -> Handle {
        var environment = ChildProcess.currentEnvironment.filter { !$0.hasPrefix("SWIFT_BACKTRACE=") }
        environment.append("SWIFT_BACKTRACE=enable=no")   // a crashing child must not flood stderr
        let process = try ChildProcess.spawn(
            executable: executable,
            arguments: ["detview", "worker", "--index", String(index), "--parent", String(getpid())],
            environment: environment,
            descriptors: [(region.region.fd, WorkerProcess.regionDescriptor),
                          (notifyFD, WorkerProcess.notifyDescriptor)])
        return Handle(index: index, process: process)
    }
}
