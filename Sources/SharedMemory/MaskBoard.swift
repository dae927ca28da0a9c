import CLinux
import Platform

// Mask board protocol: one writer (the receiver thread of the viewer), many readers (the
// workers, other processes). The stream's pixel mask changes once per series at most, so a
// plain sequence lock is enough:
// 1. The writer makes `sequence` odd, writes series, shape, count and the indices, then
//    makes it even (one more). `sequence` 0 means nothing was ever published.
// 2. A reader loads `sequence` (odd → retry), copies, re-loads it: equal means the copy is
//    whole. Readers compare `sequence` with the one they copied to know whether to re-read
//    (one atomic load per frame).

/// The pixel mask of the current series as a list of masked pixel indices (row-major),
/// written by the receiver when a stream sends a mask (SIMPLON `header_detail: all`, the
/// stream v2 start message) and read by every worker, which sets those pixels to the masked
/// value before computing anything.
public final class MaskBoard: @unchecked Sendable {
    /// The mask a worker copied: which series and shape it belongs to, and the indices.
    public struct Mask: Equatable, Sendable {
        public var series: UInt64
        public var width: Int
        public var height: Int
        public var indices: [UInt32]

        public init(series: UInt64, width: Int, height: Int, indices: [UInt32]) {
            self.series = series
            self.width = width
            self.height = height
            self.indices = indices
        }

        /// True when this mask belongs to a frame of `series` and this shape.
        public func applies(series: UInt64, width: Int, height: Int) -> Bool {
            self.series == series && self.width == width && self.height == height
        }
    }

    /// Most indices one mask may hold.
    public let capacity: Int
    private let region: SharedRegion
    private let base: UnsafeMutableRawPointer

    private static let sequenceOffset = 0
    private static let seriesOffset = 8
    private static let widthOffset = 16
    private static let heightOffset = 24
    private static let countOffset = 32

    init(region: SharedRegion, layout: RegionLayout) {
        self.region = region
        base = region.base + layout.maskOffset
        capacity = layout.maskCapacity
    }

    private var indices: UnsafeMutablePointer<UInt32> {
        (base + RegionLayout.maskHeaderSize).assumingMemoryBound(to: UInt32.self)
    }

    /// Changes on every publish; 0 while no mask was ever published.
    public var sequence: UInt64 { word64(base, Self.sequenceOffset).atomicLoad() }

    /// Replaces the mask. False (and nothing changed) when it holds more than `capacity`
    /// indices or an index outside the shape. Single writer: the receiver thread.
    @discardableResult
    public func publish(_ mask: Mask) -> Bool {
        let (pixels, overflow) = mask.width.multipliedReportingOverflow(by: mask.height)
        guard mask.indices.count <= capacity, !overflow, mask.width >= 0, mask.height >= 0,
              mask.indices.allSatisfy({ Int($0) < pixels }) else { return false }
        SeqLock<UInt64>(at: base + Self.sequenceOffset).write {
            word64(base, Self.seriesOffset).atomicStore(mask.series)
            word64(base, Self.widthOffset).atomicStore(UInt64(mask.width))
            word64(base, Self.heightOffset).atomicStore(UInt64(mask.height))
            word64(base, Self.countOffset).atomicStore(UInt64(mask.indices.count))
            mask.indices.withUnsafeBufferPointer { source in
                if let from = source.baseAddress { indices.update(from: from, count: source.count) }
            }
        }
        return true
    }

    /// The current mask and the sequence it was read at; nil when none was published.
    public func read() -> (mask: Mask, sequence: UInt64)? {
        guard let copy = SeqLock<UInt64>(at: base + Self.sequenceOffset).read({ sequence -> Mask? in
            guard sequence != 0 else { return nil }   // never published
            let count = Int(min(word64(base, Self.countOffset).atomicLoad(), UInt64(capacity)))
            return Mask(series: word64(base, Self.seriesOffset).atomicLoad(),
                        width: Int(truncatingIfNeeded: word64(base, Self.widthOffset).atomicLoad()),
                        height: Int(truncatingIfNeeded: word64(base, Self.heightOffset).atomicLoad()),
                        indices: Array(UnsafeBufferPointer(start: indices, count: count)))
        }) else { return nil }
        return (copy.value, copy.sequence)
    }
}
