import Glibc
import Platform
import SharedMemory

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

    /// A change in a worker's progress, for the screen, the log and headless output.
    public struct StallReport: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case stalled, resumed, replacing }
        public let index: Int
        public let pid: pid_t
        public let kind: Kind
        /// How long it had work and made no progress.
        public let quietNanoseconds: UInt64

        public var message: String {
            let quiet = SupervisorMachine.seconds(quietNanoseconds)
            switch kind {
            case .stalled: return "worker \(index) (pid \(pid)) stalled: no progress for \(quiet) with work to do"
            case .resumed: return "worker \(index) (pid \(pid)) no longer stalled: progress again after \(quiet)"
            case .replacing: return "worker \(index) (pid \(pid)) stalled for \(quiet): killing it to replace it"
            }
        }
    }

    /// Holds a worker's process (not copyable) in the supervisor's table.
    private final class Running {
        var process: ChildProcess
        init(_ process: consuming ChildProcess) { self.process = process }
    }

    public let executable: String
    public let count: Int
    public private(set) var handles: [Handle?]
    public var restarts: Int { machine.restarts }
    private var running: [Running?]
    private var machine: SupervisorMachine
    private let region: DetviewRegion
    private let notifyFD: Int32
    /// The `--log` file, every worker's stderr (nil: /dev/null), so that neither a worker's
    /// error text nor a Swift runtime trap message ever reaches the terminal the UI draws on.
    private let logFD: Int32?
    /// `--save`: one memfd per worker index, the worker's fd 5 (a replacement gets its index's).
    private let shareFDs: [Int32]

    public init(executable: String = "/proc/self/exe", count: Int, region: DetviewRegion, notifyFD: Int32,
                logFD: Int32? = nil, shareFDs: [Int32] = [], stallLimits: WorkerWatch.Limits = .init()) {
        self.executable = executable
        self.count = count
        self.region = region
        self.notifyFD = notifyFD
        self.logFD = logFD
        self.shareFDs = shareFDs
        self.handles = Array(repeating: nil, count: count)
        self.running = Array(repeating: nil, count: count)
        self.machine = SupervisorMachine(count: count, stallLimits: stallLimits)
    }

    /// How often `watchProgress` should run.
    public var watchInterval: UInt64 { machine.watch.limits.observationInterval }

    public func isStalled(_ index: Int) -> Bool { machine.watch.isStalled(worker: index) }

    /// Reads every running worker's progress (its frame count, the slots it holds, the frames
    /// waiting) and runs what the machine decides: names stalled workers and kills those stalled
    /// too long (their pidfd then brings them to `workerExited`, which reclaims and replaces).
    public func watchProgress() -> [StallReport] {
        let now = MonotonicClock.nanoseconds
        let claimed = region.ring.claimedSlots(workers: count)
        let waiting = region.ring.occupancy().filled
        var reports: [StallReport] = []
        for index in 0..<count where running[index] != nil {
            let look = WorkerWatch.Observation(frames: region.workerStats.snapshot(worker: index).frames,
                                               claimedSlots: claimed[index], framesWaiting: waiting)
            for effect in machine.handle(.observed(worker: index, look, at: now)) {
                switch effect {
                case .reportStalled(let worker, let pid, let quiet):
                    reports.append(StallReport(index: worker, pid: pid, kind: .stalled, quietNanoseconds: quiet))
                case .reportResumed(let worker, let pid, let quiet):
                    reports.append(StallReport(index: worker, pid: pid, kind: .resumed, quietNanoseconds: quiet))
                case .kill(let worker, let pid, let quiet):
                    running[worker]?.process.send(signal: SIGKILL)   // works on a stopped process too
                    reports.append(StallReport(index: worker, pid: pid, kind: .replacing, quietNanoseconds: quiet))
                default:
                    break
                }
            }
        }
        return reports
    }

    public func startAll() throws(SystemCallError) {
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
        var reportedCause = cause
        for effect in machine.handle(.exited(worker: index, cause: cause, at: MonotonicClock.nanoseconds)) {
            switch effect {
            case .reclaimSlots(let worker):
                reclaimed = region.ring.reclaim(worker: worker)
                region.board.breakLock(heldBy: worker)   // it may have died in the middle of a publish
            case .markExited(let worker):
                region.workerStats.setState(worker: worker, .exited)
            case .report(_, let deadPid, let reported):
                pid = deadPid
                reportedCause = reported   // says so when the machine had it killed for stalling
            case .spawn(let worker):
                replacement = try? spawn(index: worker)
            case .countRestart, .giveUp, .reportStalled, .reportResumed, .kill:
                break   // countRestart comes from `started`; a given-up worker simply stays down
            }
        }
        return ExitReport(index: index, pid: pid, cause: reportedCause, reclaimedSlots: reclaimed, replacement: replacement)
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
    private func spawn(index: Int) throws(SystemCallError) -> Handle {
        var environment = ChildProcess.currentEnvironment.filter { !$0.hasPrefix("SWIFT_BACKTRACE=") }
        environment.append("SWIFT_BACKTRACE=enable=no")   // a crashing child must not flood stderr
        let process: ChildProcess
        do {
            let null = try retryingOnInterrupt("open(/dev/null)") { open("/dev/null", O_RDWR | O_CLOEXEC) }
            defer { close(null) }
            process = try ChildProcess.spawn(
                executable: executable,
                arguments: ["detview", "worker", "--index", String(index), "--parent", String(getpid())],
                environment: environment,
                descriptors: [(null, 0), (null, 1), (logFD ?? null, 2),
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
