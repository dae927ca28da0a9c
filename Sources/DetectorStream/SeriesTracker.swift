/// The shape and pixel type every frame of a series shares; a change ends the series.
struct SeriesGeometry: Equatable {
    var width: Int
    var height: Int
    var pixelType: PixelType
}

/// The series a decoder has open, and the counting every format does the same way: frames per
/// series and in all, and gaps in the detector's frame numbers. Each decoder decides when a
/// series starts and ends (its wire format says); this keeps the books and emits the
/// `.seriesEnd` and `.gap` events, so that their contents and order are the same for every
/// format. Part of a decoder: owned by the receiver thread.
struct SeriesTracker {
    struct OpenSeries {
        let series: UInt64
        let geometry: SeriesGeometry
        /// Frames counted in this series.
        var frames: UInt64 = 0
        /// The number of the last frame counted.
        var lastFrame: UInt64?
    }

    private(set) var open: OpenSeries?
    /// Frames counted, all series.
    private(set) var frames: UInt64 = 0
    /// Frames missing from jumps in the frame numbers, all series.
    private(set) var gaps: UInt64 = 0

    /// Opens a series; the caller announces it (`.seriesStart`) in its own words.
    mutating func start(series: UInt64, geometry: SeriesGeometry) {
        open = OpenSeries(series: series, geometry: geometry)
    }

    /// Ends the open series, if any, with its frame count.
    mutating func end(emit: (StreamEvent) -> Void) {
        guard let current = open else { return }
        open = nil
        emit(.seriesEnd(series: current.series, frames: current.frames))
    }

    /// Counts one frame of the open series, numbered `number` by the detector. With
    /// `checkingGap`, a number beyond the one after the last is a gap, emitted before the
    /// caller emits the frame. Returns the frame's index within the series (from 0).
    @discardableResult
    mutating func count(frame number: UInt64, checkingGap: Bool, emit: (StreamEvent) -> Void) -> UInt64 {
        guard var current = open else { return 0 }
        let index = current.frames
        if checkingGap, let last = current.lastFrame, number > last &+ 1 {
            let missing = number - last - 1
            gaps += missing
            emit(.gap(series: current.series, missing: missing))
        }
        current.lastFrame = number
        current.frames += 1
        open = current
        frames += 1
        return index
    }
}
