import Platform
import DetectorStream
import Glibc
import Processing
import SharedMemory

/// The main loop of one worker process (`detview worker`, hidden).
///
/// Owned by the worker process's main thread. It attaches to the viewer's shared region
/// (fd 3), claims filled frame slots, decodes them, computes the frame statistics and the
/// display image, publishes the results, and signals the viewer's notify eventfd (fd 4).
/// It never talks to the terminal and exits when the viewer asks it to, or dies with it
/// (PR_SET_PDEATHSIG).
public struct WorkerProcess {
    public static let regionDescriptor: Int32 = 3
    public static let notifyDescriptor: Int32 = 4
    /// `--save`: the memfd this worker index leaves its share in when it exits.
    public static let shareDescriptor: Int32 = 5

    let index: Int
    let region: DetviewRegion
    let notifyFD: Int32
    var pipeline: FramePipeline

    public init(index: Int, regionFD: Int32 = regionDescriptor, notifyFD: Int32 = notifyDescriptor) throws {
        self.index = index
        self.region = try DetviewRegion.attach(fd: regionFD)
        self.notifyFD = notifyFD
        let options = try ProcessingOptions(encoded: region.options)
        self.pipeline = FramePipeline(maxPixels: region.layout.boardMaxPixels,
                                      maxDecodedBytes: region.layout.slotCapacity, options: options)
        // The interactive viewer hands every worker its share memfd (fd 5) and says so.
        if options.answersSnapshots { pipeline.snapshotFD = Self.shareDescriptor }
    }

    /// Dies with the viewer: the kernel sends SIGKILL when the spawning thread exits.
    /// If the viewer is already gone (the race before prctl), exit at once.
    public static func bindLifetimeToParent(expectedParent: pid_t) {
        ProcessLifetime.dieWithParent(expectedParent: expectedParent)
    }

    /// For `--save`: leaves this worker's accumulated share in the memfd the viewer gave it
    /// (or empties it, so no snapshot's share left there passes for the run's).
    private func saveShare() {
        guard pipeline.modes.options.savesShare else { return }
        guard let share = pipeline.modes.savedShare() else { return SavedShare.clear(Self.shareDescriptor) }
        _ = share.write(to: Self.shareDescriptor)
    }

    /// Runs until the control block's shutdown flag is set.
    public mutating func run() -> Int32 {
        let ring = region.ring
        let stats = region.workerStats
        stats.setPid(worker: index, getpid())
        stats.setState(worker: index, .running)
        // A worker started after a request (a replacement) does not answer it.
        var snapshotSeen = region.control.snapshotRequest
        while !region.control.isShuttingDown {
            // The token before the request is looked at: a request made (and the ring woken)
            // after the look ends the wait below rather than being slept through.
            let token = ring.workToken
            let request = region.control.snapshotRequest
            if request != snapshotSeen {
                snapshotSeen = request
                if pipeline.answerSnapshot(request, control: region.control.snapshot().settings) {
                    try? EventFD.signal(notifyFD)
                }
            }
            // A zoom or pan is shown from the share this worker holds, before the next frame.
            if pipeline.publishShareForNewViewport(worker: index, region: region) { try? EventFD.signal(notifyFD) }
            guard let slot = ring.claimNext(worker: index) else {
                // No timeout: a publish or the viewer's wakeAll (shutdown, a snapshot) wakes us.
                ring.waitForWork(since: token, timeoutNanoseconds: -1)
                continue
            }
            let started = MonotonicClock.nanoseconds
            let result = pipeline.process(slot: slot, worker: index, region: region)
            ring.release(slot)
            let busy = MonotonicClock.nanoseconds &- started
            stats.addBusy(worker: index, nanoseconds: busy)
            stats.addFrames(worker: index)
            if result.status == .bad { stats.addBad(worker: index) }
            if region.results.ringDoorbell() || pipeline.answeredSnapshotWithFrame { try? EventFD.signal(notifyFD) }
        }
        saveShare()
        stats.setState(worker: index, .exited)
        return 0
    }
}
