/// Where a worker slot is in its life, as the supervisor and the worker record it.
public enum WorkerState: UInt32, Sendable {
    case unused = 0
    case starting = 1
    case running = 2
    case exited = 3
}

/// One worker's counters.
public struct WorkerSnapshot: Equatable, Sendable {
    public var pid: Int32
    public var state: WorkerState
    public var busyNanoseconds: UInt64
    public var frames: UInt64
    public var bad: UInt64
    public var restarts: UInt64
}

/// Per-worker load accounting, one 128-byte entry per worker index (0..<maxWorkers): the
/// worker adds busy time, frames and bad frames; the supervisor
/// (viewer) sets pid, state and restarts; the UI reads snapshots for the load bars.
public final class WorkerStats: @unchecked Sendable {
    public let maxWorkers: Int
    private let region: SharedRegion
    private let base: UnsafeMutableRawPointer

    private enum Field: Int {
        case pid = 0, busy = 8, frames = 16, bad = 24, restarts = 32, state = 40
    }

    init(region: SharedRegion, layout: RegionLayout) {
        self.region = region
        base = region.base + layout.workerStatsOffset
        maxWorkers = layout.maxWorkers
    }

    private func word(_ worker: Int, _ field: Field) -> UnsafeMutablePointer<UInt64> {
        precondition(worker >= 0 && worker < maxWorkers, "worker index \(worker) outside 0..<\(maxWorkers)")
        return word64(base, worker * RegionLayout.workerEntrySize + field.rawValue)
    }

    public func addBusy(worker: Int, nanoseconds: UInt64) { word(worker, .busy).atomicAdd(nanoseconds) }
    public func addFrames(worker: Int, _ count: UInt64 = 1) { word(worker, .frames).atomicAdd(count) }
    public func addBad(worker: Int, _ count: UInt64 = 1) { word(worker, .bad).atomicAdd(count) }
    public func addRestart(worker: Int) { word(worker, .restarts).atomicAdd(1) }
    public func setPid(worker: Int, _ pid: Int32) {
        word(worker, .pid).atomicStore(UInt64(UInt32(bitPattern: pid)))
    }
    public func setState(worker: Int, _ state: WorkerState) { word(worker, .state).atomicStore(UInt64(state.rawValue)) }

    public func snapshot(worker: Int) -> WorkerSnapshot {
        WorkerSnapshot(
            pid: Int32(bitPattern: UInt32(truncatingIfNeeded: word(worker, .pid).atomicLoad())),
            state: WorkerState(rawValue: UInt32(truncatingIfNeeded: word(worker, .state).atomicLoad())) ?? .unused,
            busyNanoseconds: word(worker, .busy).atomicLoad(),
            frames: word(worker, .frames).atomicLoad(),
            bad: word(worker, .bad).atomicLoad(),
            restarts: word(worker, .restarts).atomicLoad())
    }
}
