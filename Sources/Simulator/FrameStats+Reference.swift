import DetectorStream
import Processing

extension FrameStats {
    /// The statistics of `bytes` read as little-endian pixels of `pixelType` (masked: the
    /// all-ones value); with `adcBits`, of the low bits of each unmasked pixel only (JUNGFRAU's
    /// ADC value under its gain bits). What `--record` writes, so tests can check a viewer's
    /// numbers.
    ///
    /// A plain Swift loop on purpose, apart from the C kernels the workers use: the record is
    /// the truth those kernels are checked against, so it must not share their code. The sum
    /// adds in UInt64 and converts to Double once, as the kernels do, so a record and a
    /// viewer agree to the last bit (exact below 2^53, rounded alike above it).
    public init(reference bytes: UnsafeRawBufferPointer, pixelType: PixelType, adcBits: Int? = nil) {
        let keep = adcBits.map { UInt64(1) << $0 - 1 } ?? .max
        switch pixelType {
        case .uint8: self = Self.reference(bytes.assumingMemoryBound(to: UInt8.self), keep: keep)
        case .uint16: self = Self.reference(bytes.assumingMemoryBound(to: UInt16.self), keep: keep)
        case .uint32: self = Self.reference(bytes.assumingMemoryBound(to: UInt32.self), keep: keep)
        default: preconditionFailure("simulated frames are uint8/16/32, not \(pixelType.name)")
        }
    }

    private static func reference<T: FixedWidthInteger & UnsignedInteger>(_ pixels: UnsafeBufferPointer<T>,
                                                                           keep: UInt64) -> FrameStats {
        let bits = T(truncatingIfNeeded: keep)
        var sum: UInt64 = 0, minimum: T = .max, maximum: T = 0, masked = 0
        for raw in pixels {
            if raw == T.max {
                masked += 1
            } else {
                let v = T(littleEndian: raw) & bits
                sum &+= UInt64(v)
                if v < minimum { minimum = v }
                if v > maximum { maximum = v }
            }
        }
        return FrameStats(integerSum: sum, min: UInt64(minimum), max: UInt64(maximum), masked: masked, total: pixels.count)
    }
}
