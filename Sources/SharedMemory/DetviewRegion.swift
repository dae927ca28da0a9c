/// The viewer's whole shared state in one memfd mapping: control block, frame ring, result
/// board, result queue, worker statistics and the stream's pixel mask, at offsets given by a `RegionLayout` stored
/// in the region's header.
///
/// The viewer calls `create`; a worker process, which knows only the inherited fd, calls
/// `attach(fd:)`, which validates magic, version, structure sizes and the mapping's size
/// before handing out any view. The views keep the region mapped as long as they live.
public final class DetviewRegion: @unchecked Sendable {
    /// "DETVIEW1" in little-endian bytes.
    public static let magic: UInt64 = 0x3157_4549_5654_4544
    public static let version: UInt32 = 7

    public let region: SharedRegion
    public let layout: RegionLayout
    public let control: ControlBlock
    public let ring: FrameRing
    public let board: ResultBoard
    public let results: ResultQueue
    public let workerStats: WorkerStats
    public let masks: MaskBoard
    public let views: ViewBoard

    // Header offsets.
    private static let magicOffset = 0
    private static let versionOffset = 8
    private static let abiOffset = 16
    private static let fieldsOffset = 32

    /// Sizes of the structures copied through the region: a binary that disagrees must not
    /// attach.
    static var abiFingerprint: UInt64 {
        UInt64(MemoryLayout<SlotHeader>.size) << 48 | UInt64(MemoryLayout<BoardHeader>.size) << 32
            | UInt64(MemoryLayout<FrameResult>.size) << 16 | UInt64(RegionLayout.resultRecordStride)
            ^ UInt64(MemoryLayout<ViewHeader>.size) << 56
    }

    private init(region: SharedRegion, layout: RegionLayout) {
        self.region = region
        self.layout = layout
        control = ControlBlock(region: region, layout: layout)
        ring = FrameRing(region: region, layout: layout)
        board = ResultBoard(region: region, layout: layout)
        results = ResultQueue(region: region, layout: layout)
        workerStats = WorkerStats(region: region, layout: layout)
        masks = MaskBoard(region: region, layout: layout)
        views = ViewBoard(region: region, layout: layout)
    }

    /// Creates a fresh region (a new memfd named `name`, visible only in /proc/<pid>/fd).
    public static func create(layout: RegionLayout, name: String = "detview",
                              populate: Bool = true) throws(RegionError) -> DetviewRegion {
        let region: SharedRegion
        do {
            region = try SharedRegion.create(name: name, size: layout.totalSize, populate: populate)
        } catch {
            throw .system(error)
        }
        let base = region.base
        word32(base, versionOffset).atomicStore(version)
        word64(base, abiOffset).atomicStore(abiFingerprint)
        let fields = [layout.slotCount, layout.slotCapacity, layout.maxWorkers, layout.boardMaxPixels,
                      layout.resultCapacity, layout.totalSize, layout.maskCapacity, layout.ringBytes]
        for (i, value) in fields.enumerated() {
            word64(base, fieldsOffset + 8 * i).atomicStore(UInt64(value))
        }
        let created = DetviewRegion(region: region, layout: layout)
        created.ring.formatInitialLayout()
        // Last, so that a header with the magic is a complete header.
        word64(base, magicOffset).atomicStore(magic)
        return created
    }

    /// Validates and wraps a mapped region.
    public static func attach(_ region: SharedRegion) throws(RegionError) -> DetviewRegion {
        let base = region.base
        guard region.size >= RegionLayout.headerSize else {
            throw .tooSmall(size: region.size, needed: RegionLayout.headerSize)
        }
        let foundMagic = word64(base, magicOffset).atomicLoad()
        guard foundMagic == magic else { throw .badMagic(found: foundMagic) }
        let foundVersion = word32(base, versionOffset).atomicLoad()
        guard foundVersion == version else { throw .unsupportedVersion(found: foundVersion, expected: version) }
        let foundABI = word64(base, abiOffset).atomicLoad()
        guard foundABI == abiFingerprint else { throw .abiMismatch(found: foundABI, expected: abiFingerprint) }

        func field(_ i: Int) -> Int {
            Int(truncatingIfNeeded: min(word64(base, fieldsOffset + 8 * i).atomicLoad(), UInt64(Int.max)))
        }
        let layout = try RegionLayout(slotCount: field(0), slotCapacity: field(1), ringBytes: field(7), maxWorkers: field(2),
                                      boardMaxPixels: field(3), resultCapacity: field(4), maskCapacity: field(6))
        guard field(5) == layout.totalSize else {
            throw .invalidLayout("header says \(field(5)) bytes, its sizes need \(layout.totalSize)")
        }
        guard region.size >= layout.totalSize else {
            throw .tooSmall(size: region.size, needed: layout.totalSize)
        }
        return DetviewRegion(region: region, layout: layout)
    }

    /// Maps an inherited fd and attaches. On success the region owns `fd`.
    public static func attach(fd: Int32) throws(RegionError) -> DetviewRegion {
        let region: SharedRegion
        do {
            region = try SharedRegion.attach(fd: fd)
        } catch {
            throw .system(error)
        }
        return try attach(region)
    }

    /// Settings fixed for the region's lifetime, as text (Processing's `ProcessingOptions`):
    /// written by the viewer before any worker starts, read by each worker when it attaches.
    /// False when the text does not fit.
    @discardableResult
    public func writeOptions(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= RegionLayout.optionsSize - 8 else { return false }
        let block = region.base + layout.optionsOffset
        bytes.withUnsafeBytes { source in
            if let from = source.baseAddress { (block + 8).copyMemory(from: from, byteCount: source.count) }
        }
        word64(block, 0).atomicStore(UInt64(bytes.count))
        return true
    }

    /// The text `writeOptions` stored ("" when none).
    public var options: String {
        let block = region.base + layout.optionsOffset
        let count = Int(min(word64(block, 0).atomicLoad(), UInt64(RegionLayout.optionsSize - 8)))
        return String(decoding: UnsafeRawBufferPointer(start: block + 8, count: count), as: UTF8.self)
    }
}
