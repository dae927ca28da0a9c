import CLinux
import Platform

// Result board protocol — invariants.
//
// Memory: a board header (writer lock, version, front index, latest sequence, counts) and
// two buffers, each a 64-bit sequence word, a BoardHeader, `boardMaxPixels` floats and
// `boardMaxMarks` marks.
//
// 1. Writers (workers, any process) serialise on the lock word: CAS 0 → worker + 1, held
//    only while checking the sequence and copying one image. The check (frame sequence
//    strictly greater than `latest`) and the update of `latest` happen under the lock, so
//    of two racing writers the newer frame always ends up on the board.
// 2. A writer fills the BACK buffer (1 - front), never the one readers are directed to:
//    it makes the buffer's sequence word odd, copies header and pixels, makes it even
//    (one more), and only then stores front, latest and version. A reader therefore only
//    has to retry when two whole publishes overtake one read.
// 3. A reader loads front, then the buffer's sequence word (odd → retry), copies, and
//    re-loads the sequence word: equal means no writer touched the buffer during the copy
//    (a writer makes it odd before its first byte), so the copy is not torn. The pixel
//    count read from a possibly torn header is clamped before copying; the check then
//    rejects it.
// 4. A writer that died holding the lock leaves it set and its back buffer odd. The
//    supervisor frees the lock with `breakLock(heldBy:)`; the next writer keeps an odd word
//    odd on entry (it never flips it to even) and ends it even, so readers are never
//    misled by the dead writer's half-written buffer.
// 5. `version` changes after every accepted publish: the UI's cheap "anything new?" check.

/// The newest display image and its frame statistics, written by workers (any process) and
/// read by the UI (main thread of the viewer). Latest frame wins; reads are never torn.
public final class ResultBoard: @unchecked Sendable {
    public let maxPixels: Int
    private let region: SharedRegion
    private let base: UnsafeMutableRawPointer
    private let bufferStride: Int

    private static let lockOffset = 0
    private static let versionOffset = 8
    private static let frontOffset = 16
    private static let latestOffset = 24
    private static let rejectedOffset = 32

    init(region: SharedRegion, layout: RegionLayout) {
        self.region = region
        base = region.base + layout.boardOffset
        maxPixels = layout.boardMaxPixels
        bufferStride = layout.boardBufferStride
    }

    private func buffer(_ index: UInt64) -> UnsafeMutableRawPointer {
        base + RegionLayout.boardHeaderSize + Int(index & 1) * bufferStride
    }
    private func bufferSequence(_ buffer: UnsafeMutableRawPointer) -> UnsafeMutablePointer<UInt64> {
        word64(buffer, 0)
    }
    private func bufferHeader(_ buffer: UnsafeMutableRawPointer) -> UnsafeMutablePointer<BoardHeader> {
        (buffer + RegionLayout.boardBufferHeaderOffset).assumingMemoryBound(to: BoardHeader.self)
    }
    private func bufferPixels(_ buffer: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Float> {
        (buffer + RegionLayout.boardBufferHeaderSize).assumingMemoryBound(to: Float.self)
    }
    private func bufferMarks(_ buffer: UnsafeMutableRawPointer) -> UnsafeMutablePointer<UInt32> {
        (buffer + RegionLayout.boardBufferHeaderSize + maxPixels * 4).assumingMemoryBound(to: UInt32.self)
    }

    /// Marks a board image carries at most.
    public static var maxMarks: Int { RegionLayout.boardMaxMarks }

    /// A mark at display pixel (x, y), as the board stores it.
    public static func mark(x: Int, y: Int) -> UInt32 { UInt32(truncatingIfNeeded: x & 0xFFFF) | UInt32(truncatingIfNeeded: y & 0xFFFF) << 16 }
    /// The display pixel of a stored mark.
    public static func position(of mark: UInt32) -> (x: Int, y: Int) { (Int(mark & 0xFFFF), Int(mark >> 16)) }

    /// Puts an image on the board, with up to `maxMarks` of `marks` (the rest are dropped;
    /// `markCount` says how many it holds). False when a newer frame is already there, or when
    /// the image does not match `header.imageWidth × imageHeight` or exceeds `maxPixels`.
    @discardableResult
    public func publish(header: BoardHeader, pixels: UnsafeBufferPointer<Float>,
                        marks: UnsafeBufferPointer<UInt32> = UnsafeBufferPointer(start: nil, count: 0)) -> Bool {
        let count = header.imagePixelCount
        guard count == pixels.count, count <= maxPixels else {
            word64(base, Self.rejectedOffset).atomicAdd(1)
            return false
        }
        let lock = word32(base, Self.lockOffset)
        let owner = header.worker &+ 1
        var round = 0
        while !lock.atomicCompareExchange(expected: 0, desired: owner == 0 ? 1 : owner) {
            round += 1
            spinBackoff(round)
        }
        defer { lock.atomicStore(0) }

        let latest = word64(base, Self.latestOffset)
        guard header.sequence > latest.atomicLoad() else {
            word64(base, Self.rejectedOffset).atomicAdd(1)
            return false
        }
        let front = word64(base, Self.frontOffset)
        let back = buffer(front.atomicLoad() &+ 1)
        SeqLock<UInt64>(word: bufferSequence(back)).write {
            var stored = header
            stored.markCount = UInt32(Swift.min(marks.count, Self.maxMarks))
            bufferHeader(back).pointee = stored
            if let source = pixels.baseAddress {
                bufferPixels(back).update(from: source, count: count)
            }
            if let source = marks.baseAddress, stored.markCount > 0 {
                bufferMarks(back).update(from: source, count: Int(stored.markCount))
            }
        }
        front.atomicStore((front.atomicLoad() &+ 1) & 1)
        latest.atomicStore(header.sequence)
        word64(base, Self.versionOffset).atomicAdd(1)
        return true
    }

    /// Copies the newest image into `pixels` (resized to fit) and returns its header; nil
    /// when nothing was published yet. Retries while writers overtake it; never torn.
    public func read(into pixels: inout [Float]) -> BoardHeader? {
        var marks: [UInt32] = []
        return read(into: &pixels, marks: &marks)
    }

    /// `read(into:)`, and the image's marks into `marks` (resized to fit).
    public func read(into pixels: inout [Float], marks: inout [UInt32]) -> BoardHeader? {
        var round = 0
        while true {
            let current = buffer(word64(base, Self.frontOffset).atomicLoad())
            let lock = SeqLock<UInt64>(word: bufferSequence(current))
            if lock.sequence == 0 { return nil }
            let copy = lock.tryRead { _ -> BoardHeader in
                let header = bufferHeader(current).pointee
                let count = Swift.min(Int(header.imageWidth) * Int(header.imageHeight), maxPixels)
                if pixels.count != count { pixels = [Float](repeating: 0, count: count) }
                let source = bufferPixels(current)
                pixels.withUnsafeMutableBufferPointer { target in
                    if let destination = target.baseAddress {
                        destination.update(from: source, count: count)
                    }
                }
                let markCount = Swift.min(Int(header.markCount), Self.maxMarks)
                if marks.count != markCount { marks = [UInt32](repeating: 0, count: markCount) }
                let markSource = bufferMarks(current)
                marks.withUnsafeMutableBufferPointer { target in
                    if let destination = target.baseAddress {
                        destination.update(from: markSource, count: markCount)
                    }
                }
                return header
            }
            if let copy { return copy.value }
            round += 1   // a writer overtook the copy: take the (new) front buffer again
            spinBackoff(round)
        }
    }

    /// Changes on every accepted publish.
    public var version: UInt64 { word64(base, Self.versionOffset).atomicLoad() }

    /// The sequence of the frame on the board (0: none).
    public var latestSequence: UInt64 { word64(base, Self.latestOffset).atomicLoad() }

    /// Publishes refused as stale or malformed.
    public var rejected: UInt64 { word64(base, Self.rejectedOffset).atomicLoad() }

    /// Frees the writer lock if the (dead) `worker` holds it. Supervisor only.
    @discardableResult
    public func breakLock(heldBy worker: Int) -> Bool {
        let owner = UInt32(truncatingIfNeeded: worker) &+ 1
        return word32(base, Self.lockOffset).atomicCompareExchange(expected: owner == 0 ? 1 : owner, desired: 0)
    }
}
