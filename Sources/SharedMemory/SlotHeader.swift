/// The description of one frame in a ring slot, written by the receiver while it fills the
/// slot and read by the worker that claimed it. Plain old data: it lives in shared memory
/// and is copied bit for bit. The codes are DetectorStream's raw values (pixel type,
/// encoding, wire format); this module does not interpret them.
public struct SlotHeader: Equatable, Sendable {
    /// Assigned by `FrameRing.publish`: 1, 2, 3, … in publish order.
    public var sequence: UInt64
    public var series: UInt64
    public var frameNumber: UInt64
    /// Index of the frame within its series as the receiver counted it.
    public var frameIndex: UInt64
    /// Payload bytes in the slot (still compressed when `encoding` says so).
    public var byteCount: UInt64
    public var receivedNs: UInt64
    public var width: UInt32
    public var height: UInt32
    public var pixelType: UInt8
    public var encoding: UInt8
    public var format: UInt8
    public var flags: UInt8

    public static let incompleteFlag: UInt8 = 1
    /// The payload's multi-byte pixels are big-endian (`FrameDescriptor.bigEndian`).
    public static let bigEndianFlag: UInt8 = 2
    /// JUNGFRAU pixels: bits 15–14 are the gain stage, bits 13–0 the ADC value.
    public static let gainBitsFlag: UInt8 = 4

    public init(sequence: UInt64 = 0, series: UInt64 = 0, frameNumber: UInt64 = 0, frameIndex: UInt64 = 0,
                byteCount: UInt64 = 0, receivedNs: UInt64 = 0, width: UInt32 = 0, height: UInt32 = 0,
                pixelType: UInt8 = 0, encoding: UInt8 = 0, format: UInt8 = 0, flags: UInt8 = 0) {
        self.sequence = sequence
        self.series = series
        self.frameNumber = frameNumber
        self.frameIndex = frameIndex
        self.byteCount = byteCount
        self.receivedNs = receivedNs
        self.width = width
        self.height = height
        self.pixelType = pixelType
        self.encoding = encoding
        self.format = format
        self.flags = flags
    }

    public var isIncomplete: Bool {
        get { flags & Self.incompleteFlag != 0 }
        set { setFlag(Self.incompleteFlag, newValue) }
    }

    /// A charge-integrating detector (MOENCH, JUNGFRAU): its frames have a pedestal.
    public static let chargeIntegratingFlag: UInt8 = 8

    public var isChargeIntegrating: Bool {
        get { flags & Self.chargeIntegratingFlag != 0 }
        set { setFlag(Self.chargeIntegratingFlag, newValue) }
    }

    public var hasGainBits: Bool {
        get { flags & Self.gainBitsFlag != 0 }
        set { setFlag(Self.gainBitsFlag, newValue) }
    }

    private mutating func setFlag(_ flag: UInt8, _ on: Bool) {
        flags = on ? flags | flag : flags & ~flag
    }

    public var isBigEndian: Bool {
        get { flags & Self.bigEndianFlag != 0 }
        set { setFlag(Self.bigEndianFlag, newValue) }
    }
}
