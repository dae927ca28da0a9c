/// The worker supervisor's decisions as a pure state machine: inputs (with their time) in,
/// effects (as values) out. No processes, clocks or shared memory here; `WorkerSupervisor`
/// runs the effects. Shaped like swift-async-algorithms' state machines.
public struct SupervisorMachine: Sendable, Equatable {
    /// `restarting`: a replacement was asked for; the restart counts once it has started.
    public enum WorkerState: Sendable, Equatable { case stopped, running(pid: Int32), restarting, gaveUp }

    public enum Input: Sendable, Equatable {
        case started(worker: Int, pid: Int32, at: UInt64)
        case spawnFailed(worker: Int, at: UInt64)
        /// The worker's process ended (reaped), `cause` says how.
        case exited(worker: Int, cause: String, at: UInt64)
        case shutdownRequested(at: UInt64)
        /// What the supervisor read of a running worker's progress (see `WorkerWatch`).
        case observed(worker: Int, WorkerWatch.Observation, at: UInt64)
    }

    public enum Effect: Sendable, Equatable {
        case spawn(worker: Int)
        /// Return the slots the dead worker had claimed, and free the board lock it may hold.
        case reclaimSlots(worker: Int)
        case markExited(worker: Int)
        case countRestart(worker: Int)
        case giveUp(worker: Int)
        case report(worker: Int, pid: Int32, cause: String)
        /// The worker has had work and made no progress for this long: name it.
        case reportStalled(worker: Int, pid: Int32, quietNanoseconds: UInt64)
        /// A stalled worker finished a frame again.
        case reportResumed(worker: Int, pid: Int32, quietNanoseconds: UInt64)
        /// Kill the stalled worker with SIGKILL; its exit then reclaims its slots and replaces it.
        case kill(worker: Int, pid: Int32, quietNanoseconds: UInt64)
    }

    public private(set) var workers: [WorkerState]
    public private(set) var restarts = 0
    public private(set) var shuttingDown = false
    private var policy: RestartPolicy
    /// Which running workers make no progress.
    public private(set) var watch: WorkerWatch

    public init(count: Int, policy: RestartPolicy = RestartPolicy(), stallLimits: WorkerWatch.Limits = .init()) {
        workers = Array(repeating: .stopped, count: count)
        self.policy = policy
        watch = WorkerWatch(count: count, limits: stallLimits)
    }

    /// Effects that start every worker not running.
    public func startAll() -> [Effect] {
        workers.indices.filter { workers[$0] == .stopped }.map { .spawn(worker: $0) }
    }

    public mutating func handle(_ input: Input) -> [Effect] {
        switch input {
        case .started(let worker, let pid, _):
            guard workers.indices.contains(worker) else { return [] }
            let replaced = workers[worker] == .restarting
            workers[worker] = .running(pid: pid)
            watch.forget(worker: worker)
            guard replaced else { return [] }
            restarts += 1
            return [.countRestart(worker: worker)]
        case .spawnFailed(let worker, _):
            guard workers.indices.contains(worker) else { return [] }
            workers[worker] = .stopped
            return []
        case .exited(let worker, var cause, let time):
            guard workers.indices.contains(worker), case .running(let pid) = workers[worker] else { return [] }
            workers[worker] = .stopped
            if let quiet = watch.replacedAfter(worker: worker) {
                cause = "replaced after \(Self.seconds(quiet)) without progress (\(cause))"
            }
            watch.forget(worker: worker)
            var effects: [Effect] = [.reclaimSlots(worker: worker), .markExited(worker: worker),
                                     .report(worker: worker, pid: pid, cause: cause)]
            guard !shuttingDown else { return effects }
            if policy.workerExited(worker, at: time) == .restart {
                workers[worker] = .restarting
                effects.append(.spawn(worker: worker))
            } else {
                workers[worker] = .gaveUp
                effects.append(.giveUp(worker: worker))
            }
            return effects
        case .shutdownRequested:
            shuttingDown = true
            return []
        case .observed(let worker, let look, let time):
            // A worker finishing its share on the way out is not stalled.
            guard !shuttingDown, workers.indices.contains(worker), case .running(let pid) = workers[worker] else { return [] }
            switch watch.observe(worker: worker, look, at: time) {
            case .stalled(let quiet): return [.reportStalled(worker: worker, pid: pid, quietNanoseconds: quiet)]
            case .resumed(let quiet): return [.reportResumed(worker: worker, pid: pid, quietNanoseconds: quiet)]
            case .replace(let quiet): return [.kill(worker: worker, pid: pid, quietNanoseconds: quiet)]
            case nil: return []
            }
        }
    }

    /// "3 s", "2.5 s": how long a worker was quiet, for the lines that name it.
    public static func seconds(_ nanoseconds: UInt64) -> String {
        let tenths = (Double(nanoseconds) / 1e8).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths)) s" : "\(tenths) s"
    }
}
