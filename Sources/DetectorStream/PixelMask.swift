/// A detector's pixel mask for a series: which pixels (gaps, dead, noisy, …) never count.
/// DECTRIS streams send it as one uint32 per pixel (non-zero = masked); here it is kept as
/// the ascending row-major indices of the masked pixels, which is what the workers apply
/// (most pixels are not masked). A plain value, made on the receiver thread.
public struct PixelMask: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var indices: [UInt32]

    public init(width: Int, height: Int, indices: [UInt32]) {
        self.width = width
        self.height = height
        self.indices = indices
    }

    /// From per-pixel flag values, row-major, `width × height` of them (nil when the count
    /// differs): non-zero is masked.
    public init?(width: Int, height: Int, flags: [UInt32]) {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard width >= 0, height >= 0, !overflow, flags.count == pixels else { return nil }
        var indices: [UInt32] = []
        for (i, flag) in flags.enumerated() where flag != 0 { indices.append(UInt32(truncatingIfNeeded: i)) }
        self.init(width: width, height: height, indices: indices)
    }
}
