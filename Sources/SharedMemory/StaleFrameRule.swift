/// When a frame has waited too long in the ring to be worth showing (`--max-lag`).
///
/// A worker that takes a frame which arrived longer ago than the limit drops it (counted
/// `stale` in the dropped frames) instead of processing it, so that a viewer whose workers fell
/// behind — stopped, or briefly outpaced — catches up with the stream instead of showing frames
/// seconds old. Pure: the ring asks it with the clock's time; tests give it any time.
public struct StaleFrameRule: Equatable, Sendable {
    /// 0: no limit.
    public let maxLagNanoseconds: UInt64

    public init(maxLagNanoseconds: UInt64) {
        self.maxLagNanoseconds = maxLagNanoseconds
    }

    /// Whether a frame received at `receivedNanoseconds` is stale at `now`. A frame without a
    /// receipt time (0: written by something other than the receiver) is never stale, and a
    /// receipt time after `now` (another process's clock read later) is no wait at all.
    @inline(__always)
    public func isStale(receivedNanoseconds: UInt64, now: UInt64) -> Bool {
        maxLagNanoseconds != 0 && receivedNanoseconds != 0 && now > receivedNanoseconds
            && now - receivedNanoseconds > maxLagNanoseconds
    }
}
