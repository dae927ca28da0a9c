/// The last minute of the viewer's rates, one point per second, for the history strips (`H`).
///
/// Owned by `ViewerState` (main actor), fed from every counter sample. A fixed ring of
/// `seconds` slots indexed by the sample's whole second: several samples in one second keep
/// the last (rates are measured over at least a second anyway); a second with no sample
/// (the viewer was idle or blocked) is a gap, shown as such rather than bridged.
public struct StatsHistory: Sendable, Equatable {
    /// One second's values; NaN where a value does not apply (the hit rate outside hits mode).
    public struct Point: Sendable, Equatable {
        public var framesPerSecond: Double
        public var megabytesPerSecond: Double
        public var dropsPerSecond: Double
        /// Occupied ring slots, 0…1.
        public var ringFill: Double
        /// The workers' mean load, 0…1.
        public var workerLoad: Double
        /// Hits per checked frame, 0…1 (hits mode).
        public var hitRate: Double
        /// Peaks of the last frame (hits mode).
        public var peaksPerFrame: Double

        public init(framesPerSecond: Double = 0, megabytesPerSecond: Double = 0, dropsPerSecond: Double = 0,
                    ringFill: Double = 0, workerLoad: Double = 0, hitRate: Double = .nan, peaksPerFrame: Double = .nan) {
            self.framesPerSecond = framesPerSecond
            self.megabytesPerSecond = megabytesPerSecond
            self.dropsPerSecond = dropsPerSecond
            self.ringFill = ringFill
            self.workerLoad = workerLoad
            self.hitRate = hitRate
            self.peaksPerFrame = peaksPerFrame
        }

        /// NaN compares unequal to itself; two "does not apply" values are the same here.
        public static func == (a: Point, b: Point) -> Bool {
            func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
            return same(a.framesPerSecond, b.framesPerSecond) && same(a.megabytesPerSecond, b.megabytesPerSecond)
                && same(a.dropsPerSecond, b.dropsPerSecond) && same(a.ringFill, b.ringFill)
                && same(a.workerLoad, b.workerLoad) && same(a.hitRate, b.hitRate) && same(a.peaksPerFrame, b.peaksPerFrame)
        }
    }

    /// The window: the strips show the last minute.
    public static let seconds = 60

    /// `slots[second % seconds]`; nil: no sample in that second.
    private var slots = [Point?](repeating: nil, count: Self.seconds)
    private var firstSecond: UInt64?
    private var newestSecond: UInt64?

    public init() {}

    /// Keeps `point` as the value of the second `nanoseconds` falls in (monotonic clock).
    /// A sample older than the newest second is ignored: the strip only moves forward.
    public mutating func record(_ point: Point, atNanoseconds nanoseconds: UInt64) {
        let second = nanoseconds / 1_000_000_000
        if let newest = newestSecond {
            guard second >= newest else { return }
            // The seconds skipped since the newest sample are gaps.
            if second - newest >= UInt64(Self.seconds) {
                slots = [Point?](repeating: nil, count: Self.seconds)
            } else if second > newest + 1 {
                for skipped in (newest + 1)..<second { slots[Int(skipped % UInt64(Self.seconds))] = nil }
            }
        } else {
            firstSecond = second
        }
        slots[Int(second % UInt64(Self.seconds))] = point
        newestSecond = second
    }

    /// Seconds held: from the first sample (or a minute back) to the newest.
    public var count: Int {
        guard let first = firstSecond, let newest = newestSecond else { return 0 }
        return Int(min(newest - first + 1, UInt64(Self.seconds)))
    }

    /// The newest point; nil before the first sample.
    public var newest: Point? { newestSecond.flatMap { slots[Int($0 % UInt64(Self.seconds))] } }

    /// One value per second, oldest first, ending at the newest second; NaN for a gap.
    public func values(_ value: KeyPath<Point, Double>) -> [Double] {
        guard let newest = newestSecond else { return [] }
        return (0..<UInt64(count)).reversed().map { back in
            slots[Int((newest - back) % UInt64(Self.seconds))]?[keyPath: value] ?? .nan
        }
    }
}
