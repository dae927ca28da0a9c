import Glibc
import Platform
import SharedMemory
import Synchronization

/// Starts the worker processes, notices their deaths through pidfds, returns the slots a dead
/// worker held, and starts a replacement: thin plumbing that runs the effects of the pure
/// `SupervisorMachine` (which decides) against processes and the shared region.
///
/// Owned by the viewer's main actor. The processes themselves are started by Platform's spawner
/// thread, which lives as long as the viewer: PR_SET_PDEATHSIG fires when the *thread* that
/// spawned a worker exits.
public final class WorkerSupervisor {
    /// One running worker process, as the event loop sees it (the supervisor owns the process).
    public struct Handle: Sendable, Equatable {
        public let index: Int
        public let pid: pid_t
        public let pidfd: Int32
    }

    /// What happened when a worker exited.
    public struct ExitReport: Sendable, Equatable {
        public let index: Int
        public let pid: pid_t
        public let cause: String
        public let reclaimedSlots: Int
        public let replacement: Handle?
    }

    /// Holds a worker's process (not copyable) in the supervisor's table.
    private final class Running {
        var process: ChildProcess
        init(_ process: consuming ChildProcess) { self.process = process }
    }

    /// The `--log` file's descriptor, which every worker started from now on gets as its stderr
    /// (-1: /dev/null). Set by the viewer's `EventLog` when it opens the file, so that neither
    /// a worker's error text nor a Swift runtime trap message ever reaches the terminal the UI
    /// draws on.
    public static let logDescriptor = Atomic<Int32>(-1)

    public let executable: String
    public let count: Int
    public private(set) var handles: [Handle?]
    public var restarts: Int { machine.restarts }
    private var running: [Running?]
    private var machine: SupervisorMachine
    private let region: DetviewRegion
    private let notifyFD: Int32
    /// `--save`: one memfd per worker index, the worker's fd 5 (a replacement gets its index's).
    private let shareFDs: [Int32]

    public init(executable: String = "/proc/self/exe", count: Int, region: DetviewRegion, notifyFD: Int32,
                shareFDs: [Int32] = []) {
        self.executable = executable
        self.count = count
        self.region = region
        self.notifyFD = notifyFD
        self.shareFDs = shareFDs
        self.handles = Array(repeating: nil, count: count)
        self.running = Array(repeating: nil, count: count)
        self.machine = SupervisorMachine(count: count)
    }

    public func startAll() throws(SystemError) {
        for case .spawn(let index) in machine.startAll() {
            try spawn(index: index)
        }
    }

    /// Reaps the worker whose pidfd became readable, frees its slots and starts a new one.
    public func workerExited(index: Int) -> ExitReport? {
        guard index >= 0, index < count, let worker = running[index],
              let cause = worker.process.reap() else { return nil }   // nil: spurious wake-up
        handles[index] = nil
        running[index] = nil
        if region.control.isShuttingDown { _ = machine.handle(.shutdownRequested(at: MonotonicClock.nanoseconds)) }
        var reclaimed = 0
        var replacement: Handle?
        var pid: pid_t = 0
        for effect in machine.handle(.exited(worker: index, cause: cause, at: MonotonicClock.nanoseconds)) {
            switch effect {
            case .reclaimSlots(let worker):
                reclaimed = region.ring.reclaim(worker: worker)
                region.board.breakLock(heldBy: worker)   // it may have died in the middle of a publish
            case .markExited(let worker):
                region.workerStats.setState(worker: worker, .exited)
            case .report(_, let deadPid, _):
                pid = deadPid
            case .spawn(let worker):
                replacement = try? spawn(index: worker)
            case .countRestart, .giveUp:
                break   // countRestart comes from `started`; a given-up worker simply stays down
            }
        }
        return ExitReport(index: index, pid: pid, cause: cause, reclaimedSlots: reclaimed, replacement: replacement)
    }

    /// Asks every worker to finish, waits up to `timeoutMilliseconds` in all for them, then
    /// kills the rest. Leaves no process behind.
    public func stopAll(timeoutMilliseconds: Int32 = 1000) {
        _ = machine.handle(.shutdownRequested(at: MonotonicClock.nanoseconds))
        region.control.requestShutdown()
        region.ring.wakeAll()
        let deadline = MonotonicClock.nanoseconds + UInt64(max(0, timeoutMilliseconds)) * 1_000_000
        for index in 0..<count {
            guard let worker = running[index] else { continue }
            let now = MonotonicClock.nanoseconds
            let left = now < deadline ? Int32((deadline - now) / 1_000_000) : 0
            _ = worker.process.terminate(signal: nil, graceMilliseconds: left)
            handles[index] = nil
            running[index] = nil
        }
    }

    @discardableResult
    private func spawn(index: Int) throws(SystemError) -> Handle {
        var environment = ChildProcess.currentEnvironment.filter { !$0.hasPrefix("SWIFT_BACKTRACE=") }
        environment.append("SWIFT_BACKTRACE=enable=no")   // a crashing child must not flood stderr
        let process: ChildProcess
        do {
            let log = Self.logDescriptor.load(ordering: .acquiring)
            let null = try retryingOnInterrupt("open(/dev/null)") { open("/dev/null", O_RDWR | O_CLOEXEC) }
            defer { close(null) }
            process = try ChildProcess.spawn(
                executable: executable,
                arguments: ["detview", "worker", "--index", String(index), "--parent", String(getpid())],
                environment: environment,
                descriptors: [(null, 0), (null, 1), (log >= 0 ? log : null, 2),
                              (region.region.fd, WorkerProcess.regionDescriptor),
                              (notifyFD, WorkerProcess.notifyDescriptor)]
                    + (index < shareFDs.count ? [(shareFDs[index], WorkerProcess.shareDescriptor)] : []))
        } catch {
            _ = machine.handle(.spawnFailed(worker: index, at: MonotonicClock.nanoseconds))
            throw error
        }
        let handle = Handle(index: index, pid: process.pid, pidfd: process.pidfd)
        for case .countRestart(let worker) in machine.handle(.started(worker: index, pid: process.pid,
                                                                       at: MonotonicClock.nanoseconds)) {
            region.workerStats.addRestart(worker: worker)
        }
        running[index] = Running(process)
        handles[index] = handle
        return handle
    }
}
