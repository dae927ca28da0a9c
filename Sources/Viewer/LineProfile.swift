import Processing

/// A line profile of the shown image: the display pixels of one row or one column through
/// the cursor (or the view's centre when there is no cursor). It is taken from the image the
/// heatmap shows, so at display resolution (a binned view's bins, not detector pixels). Pure.
public struct LineProfile: Sendable, Equatable {
    public enum Axis: Sendable, Equatable {
        /// A horizontal profile: the row through the cursor.
        case row
        /// A vertical profile: the column through the cursor.
        case column

        var name: String { self == .row ? "row" : "column" }
    }

    public var axis: Axis
    /// The detector row (for `.row`) or column (for `.column`) the profile runs along: the
    /// first detector pixel of the display line shown.
    public var detectorLine: Int
    /// The display line's index in the image.
    public var displayLine: Int
    /// The values along it, in image order (NaN: masked).
    public var values: [Float]

    /// The finite values' range; nil when every value is masked.
    public var range: (min: Float, max: Float)? {
        let finite = values.filter { $0.isFinite }
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return (low, high)
    }

    /// The profile of `pixels` (`width × height`, showing `region` of the frame) along `axis`
    /// through the detector pixel `cursor`; nil when the image is empty or the cursor lies
    /// outside the region shown.
    public init?(axis: Axis, pixels: [Float], width: Int, height: Int, region: PixelRegion,
                 cursor: Viewport.Point?) {
        guard width > 0, height > 0, pixels.count >= width * height, !region.isEmpty else { return nil }
        let (size, span, origin) = axis == .row ? (height, region.height, region.y0) : (width, region.width, region.x0)
        let line: Int
        if let cursor {
            let detector = Int((axis == .row ? cursor.y : cursor.x).rounded(.down))
            guard detector >= origin, detector < origin + span else { return nil }
            // The display line whose bin holds this detector line (the workers' binning rule).
            line = Swift.min(size - 1, (detector - origin) * size / span)
        } else {
            line = size / 2
        }
        self.axis = axis
        displayLine = line
        detectorLine = origin + line * span / size
        values = axis == .row ? Array(pixels[line * width ..< (line + 1) * width])
                              : (0..<height).map { pixels[$0 * width + line] }
    }

    /// The values resampled to `columns` points for a plot: the mean of the finite values each
    /// point covers (NaN where all are masked); a profile shorter than the plot repeats values.
    public func resampled(to columns: Int) -> [Double] {
        guard columns > 0, !values.isEmpty else { return [] }
        return (0..<columns).map { c in
            let start = c * values.count / columns
            let end = Swift.max(start + 1, (c + 1) * values.count / columns)
            let finite = values[start..<Swift.min(end, values.count)].filter { $0.isFinite }
            return finite.isEmpty ? .nan : Double(finite.reduce(0, +)) / Double(finite.count)
        }
    }
}
