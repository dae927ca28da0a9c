import SharedMemory

/// Reads the display-sized images the workers publish: the latest frame's image from the
/// result board (only when its version moved) and every worker's share of the active mode's
/// view, composed as the screen shows it. Keeps its buffers between reads.
///
/// The latest frames read since the heatmap was last painted are combined by their maximum
/// (the raw mode's rule: a photon seen in any of them stays visible until a paint shows it);
/// frames published and replaced between two reads (reads happen at every paint, up to the
/// render rate) are not seen. Accumulating modes are already combined by their composed view.
///
/// Owned by the main actor (the session's render).
struct BoardReader {
    private var boardVersion: UInt64 = 0
    private var pixels: [Float] = []
    private var marks: [UInt32] = []
    private var viewA: [Float] = []
    private var viewB: [Float] = []
    /// The frames read since the heatmap's last paint, combined.
    private var combined: DisplayImage?

    /// The latest frame's image, or nil when the board has not changed since the last call.
    mutating func latestImage(from board: ResultBoard) -> DisplayImage? {
        let version = board.version
        guard version != boardVersion, let header = board.read(into: &pixels, marks: &marks) else { return nil }
        boardVersion = version
        let count = Int(header.imageWidth) * Int(header.imageHeight)
        var image = DisplayImage(series: header.series, frameNumber: header.frameNumber,
                                 frameWidth: Int(header.frameWidth), frameHeight: Int(header.frameHeight),
                                 width: Int(header.imageWidth), height: Int(header.imageHeight),
                                 pixels: Array(pixels.prefix(count)), stats: header.stats, marks: marks)
        image.viewGeneration = header.viewGeneration
        image.region = header.viewRegion
        if let previous = combined, previous.series == image.series, previous.width == image.width,
           previous.height == image.height, previous.pixels.count == image.pixels.count,
           previous.viewGeneration == image.viewGeneration, previous.region == image.region {
            image.pixels.withUnsafeMutableBufferPointer { latest in
                previous.pixels.withUnsafeBufferPointer { earlier in
                    // Float.maximum keeps a number over NaN; masked pixels are NaN in every frame.
                    for i in 0..<latest.count { latest[i] = Float.maximum(latest[i], earlier[i]) }
                }
            }
        }
        combined = image
        return image
    }

    /// The heatmap was painted with what was read: the next frames are combined afresh.
    mutating func heatmapPainted() {
        combined = nil
    }

    /// The active accumulating mode's view composed from every worker's share (nil when the
    /// mode shows the latest frame, or no share is there yet).
    mutating func composedView(from views: ViewBoard, workers: Int, modes: ModeState) -> ComposedView? {
        guard modes.showsComposedView else { return nil }
        var parts: [ViewPart] = []
        for worker in 0..<workers {
            if let header = views.read(worker: worker, a: &viewA, b: &viewB) {
                parts.append(ViewPart(header: header, a: viewA, b: viewB))
            }
        }
        return ViewComposer.compose(mode: modes.mode, pumpView: modes.pumpView, pedestalView: modes.pedestalView,
                                    clears: modes.clears, pedestalResets: modes.pedestalResets, parts: parts)
    }
}
