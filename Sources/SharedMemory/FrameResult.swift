import Processing

/// How a worker finished with one frame.
public enum FrameStatus: UInt8, Sendable {
    case ok = 0
    case bad = 1
    case incomplete = 2
}

/// One frame's outcome, pushed by the worker that processed it into the `ResultQueue` and
/// drained by the UI. Plain old data (the reason is a fixed 96-byte UTF-8 field) so it can
/// be copied through shared memory; enum-like fields are stored raw so that bytes from a
/// torn or foreign record can never form an invalid enum value.
public struct FrameResult: Sendable {
    public static let reasonCapacity = 96

    public var sequence: UInt64
    public var series: UInt64
    public var frameNumber: UInt64
    public var frameIndex: UInt64
    /// The frame's statistics (of the frame as the mode loads it; see `FramePipeline`).
    public var stats: FrameStats
    public var decodeNs: UInt64
    public var processNs: UInt64
    /// From the receiver's copy into the ring to the result's push (both CLOCK_MONOTONIC,
    /// one host): decode and process plus the time the frame waited in the ring.
    public var receiveToResultNs: UInt64
    public var width: UInt32
    public var height: UInt32
    public var worker: UInt32
    public var statusCode: UInt8
    public var pixelType: UInt8
    /// The processing mode the per-frame numbers below come from (its raw value).
    public var mode: UInt8
    /// 1 when the frame was dark (pedestal only), 0 otherwise.
    public var dark: UInt8
    /// Hit finding: 1 hit, 0 no hit, -1 not computed.
    public var hit: Int8
    /// Photons found (counting mode) and peaks found (hits mode); -1 when not computed.
    public var photons: Int32
    public var peaks: Int32
    /// The regions of interest measured on this frame (the first `regionCount` of
    /// `regionStorage`, in the control block's order) and the control block's region
    /// generation they were measured for.
    public var regionCount: UInt8
    public var regionGeneration: UInt32
    public var regionStorage: InlineArray<4, RegionNumbers>
    public var reasonBytes: InlineArray<96, UInt8>
    /// The pixel inspector's readout of this frame (absent unless the control block asks).
    public var inspect: PixelReadout

    public init(sequence: UInt64 = 0, series: UInt64 = 0, frameNumber: UInt64 = 0, frameIndex: UInt64 = 0,
                worker: Int = 0, status: FrameStatus = .ok, badReason: String = "",
                stats: FrameStats = .noPixels(), width: UInt32 = 0, height: UInt32 = 0,
                pixelType: UInt8 = 0, decodeNs: UInt64 = 0, processNs: UInt64 = 0,
                receiveToResultNs: UInt64 = 0) {
        self.sequence = sequence
        self.series = series
        self.frameNumber = frameNumber
        self.frameIndex = frameIndex
        self.stats = stats
        self.decodeNs = decodeNs
        self.processNs = processNs
        self.receiveToResultNs = receiveToResultNs
        self.width = width
        self.height = height
        self.worker = UInt32(truncatingIfNeeded: worker)
        self.statusCode = status.rawValue
        self.pixelType = pixelType
        self.mode = 0
        self.dark = 0
        self.hit = -1
        self.photons = -1
        self.peaks = -1
        self.regionCount = 0
        self.regionGeneration = 0
        self.regionStorage = InlineArray(repeating: RegionNumbers())
        self.reasonBytes = InlineArray(repeating: 0)
        self.inspect = PixelReadout()
        self.badReason = badReason
    }

    /// The regions' numbers in order (a count from a broken record reads as at most four).
    public var regions: [RegionNumbers] {
        get { (0..<min(Int(regionCount), ControlRegions.capacity)).map { regionStorage[$0] } }
        set {
            precondition(newValue.count <= ControlRegions.capacity)
            regionCount = UInt8(newValue.count)
            for (i, numbers) in newValue.enumerated() { regionStorage[i] = numbers }
        }
    }

    /// Unknown codes (from a newer or broken writer) read as `.bad`.
    public var status: FrameStatus {
        get { FrameStatus(rawValue: statusCode) ?? .bad }
        set { statusCode = newValue.rawValue }
    }

    /// The reason as text. Setting it truncates to 96 bytes at a character boundary.
    public var badReason: String {
        get {
            var bytes: [UInt8] = []
            for i in 0..<Self.reasonCapacity {
                let b = reasonBytes[i]
                if b == 0 { break }
                bytes.append(b)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        set {
            var length = 0
            for character in newValue {
                let size = character.utf8.count
                if length + size > Self.reasonCapacity { break }
                length += size
            }
            var i = 0
            for b in newValue.utf8.prefix(length) {
                reasonBytes[i] = b
                i += 1
            }
            while i < Self.reasonCapacity {
                reasonBytes[i] = 0
                i += 1
            }
        }
    }

    /// A hash of every field, so the consumer can tell a record torn by a lapping writer
    /// from a whole one. Field by field (not raw bytes): padding bytes are undefined.
    func checksum() -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func mix(_ v: UInt64) {
            h = (h ^ v) &* 0x0000_0100_0000_01b3
            h ^= h >> 29
        }
        mix(sequence); mix(series); mix(frameNumber); mix(frameIndex)
        mix(stats.sum.bitPattern); mix(stats.min.bitPattern); mix(stats.max.bitPattern); mix(stats.mean.bitPattern)
        mix(UInt64(bitPattern: Int64(stats.masked))); mix(UInt64(bitPattern: Int64(stats.count)))
        mix(decodeNs); mix(processNs); mix(receiveToResultNs)
        mix(UInt64(width) << 32 | UInt64(height))
        mix(UInt64(worker) << 16 | UInt64(statusCode) << 8 | UInt64(pixelType))
        mix(UInt64(mode) << 16 | UInt64(dark) << 8 | UInt64(UInt8(bitPattern: hit)))
        mix(UInt64(UInt32(bitPattern: photons)) << 32 | UInt64(UInt32(bitPattern: peaks)))
        mix(UInt64(regionCount) << 32 | UInt64(regionGeneration))
        for i in 0..<ControlRegions.capacity { regionStorage[i].mix(into: mix) }
        for i in 0..<Self.reasonCapacity { mix(UInt64(reasonBytes[i])) }
        inspect.mix(into: mix)
        return h
    }
}
