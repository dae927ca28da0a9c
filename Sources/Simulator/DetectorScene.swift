import DetectorStream
import Processing

/// A synthetic detector that renders frames as little-endian pixels of one type, deterministic
/// for its seed. Owned by the one sending thread that renders with it.
public protocol DetectorScene {
    var width: Int { get }
    var height: Int { get }
    var pixelType: PixelType { get }
    /// The DECTRIS-style pixel mask (non-zero = masked), row-major, when the scene has gaps.
    var pixelMask: [UInt32]? { get }
    /// The value the scene's saturated pixels take (the DECTRIS `saturation_value`).
    var saturationValue: UInt64 { get }
    /// Pixels carry JUNGFRAU gain bits (15–14) above the ADC value.
    var hasGainBits: Bool { get }
    /// Renders frame `frameIndex` of the sequence into `frame` (exactly width × height pixels of
    /// `pixelType`) and returns the photons it placed, when the scene tracks them.
    mutating func render(frameIndex: UInt64, into frame: UnsafeMutableRawBufferPointer) -> [Photon]
}

extension DetectorScene {
    public var frameBytes: Int { width * height * pixelType.bytesPerPixel }

    public var hasGainBits: Bool { false }

    /// The statistics a viewer must report for a frame of this scene: of the ADC values
    /// when the pixels carry gain bits, as viewers show those.
    public func statistics(of pixels: UnsafeRawBufferPointer, masking masked: [Int] = []) -> FrameStats {
        guard !masked.isEmpty else {
            return FrameStats(reference: pixels, pixelType: pixelType, adcBits: hasGainBits ? 14 : nil)
        }
        // The stream's mask marks pixels a viewer never counts: all ones, as the detector's own gaps.
        var copy = [UInt8](pixels)
        let size = pixelType.bytesPerPixel
        for i in masked where (i + 1) * size <= copy.count {
            for b in 0..<size { copy[i * size + b] = 0xFF }
        }
        return copy.withUnsafeBytes { FrameStats(reference: $0, pixelType: pixelType, adcBits: hasGainBits ? 14 : nil) }
    }

    /// Indices of the pixels the scene's pixel mask marks.
    public var maskedIndices: [Int] {
        (pixelMask ?? []).enumerated().compactMap { $0.element != 0 ? $0.offset : nil }
    }
}

extension MoenchScene: DetectorScene {
    public var width: Int { Self.width }
    public var height: Int { Self.height }
    public var pixelType: PixelType { .uint16 }
    public var pixelMask: [UInt32]? { nil }
    public var saturationValue: UInt64 { UInt64(Self.maxADU) }

    public mutating func render(frameIndex: UInt64, into frame: UnsafeMutableRawBufferPointer) -> [Photon] {
        render(frameIndex: frameIndex, into: frame.bindMemory(to: UInt16.self))
    }
}
