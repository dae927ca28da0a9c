import DetectorStream

/// Sum and maximum over the unmasked pixels of a frame, and the count of masked ones (the
/// all-ones value of the pixel type): what `--record` writes so tests can check a viewer's
/// numbers. A plain value.
public struct FrameStatistics: Sendable, Equatable {
    public var sum: UInt64
    public var max: UInt64
    public var masked: Int

    public init(sum: UInt64, max: UInt64, masked: Int) {
        self.sum = sum
        self.max = max
        self.masked = masked
    }

    public init(_ pixels: UnsafeBufferPointer<UInt16>) {
        self = Self.over(pixels)
    }

    /// Statistics of `bytes` read as little-endian pixels of `pixelType`; with `adcBits`, of
    /// the low bits of each unmasked pixel only (JUNGFRAU's ADC value under its gain bits).
    public init(bytes: UnsafeRawBufferPointer, pixelType: PixelType, adcBits: Int? = nil) {
        let keep = adcBits.map { UInt64(1) << $0 - 1 } ?? .max
        switch pixelType {
        case .uint8: self = Self.over(bytes.assumingMemoryBound(to: UInt8.self), keep: keep)
        case .uint16: self = Self.over(bytes.assumingMemoryBound(to: UInt16.self), keep: keep)
        case .uint32: self = Self.over(bytes.assumingMemoryBound(to: UInt32.self), keep: keep)
        default: preconditionFailure("simulated frames are uint8/16/32, not \(pixelType.name)")
        }
    }

    private static func over<T: FixedWidthInteger & UnsignedInteger>(_ pixels: UnsafeBufferPointer<T>,
                                                                      keep: UInt64 = .max) -> FrameStatistics {
        let bits = T(truncatingIfNeeded: keep)
        var sum: UInt64 = 0, maximum: T = 0, masked = 0
        for raw in pixels {
            if raw == T.max {
                masked += 1
            } else {
                let v = T(littleEndian: raw) & bits
                sum &+= UInt64(v)
                if v > maximum { maximum = v }
            }
        }
        return FrameStatistics(sum: sum, max: UInt64(maximum), masked: masked)
    }
}
