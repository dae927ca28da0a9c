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

    /// The image a `regionWidth × regionHeight` region of detector pixels is binned to for a
    /// picture of `areaWidth × areaHeight` terminal pixels (`--graphics`): the largest size
    /// that fits the area, keeps the region's aspect ratio and holds at most `maxPixels`,
    /// but never more pixels than the region has. A region smaller than the picture stays
    /// 1:1 (each detector pixel once); the picture replicates it into square blocks, which
    /// costs the workers nothing and the board no room. (0, 0) when anything is empty.
    public static func pictureSize(regionWidth: Int, regionHeight: Int, areaWidth: Int, areaHeight: Int,
                                   maxPixels: Int) -> (width: Int, height: Int) {
        guard regionWidth > 0, regionHeight > 0, areaWidth > 0, areaHeight > 0, maxPixels > 0 else { return (0, 0) }
        let w = Double(regionWidth), h = Double(regionHeight)
        let scale = Swift.min(1, Double(areaWidth) / w, Double(areaHeight) / h, (Double(maxPixels) / (w * h)).squareRoot())
        // Rounded down, so neither the area nor the board's room is ever passed.
        var width = Swift.max(1, Swift.min(regionWidth, Int((w * scale).rounded(.down))))
        var height = Swift.max(1, Swift.min(regionHeight, Int((h * scale).rounded(.down))))
        // The square root may round up by an ulp.
        while width * height > maxPixels { if width >= height { width -= 1 } else { height -= 1 } }
        return (width, height)
    }
}
