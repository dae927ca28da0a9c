/// A budget of bytes per second: tokens flow in at `rate`, up to `capacity`, and each paint
/// spends what it really wrote (the level may go below zero: the next paint then waits longer).
///
/// Pure: time comes with each call (monotonic nanoseconds), so it is tested without clocks.
/// Owned by `RenderSchedule` (main actor). Over any window of T seconds the bytes spent are at
/// most `rate × T + capacity` plus what the last paint overshot.
struct TokenBucket: Sendable, Equatable {
    /// Bytes per second; 0 means unlimited.
    let rate: Double
    let capacity: Double
    private(set) var level: Double
    private var updated: UInt64?

    init(rate: Double, capacity: Double) {
        self.rate = max(0, rate)
        self.capacity = max(0, capacity)
        level = self.capacity
    }

    /// A bucket for `rate` bytes/s holding a fifth of a second: small, so the rate holds over
    /// short windows too (a paint larger than that waits for a full bucket and leaves a debt).
    init(bytesPerSecond rate: Double) {
        self.init(rate: rate, capacity: rate / 5)
    }

    var unlimited: Bool { rate == 0 }

    /// The level at `now`, with what flowed in since the last call.
    func level(at now: UInt64) -> Double {
        guard let updated, now > updated else { return level }
        return min(capacity, level + rate * Double(now - updated) / 1e9)
    }

    mutating func spend(_ bytes: Int, at now: UInt64) {
        level = level(at: now) - Double(bytes)
        updated = max(now, updated ?? now)
    }

    /// Nanoseconds until `amount` bytes (at most a full bucket) may be spent; 0 when they may now.
    func wait(for amount: Double, at now: UInt64) -> UInt64 {
        guard !unlimited else { return 0 }
        let missing = min(amount, capacity) - level(at: now)
        guard missing > 0 else { return 0 }
        return UInt64((missing / rate * 1e9).rounded(.up))
    }
}
