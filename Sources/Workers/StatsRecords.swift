import Processing
import SharedMemory

// The shared-memory records store frame statistics as plain fields (no Processing types
// in SharedMemory); these move them in and out in one place.

extension FrameResult {
    mutating func record(_ stats: FrameStats) {
        sum = stats.sum
        min = stats.min
        max = stats.max
        mean = stats.mean
        masked = UInt64(stats.masked)
        count = UInt64(stats.count)
    }
}

extension BoardHeader {
    mutating func record(_ stats: FrameStats) {
        sum = stats.sum
        min = stats.min
        max = stats.max
        mean = stats.mean
        masked = UInt64(stats.masked)
        count = UInt64(stats.count)
    }

    /// The statistics of the frame this board image shows.
    public var stats: FrameStats {
        FrameStats(sum: sum, min: min, max: max, mean: mean, masked: Int(masked), count: Int(count))
    }
}
