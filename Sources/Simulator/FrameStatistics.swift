/// Sum and maximum over the unmasked pixels of a u16 frame, and the count of masked ones
/// (all ones, 0xFFFF): what `--record` writes so tests can check a viewer's numbers.
public struct FrameStatistics: Sendable, Equatable {
    public var sum: UInt64
    public var max: UInt16
    public var masked: Int

    public init(sum: UInt64, max: UInt16, masked: Int) {
        self.sum = sum
        self.max = max
        self.masked = masked
    }

    public init(_ pixels: UnsafeBufferPointer<UInt16>) {
        var sum: UInt64 = 0, maximum: UInt16 = 0, masked = 0
        for v in pixels {
            if v == 0xFFFF {
                masked += 1
            } else {
                sum &+= UInt64(v)
                if v > maximum { maximum = v }
            }
        }
        self.init(sum: sum, max: maximum, masked: masked)
    }
}
