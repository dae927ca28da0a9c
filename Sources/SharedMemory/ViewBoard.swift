import CLinux
import Platform

// View board protocol: one entry per worker, each written only by that worker (any
// process) and read by the UI. Every entry is a sequence lock:
// 1. The writer makes the entry's sequence odd, copies header and images, makes it even.
// 2. A reader loads the sequence (odd → retry, 0 → empty), copies, re-loads: equal means
//    the copy is whole. A worker that died mid-write leaves its entry odd; the supervisor
//    clears it (`clear(worker:)`) before the replacement starts.

/// Each worker's share of the accumulated view (sum, mean, max, counts, the pedestal, a
/// radial profile): binned images A (all or unpumped frames) and B (pumped frames, or a
/// profile's pixel counts) with their frame counts. Workers accumulate on their own frames
/// and never share a lock; the UI composes the view from every worker's entry.
public final class ViewBoard: @unchecked Sendable {
    public let maxPixels: Int
    public let workers: Int
    private let region: SharedRegion
    private let base: UnsafeMutableRawPointer
    private let stride: Int

    init(region: SharedRegion, layout: RegionLayout) {
        self.region = region
        base = region.base + layout.viewOffset
        maxPixels = layout.boardMaxPixels
        workers = layout.maxWorkers
        stride = layout.viewEntryStride
    }

    private func entry(_ worker: Int) -> UnsafeMutableRawPointer { base + worker * stride }
    private func header(_ entry: UnsafeMutableRawPointer) -> UnsafeMutablePointer<ViewHeader> {
        (entry + RegionLayout.viewHeaderOffset).assumingMemoryBound(to: ViewHeader.self)
    }
    private func image(_ entry: UnsafeMutableRawPointer, _ which: Int) -> UnsafeMutablePointer<Float> {
        (entry + RegionLayout.viewEntryHeaderSize + which * maxPixels * 4).assumingMemoryBound(to: Float.self)
    }

    /// Replaces `worker`'s entry. False when the images do not match the header's shape.
    @discardableResult
    public func publish(worker: Int, header: ViewHeader, a: UnsafeBufferPointer<Float>,
                        b: UnsafeBufferPointer<Float>? = nil) -> Bool {
        let count = header.imagePixelCount
        guard worker >= 0, worker < workers, count <= maxPixels, a.count == count,
              b == nil || b!.count == count else { return false }
        let e = entry(worker)
        SeqLock<UInt64>(at: e).write {
            var h = header
            h.hasB = b == nil ? 0 : 1
            self.header(e).pointee = h
            if let source = a.baseAddress { image(e, 0).update(from: source, count: count) }
            if let b, let source = b.baseAddress { image(e, 1).update(from: source, count: count) }
        }
        return true
    }

    /// Copies `worker`'s entry; nil when it never published (or was cleared).
    public func read(worker: Int, a: inout [Float], b: inout [Float]) -> ViewHeader? {
        guard worker >= 0, worker < workers else { return nil }
        let e = entry(worker)
        return SeqLock<UInt64>(at: e).read { sequence -> ViewHeader? in
            guard sequence != 0 else { return nil }   // never published, or cleared
            let h = header(e).pointee
            let count = Swift.min(h.imagePixelCount, maxPixels)
            copy(image(e, 0), count, into: &a)
            if h.hasB != 0 { copy(image(e, 1), count, into: &b) } else { b.removeAll(keepingCapacity: true) }
            return h
        }?.value
    }

    private func copy(_ source: UnsafeMutablePointer<Float>, _ count: Int, into out: inout [Float]) {
        if out.count != count { out = [Float](repeating: 0, count: count) }
        out.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source, count: count) }
    }

    /// Empties `worker`'s entry (a new worker in its place starts from nothing). Supervisor only.
    public func clear(worker: Int) {
        guard worker >= 0, worker < workers else { return }
        SeqLock<UInt64>(at: entry(worker)).reset()
    }
}
