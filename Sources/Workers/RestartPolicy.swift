/// Decides whether a dead worker is started again: always, unless it keeps dying, in which
/// case it is left down so that a poisoned input or a broken build cannot spin the host.
///
/// A pure value type (no processes, no clocks of its own): the supervisor feeds it exit times.
public struct RestartPolicy: Sendable, Equatable {
    public enum Decision: Sendable, Equatable { case restart, giveUp }

    /// At most this many exits of one worker within `window` nanoseconds before giving up.
    public var maxExits: Int
    public var window: UInt64
    private var exits: [Int: [UInt64]] = [:]

    public init(maxExits: Int = 10, windowNanoseconds: UInt64 = 10_000_000_000) {
        self.maxExits = maxExits
        self.window = windowNanoseconds
    }

    public mutating func workerExited(_ index: Int, at now: UInt64) -> Decision {
        var recent = (exits[index] ?? []).filter { now &- $0 < window }
        recent.append(now)
        exits[index] = recent
        return recent.count > maxExits ? .giveUp : .restart
    }
}
