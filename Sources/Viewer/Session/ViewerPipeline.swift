import Glibc
import SharedMemory
import Ingest
import Platform
import Workers

/// The real parts of one viewer: the shared region, the results eventfd, the worker processes,
/// the receiver thread and its inbox, the demo simulator and the `--save` share memfds.
/// Built in `init` (nothing runs yet), started by `start`, taken down by `stop`.
///
/// Owned by the main actor; the receiver's thread and the workers only see the shared region.
@MainActor
final class ViewerPipeline {
    let region: DetviewRegion
    let supervisor: WorkerSupervisor
    let receiver: Receiver
    let inbox: ReceiverInbox
    /// Signalled by the workers when the result queue's doorbell rings.
    private let resultsReady: EventFD
    var notifyFD: Int32 { resultsReady.fd }
    /// Ticks while the workers run: each tick looks for workers that have work and make no
    /// progress (a stopped or hung one has a live process, so its pidfd says nothing).
    let watchTimer: TimerFD
    private(set) var simulator: SimulatorChild?
    /// `--save`: where the workers leave their shares (memfds: nothing to remove, ever).
    let saveShares: SaveShareFiles?
    /// `--save`: the workers write their shares as they stop, which may take a while.
    private let savesAtExit: Bool
    private let workers: Int

    /// `logDescriptor`: the `--log` file, the workers' stderr (nil: /dev/null).
    init(config: ViewerConfig, logDescriptor: Int32?) throws {
        workers = config.workers
        // Room for a mask of half the pixels of the largest 16-bit frame; untouched pages cost nothing.
        let maskCapacity = min(max(config.receiver.maxFrameBytes / 4, 1), 1 << 26)
        let ringBytes = config.ringBytes
            ?? RingSizing.defaultRingBytes(availableMemory: RingSizing.availableMemory(),
                                           maxFrameBytes: config.receiver.maxFrameBytes)
        let layout = try RegionLayout(slotCount: config.slots, slotCapacity: config.receiver.maxFrameBytes,
                                      ringBytes: ringBytes, maxWorkers: config.workers, boardMaxPixels: 1 << 20, resultCapacity: 1 << 16,
                                      maskCapacity: maskCapacity)
        region = try DetviewRegion.create(layout: layout, populate: false)
        region.ring.setMaxLag(nanoseconds: UInt64((max(0, config.maxLagSeconds) * 1e9).rounded()))
        var processing = config.processing
        // The share memfds serve `--save` at exit and, in the interactive viewer, snapshots (`S`).
        let snapshots = config.headless == nil
        saveShares = config.savePath != nil || snapshots ? try SaveShareFiles(workers: config.workers) : nil
        processing.savesShare = config.savePath != nil
        savesAtExit = config.savePath != nil
        processing.answersSnapshots = snapshots
        guard region.writeOptions(processing.encoded) else {
            throw ViewerError("the processing options are too long for the shared region (a very long --pattern?)")
        }
        resultsReady = try EventFD()
        supervisor = WorkerSupervisor(executable: config.workerExecutable, count: config.workers,
                                      region: region, notifyFD: resultsReady.fd, logFD: logDescriptor,
                                      shareFDs: saveShares?.descriptors ?? [], stallLimits: config.stallLimits)
        watchTimer = try TimerFD()
        inbox = try ReceiverInbox()
        var options = config.receiver
        if config.demoRate != nil {
            options.bind = true
            options.endpoints = ["tcp://127.0.0.1:*"]
        }
        receiver = try Receiver(options: options, ring: region.ring, inbox: inbox, masks: region.masks,
                                control: region.control)
        if let rate = config.demoRate, let endpoint = receiver.boundEndpoints.first {
            simulator = try SimulatorChild(executable: config.workerExecutable, endpoint: endpoint, rate: rate,
                                       seed: config.demoSeed, detector: config.demoDetector)
        }
    }

    func startWorkers() throws {
        try supervisor.startAll()
        try watchTimer.arm(afterNanoseconds: supervisor.watchInterval, everyNanoseconds: supervisor.watchInterval)
    }

    /// The watch timer fired: what changed in the workers' progress, as warning lines.
    func watchWorkers() -> [String] {
        watchTimer.drain()
        return supervisor.watchProgress().map(\.message)
    }

    func startReceiver() {
        receiver.start()
    }

    /// Receiver first (no new frames), then the simulator, then the workers (they write their
    /// `--save` shares on the way out: a large frame needs time).
    func stop() {
        receiver.stop()
        simulator?.stop()
        supervisor.stopAll(timeoutMilliseconds: savesAtExit ? 10_000 : 1000)
    }

    /// The simulator ended: reaps it and says how.
    func reapSimulator() -> String? {
        guard let simulator else { return nil }
        self.simulator = nil
        return simulator.reap()
    }

    /// Reaps a worker whose pidfd became readable (nil: a spurious wake-up).
    func reapWorker(_ index: Int) -> (exit: WorkerExit, replacementPidFD: Int32?)? {
        guard let report = supervisor.workerExited(index: index) else { return nil }
        let exit = WorkerExit(index: index, pid: report.pid, cause: report.cause,
                              reclaimedSlots: report.reclaimedSlots, restarted: report.replacement != nil)
        return (exit, report.replacement?.pidfd)
    }

    /// The frame accounting and worker load at this instant.
    func sample() -> CounterSample {
        let counters = region.ring.accounting.snapshot()
        var sample = CounterSample(timeNanoseconds: MonotonicClock.nanoseconds)
        sample.received = counters.received
        sample.processed = counters.processed
        sample.dropped = counters.dropped
        sample.stale = counters.droppedStale
        sample.bad = counters.bad
        sample.badInWorkers = counters.badInWorker
        sample.bytes = counters.bytesReceived
        sample.ring = region.ring.occupancy()
        sample.forward = receiver.forwardCounters?.snapshot(now: sample.timeNanoseconds)
        sample.pullShare = receiver.pullShare
        sample.workers = (0..<workers).map { index in
            let w = region.workerStats.snapshot(worker: index)
            return WorkerSample(index: index, busyNanoseconds: w.busyNanoseconds, frames: w.frames,
                                restarts: w.restarts, alive: supervisor.handles[index] != nil,
                                stalled: supervisor.isStalled(index))
        }
        return sample
    }

    /// The ring sequence the next published frame will get.
    var nextSequence: UInt64 { region.ring.lastSequence &+ 1 }

    /// Drains the per-frame results (re-arming the doorbell first, so nothing waits unannounced).
    func drainResults() -> (results: [FrameResult], lost: Int) {
        resultsReady.drain()
        region.results.rearmDoorbell()
        var results: [FrameResult] = []
        let (_, lost) = region.results.drain { results.append($0) }
        return (results, lost)
    }
}
