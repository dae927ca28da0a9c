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
    }

    public enum Effect: Sendable, Equatable {
        case spawn(worker: Int)
        /// Return the slots the dead worker had claimed, and free the board lock it may hold.
        case reclaimSlots(worker: Int)
        case markExited(worker: Int)
        case countRestart(worker: Int)
        case giveUp(worker: Int)
        case report(worker: Int, pid: Int32, cause: String)
    }

    public private(set) var workers: [WorkerState]
    public private(set) var restarts = 0
    public private(set) var shuttingDown = false
    private var policy: RestartPolicy

    public init(count: Int, policy: RestartPolicy = RestartPolicy()) {
        workers = Array(repeating: .stopped, count: count)
        self.policy = policy
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
            guard replaced else { return [] }
            restarts += 1
            return [.countRestart(worker: worker)]
        case .spawnFailed(let worker, _):
            guard workers.indices.contains(worker) else { return [] }
            workers[worker] = .stopped
            return []
        case .exited(let worker, let cause, let time):
            guard workers.indices.contains(worker), case .running(let pid) = workers[worker] else { return [] }
            workers[worker] = .stopped
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
        }
    }
}
