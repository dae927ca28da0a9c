import Processing
import SharedMemory

/// The regions of interest the user drew (`R`, arrows, Enter; `Delete`) or gave with `--roi`,
/// the one being drawn, and what the workers measured in each: the newest numbers and the
/// sums of the last minute for the panel's sparklines. Part of `ViewerState`; a plain value.
public struct RegionsOfInterest: Sendable, Equatable {
    /// The fixed regions, in the order they were made (at most `ControlRegions.capacity`).
    public private(set) var fixed: [PixelRegion] = []
    /// The rectangle being drawn (after `R`, before Enter or Escape); arrows act on it.
    public var drawing: PixelRegion?
    /// Bumped on every change of `fixed`; the workers' numbers carry the generation they were
    /// measured for, and only numbers of the current one are shown.
    public private(set) var generation: UInt32 = 0
    /// The newest numbers of each fixed region (empty until a frame of this generation came).
    public private(set) var latest: [RegionNumbers] = []
    /// Per fixed region, the sum of the last frame of each second of the last minute.
    public private(set) var sums: [[(second: UInt64, sum: Double)]] = []
    public static let historySeconds: UInt64 = 60

    public init(_ regions: [PixelRegion] = []) {
        fixed = Array(regions.prefix(ControlRegions.capacity))
        sums = fixed.map { _ in [] }
    }

    public var isFull: Bool { fixed.count >= ControlRegions.capacity }

    /// What the control block carries.
    public var control: ControlRegions { ControlRegions(fixed, generation: generation) }

    /// Adds a region; false when there are already `ControlRegions.capacity`.
    @discardableResult
    public mutating func add(_ region: PixelRegion) -> Bool {
        guard !isFull else { return false }
        fixed.append(region)
        changed()
        return true
    }

    /// Removes the region at `index`.
    public mutating func remove(at index: Int) {
        fixed.remove(at: index)
        changed()
    }

    /// The region to delete for a point: the last one made that contains it, else the last.
    public func indexToDelete(at point: (x: Int, y: Int)?) -> Int? {
        if let point, let hit = fixed.lastIndex(where: {
            point.x >= $0.x0 && point.x < $0.x1 && point.y >= $0.y0 && point.y < $0.y1
        }) { return hit }
        return fixed.isEmpty ? nil : fixed.count - 1
    }

    private mutating func changed() {
        generation &+= 1
        latest = []
        sums = fixed.map { _ in [] }
    }

    /// Folds in a drain's numbers; numbers of another generation (measured before the last
    /// change) are dropped.
    mutating func absorb(_ readout: RegionReadout, at nanoseconds: UInt64) {
        guard readout.generation == generation, readout.numbers.count == fixed.count else { return }
        latest = readout.numbers
        let second = nanoseconds / 1_000_000_000
        for (i, numbers) in readout.numbers.enumerated() where !numbers.sum.isNaN {
            if sums[i].last?.second == second { sums[i].removeLast() }
            sums[i].append((second, numbers.sum))
            sums[i].removeAll { $0.second + Self.historySeconds <= second }
        }
    }

    /// The sparkline's values of region `index`: one per second of the last minute, NaN for
    /// a second without a frame.
    public func sumSeries(_ index: Int, endingAt second: UInt64) -> [Double] {
        guard index < sums.count else { return [] }
        let first = second >= Self.historySeconds - 1 ? second - (Self.historySeconds - 1) : 0
        var out = [Double](repeating: .nan, count: Int(second - first + 1))
        for point in sums[index] where point.second >= first && point.second <= second {
            out[Int(point.second - first)] = point.sum
        }
        return out
    }

    public static func == (a: RegionsOfInterest, b: RegionsOfInterest) -> Bool {
        a.fixed == b.fixed && a.drawing == b.drawing && a.generation == b.generation && a.latest == b.latest
            && a.sums.count == b.sums.count
            && zip(a.sums, b.sums).allSatisfy { $0.map(\.second) == $1.map(\.second) && $0.map(\.sum) == $1.map(\.sum) }
    }
}

/// The regions' numbers of the newest frame of one drain, and the generation of the regions
/// they were measured for. Made by the core from `FrameResult`s, folded in by the reducer.
public struct RegionReadout: Sendable, Equatable {
    public var generation: UInt32
    public var numbers: [RegionNumbers]

    public init(generation: UInt32, numbers: [RegionNumbers]) {
        self.generation = generation
        self.numbers = numbers
    }
}
