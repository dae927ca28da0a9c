/// Notices a worker that has work and makes no progress: stopped (SIGSTOP, a debugger), hung in
/// a kernel, or stuck on a lock. Such a worker still has a live process, so its pidfd never says
/// anything; only its frame counter stands still while frames wait or while it holds a slot.
///
/// A pure value (no clocks, no shared memory): the supervisor feeds it what it reads from the
/// shared region with the time it read it, and acts on the verdicts. Owned by `SupervisorMachine`.
public struct WorkerWatch: Sendable, Equatable {
    public struct Limits: Sendable, Equatable {
        /// Quiet this long with work: the worker is named as stalled.
        public var warnAfter: UInt64
        /// Quiet this long with work: the worker is replaced (nil: never).
        public var replaceAfter: UInt64?

        public init(warnAfterSeconds: Double = 3, replaceAfterSeconds: Double? = 15) {
            warnAfter = UInt64(max(0.001, warnAfterSeconds) * 1e9)
            replaceAfter = replaceAfterSeconds.map { UInt64(max(0.001, $0) * 1e9) }
        }

        /// How often the supervisor should look: a third of the warning limit, so a stall is
        /// named within a third of the limit after it, but at most once a second and at least
        /// every 100 ms (the look costs a scan of the slot table).
        public var observationInterval: UInt64 {
            min(max(warnAfter / 3, 100_000_000), 1_000_000_000)
        }

        /// The most one gap between two looks counts. A viewer that was itself stopped (Ctrl-Z)
        /// or starved does not blame its workers for the time it did not look.
        var longestCountedGap: UInt64 { 2 * observationInterval }
    }

    /// What the supervisor reads of one worker at one instant.
    public struct Observation: Sendable, Equatable {
        /// Frames the worker (at this index, all its processes) has finished, good or bad.
        public var frames: UInt64
        /// Ring slots the worker has claimed now.
        public var claimedSlots: Int
        /// Filled slots no worker has claimed yet.
        public var framesWaiting: Int

        public init(frames: UInt64, claimedSlots: Int, framesWaiting: Int) {
            self.frames = frames
            self.claimedSlots = claimedSlots
            self.framesWaiting = framesWaiting
        }

        /// An idle worker with nothing to do is not stalled: only time with work counts.
        var hasWork: Bool { claimedSlots > 0 || framesWaiting > 0 }
    }

    public enum Verdict: Sendable, Equatable {
        /// No progress with work for `warnAfter`: name it.
        case stalled(quietNanoseconds: UInt64)
        /// A stalled worker finished a frame again.
        case resumed(quietNanoseconds: UInt64)
        /// No progress for `replaceAfter`: kill it (the exit path reclaims its slots and restarts it).
        case replace(quietNanoseconds: UInt64)
    }

    private struct Record: Sendable, Equatable {
        var frames: UInt64?
        var lastLook: UInt64 = 0
        /// Time with work and without progress, summed over the looks.
        var quiet: UInt64 = 0
        var stalled = false
        var replacing = false
    }

    public let limits: Limits
    private var records: [Record]

    public init(count: Int, limits: Limits = Limits()) {
        self.limits = limits
        records = Array(repeating: Record(), count: count)
    }

    /// Folds one look at `worker` in; a verdict when its standing changed.
    public mutating func observe(worker: Int, _ look: Observation, at now: UInt64) -> Verdict? {
        guard records.indices.contains(worker) else { return nil }
        var record = records[worker]
        guard !record.replacing else { return nil }   // decided: only its exit clears the record
        defer { records[worker] = record }
        let gap = record.frames == nil || now < record.lastLook ? 0 : min(now - record.lastLook, limits.longestCountedGap)
        record.lastLook = now
        if record.frames != look.frames {   // progress (or the first look)
            record.frames = look.frames
            let quiet = record.quiet
            record.quiet = 0
            guard record.stalled else { return nil }
            record.stalled = false
            return .resumed(quietNanoseconds: quiet)
        }
        // Once named, only progress (or its exit) ends a stall, so the lines do not flap
        // while the queue empties and fills around a stopped worker.
        guard look.hasWork || record.stalled else {
            record.quiet = 0
            return nil
        }
        record.quiet += gap
        if let limit = limits.replaceAfter, record.quiet >= limit {
            record.replacing = true
            record.stalled = true
            return .replace(quietNanoseconds: record.quiet)
        }
        if !record.stalled, record.quiet >= limits.warnAfter {
            record.stalled = true
            return .stalled(quietNanoseconds: record.quiet)
        }
        return nil
    }

    /// A new process at this index (or none) starts with a clean record.
    public mutating func forget(worker: Int) {
        guard records.indices.contains(worker) else { return }
        records[worker] = Record()
    }

    public func isStalled(worker: Int) -> Bool {
        records.indices.contains(worker) && records[worker].stalled
    }

    /// How long the worker had been quiet when its replacement was decided (nil: it was not).
    public func replacedAfter(worker: Int) -> UInt64? {
        guard records.indices.contains(worker), records[worker].replacing else { return nil }
        return records[worker].quiet
    }
}
