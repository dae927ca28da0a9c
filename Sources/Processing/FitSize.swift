extension FrameKernels {
    /// The display image size for a frame shown in an area of `areaWidth × areaHeight`
    /// display pixels, keeping the frame's aspect ratio.
    ///
    /// A frame larger than the area (in either direction) is scaled down continuously to
    /// the largest size that fits (each side at least 1). A frame that fits is scaled UP by
    /// the largest whole factor that still fits, so every source pixel becomes the same
    /// number of display pixels (no uneven replication, and a cursor maps back to exactly
    /// one frame pixel). (0, 0) when the frame or the area is empty.
    public static func fitSize(frameWidth: Int, frameHeight: Int, areaWidth: Int, areaHeight: Int)
        -> (width: Int, height: Int) {
        guard frameWidth > 0, frameHeight > 0, areaWidth > 0, areaHeight > 0 else { return (0, 0) }
        if frameWidth <= areaWidth && frameHeight <= areaHeight {
            let factor = Swift.min(areaWidth / frameWidth, areaHeight / frameHeight)
            return (frameWidth * factor, frameHeight * factor)
        }
        let scale = Swift.min(Double(areaWidth) / Double(frameWidth), Double(areaHeight) / Double(frameHeight))
        let width = Swift.min(areaWidth, Swift.max(1, Int((Double(frameWidth) * scale).rounded())))
        let height = Swift.min(areaHeight, Swift.max(1, Int((Double(frameHeight) * scale).rounded())))
        return (width, height)
    }
}
