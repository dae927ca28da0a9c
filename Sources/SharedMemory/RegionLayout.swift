/// The sizes that shape a detview shared region, and the byte offsets they imply.
///
/// The viewer chooses the sizes; `DetviewRegion.create` stores them in the region's header
/// and every attaching process recomputes the same offsets from them, so nothing but the fd
/// has to be passed to a worker. Offsets are aligned to cache lines (128 bytes, so that no
/// two sections share a prefetched pair of lines) and slot payloads to pages.
public struct RegionLayout: Equatable, Sendable {
    /// The slot table's size: the most slots the ring can have (`--slots`). How many are in use
    /// depends on the frames (`FrameRing.activeSlotCount`).
    public let slotCount: Int
    /// The largest payload a slot ever holds: the largest frame accepted (`--max-frame-bytes`).
    public let slotCapacity: Int
    /// The payload arena the slots are carved from (`--ring-bytes`): the ring's memory bound.
    public let ringBytes: Int
    public let maxWorkers: Int
    /// Maximum pixels of one display image on the result board.
    public let boardMaxPixels: Int
    /// Records in the result queue.
    public let resultCapacity: Int
    /// Masked pixel indices the mask board can hold.
    public let maskCapacity: Int

    // Offsets of each section from the start of the region.
    public let headerOffset: Int
    public let controlOffset: Int
    public let ringOffset: Int
    public let slotTableOffset: Int
    public let payloadOffset: Int
    public let boardOffset: Int
    public let resultsOffset: Int
    public let workerStatsOffset: Int
    public let maskOffset: Int
    public let optionsOffset: Int
    public let viewOffset: Int
    public let viewEntryStride: Int
    public let totalSize: Int

    public let boardBufferStride: Int

    static let lineSize = 128
    static let pageSize = 4096
    static let headerSize = 256
    static let controlSize = 256
    static let ringHeaderSize = 512
    static let slotEntrySize = 128
    static let slotHeaderOffsetInEntry = 16
    /// Where in a slot entry its payload's offset (in the arena) and capacity are, written by the
    /// receiver while it fills the slot, so that a worker never needs the ring's current layout.
    static let slotPayloadOffsetInEntry = 96
    static let slotPayloadCapacityInEntry = 104
    static let boardHeaderSize = 256
    static let boardBufferHeaderSize = 256
    static let boardBufferHeaderOffset = 64
    static let resultsHeaderSize = 256
    static let resultRecordHeaderSize = 16
    static let workerEntrySize = 128
    static let maskHeaderSize = 128
    static let optionsSize = 8192
    static let viewEntryHeaderSize = 256
    static let viewHeaderOffset = 64

    public static let maxSlotCount = 1 << 14
    public static let maxSlotCapacity = 1 << 34
    public static let maxRingBytes = 1 << 42
    public static let maxWorkerCount = 255
    public static let maxBoardPixels = 1 << 26
    /// Marks (photons or peaks of the frame, in display pixels) a board image can carry.
    public static let boardMaxMarks = 1024
    public static let maxResultCapacity = 1 << 20
    public static let maxMaskCapacity = 1 << 28

    static var resultRecordStride: Int {
        align(resultRecordHeaderSize + MemoryLayout<FrameResult>.size, to: 64)
    }

    /// `ringBytes` nil: room for `slotCount` slots of `slotCapacity` (the fixed ring of before).
    public init(slotCount: Int, slotCapacity: Int, ringBytes: Int? = nil, maxWorkers: Int, boardMaxPixels: Int,
                resultCapacity: Int, maskCapacity: Int = 1) throws(RegionError) {
        func check(_ value: Int, _ name: String, _ limit: Int) throws(RegionError) {
            guard value >= 1, value <= limit else {
                throw RegionError.invalidLayout("\(name) \(value) is outside 1...\(limit)")
            }
        }
        try check(slotCount, "slotCount", Self.maxSlotCount)
        try check(slotCapacity, "slotCapacity", Self.maxSlotCapacity)
        try check(maxWorkers, "maxWorkers", Self.maxWorkerCount)
        try check(boardMaxPixels, "boardMaxPixels", Self.maxBoardPixels)
        try check(resultCapacity, "resultCapacity", Self.maxResultCapacity)
        try check(maskCapacity, "maskCapacity", Self.maxMaskCapacity)
        let payloadStride = Self.align(slotCapacity, to: Self.pageSize)
        let ringBytes = ringBytes ?? slotCount * payloadStride
        guard ringBytes >= payloadStride, ringBytes <= Self.maxRingBytes else {
            throw RegionError.invalidLayout(
                "ringBytes \(ringBytes) is outside \(payloadStride)...\(Self.maxRingBytes) (at least one largest frame)")
        }
        precondition(MemoryLayout<SlotHeader>.size <= Self.slotPayloadOffsetInEntry - Self.slotHeaderOffsetInEntry)
        precondition(MemoryLayout<ViewHeader>.size <= Self.viewEntryHeaderSize - Self.viewHeaderOffset)
        precondition(MemoryLayout<BoardHeader>.size
                     <= Self.boardBufferHeaderSize - Self.boardBufferHeaderOffset)

        self.slotCount = slotCount
        self.slotCapacity = slotCapacity
        self.ringBytes = ringBytes
        self.maxWorkers = maxWorkers
        self.boardMaxPixels = boardMaxPixels
        self.resultCapacity = resultCapacity
        self.maskCapacity = maskCapacity

        // With the limits above every product stays below 2^48: no overflow on 64-bit Int.
        var end = 0
        func section(_ size: Int, alignment: Int) -> Int {
            let start = RegionLayout.align(end, to: alignment)
            end = start + size
            return start
        }
        let line = Self.lineSize, page = Self.pageSize
        let bufferStride = Self.align(Self.boardBufferHeaderSize + boardMaxPixels * 4 + Self.boardMaxMarks * 4, to: line)
        headerOffset = section(Self.headerSize, alignment: line)
        controlOffset = section(Self.controlSize, alignment: line)
        ringOffset = section(Self.ringHeaderSize, alignment: line)
        slotTableOffset = section(slotCount * Self.slotEntrySize, alignment: line)
        payloadOffset = section(Self.align(ringBytes, to: page), alignment: page)
        boardOffset = section(Self.boardHeaderSize + 2 * bufferStride, alignment: page)
        resultsOffset = section(Self.resultsHeaderSize + resultCapacity * Self.resultRecordStride, alignment: line)
        workerStatsOffset = section(maxWorkers * Self.workerEntrySize, alignment: line)
        optionsOffset = section(Self.optionsSize, alignment: line)
        // One entry per worker, two images each; pages are touched only by accumulating modes.
        let viewStride = Self.align(Self.viewEntryHeaderSize + 2 * boardMaxPixels * 4, to: page)
        viewOffset = section(maxWorkers * viewStride, alignment: page)
        viewEntryStride = viewStride
        // Last: its pages are touched only by a stream that sends a mask.
        maskOffset = section(Self.maskHeaderSize + maskCapacity * 4, alignment: page)
        boardBufferStride = bufferStride
        totalSize = Self.align(end, to: Self.pageSize)
    }

    static func align(_ value: Int, to alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }
}
