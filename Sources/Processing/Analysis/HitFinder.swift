import CKernels

/// One peak of a frame: an 8-connected group of pixels above their tile's threshold.
/// Coordinates are continuous with the origin at the corner of pixel (0, 0): pixel (i, j)
/// covers [i, i+1) × [j, j+1), so a single-pixel peak at (3, 4) has its centroid at (3.5, 4.5).
public struct Peak: Sendable, Equatable {
    /// Centroid weighted by each pixel's value above its local background.
    public var x: Double
    public var y: Double
    public var pixels: Int
    /// Summed value above the local background over the peak's pixels.
    public var intensity: Double
    /// The largest pixel value in the peak (not background-subtracted).
    public var maxValue: Float

    public init(x: Double, y: Double, pixels: Int, intensity: Double, maxValue: Float) {
        self.x = x
        self.y = y
        self.pixels = pixels
        self.intensity = intensity
        self.maxValue = maxValue
    }
}

/// Per-frame peak finding for the hits mode. Owned by one worker process; all buffers are
/// allocated at init (for one image size), so `find` never allocates.
///
/// A pixel is bright when its value is above `background + sigma · σ` of its tile (see
/// `TileBackground` for the estimate); masked (NaN) pixels never are. Bright pixels are
/// grouped into 8-connected components; a component of at least `minPixels` pixels is a peak,
/// and a frame with at least `minPeaks` peaks is a hit. The first `maxStoredPeaks` peaks in
/// scan order (by the row-major position of their first pixel) are kept; `peakCount` is
/// always the true total.
public final class HitFinder {
    public struct Settings: Sendable, Equatable {
        /// n of the nσ threshold above the local background.
        public var sigma: Float = 5
        /// Smallest σ used (in pixel units: counts or ADU), so flat or empty backgrounds do
        /// not turn every pixel above the median into a peak.
        public var sigmaFloor: Float = 1
        public var minPixels: Int = 2
        public var minPeaks: Int = 10
        /// Side of the background tiles, pixels.
        public var tileSize: Int = 64
        public var maxStoredPeaks: Int = 1024

        public init(sigma: Float = 5, sigmaFloor: Float = 1, minPixels: Int = 2, minPeaks: Int = 10,
                    tileSize: Int = 64, maxStoredPeaks: Int = 1024) {
            self.sigma = sigma
            self.sigmaFloor = sigmaFloor
            self.minPixels = minPixels
            self.minPeaks = minPeaks
            self.tileSize = tileSize
            self.maxStoredPeaks = maxStoredPeaks
        }

        func validate() throws(AnalysisError) {
            guard sigma.isFinite, sigma >= 0 else { throw .invalidSetting("sigma \(sigma) (finite, ≥ 0)") }
            guard sigmaFloor.isFinite, sigmaFloor >= 0 else {
                throw .invalidSetting("sigma floor \(sigmaFloor) (finite, ≥ 0)")
            }
            guard minPixels >= 1 else { throw .invalidSetting("min pixels \(minPixels) (≥ 1)") }
            guard minPeaks >= 1 else { throw .invalidSetting("min peaks \(minPeaks) (≥ 1)") }
            guard (1...4096).contains(tileSize) else { throw .invalidSetting("tile size \(tileSize) (1…4096)") }
            guard (0...(1 << 20)).contains(maxStoredPeaks) else {
                throw .invalidSetting("max stored peaks \(maxStoredPeaks) (0…1048576)")
            }
        }
    }

    /// What `find` reports for one frame.
    public struct Result: Sendable, Equatable {
        public var peakCount: Int
        public var isHit: Bool
    }

    public let width: Int
    public let height: Int
    public private(set) var settings: Settings
    private let pixelCount: Int
    private let tiles: TileBackground
    /// Pixels already put into a component this frame; cleared through `queue` afterwards.
    private let marks: UnsafeMutableBufferPointer<Bool>
    /// Every bright pixel of the frame, in the order components were grown.
    private let queue: UnsafeMutableBufferPointer<Int32>
    private let stored: UnsafeMutableBufferPointer<Peak>
    private var storedCount = 0
    /// The kernel variant of the scan (tests compare them).
    var path: KernelPath = .best

    /// Changes the live settings (the viewer's keys move them between frames): the next `find`
    /// uses them. The buffers depend on neither, so nothing is made again.
    public func retune(sigma: Float, minPeaks: Int) throws(AnalysisError) {
        guard sigma != settings.sigma || minPeaks != settings.minPeaks else { return }
        var changed = settings
        changed.sigma = sigma
        changed.minPeaks = minPeaks
        try changed.validate()
        settings = changed
    }

    public init(width: Int, height: Int, settings: Settings = Settings()) throws(AnalysisError) {
        pixelCount = try AnalysisLimits.pixelCount(width: width, height: height)
        try settings.validate()
        self.width = width
        self.height = height
        self.settings = settings
        tiles = TileBackground(width: width, height: height, tileSize: settings.tileSize)
        marks = .allocate(capacity: pixelCount)
        marks.initialize(repeating: false)
        queue = .allocate(capacity: pixelCount)
        stored = .allocate(capacity: settings.maxStoredPeaks)
    }

    deinit {
        marks.deallocate()
        queue.deallocate()
        stored.deallocate()
    }

    /// The stored peaks of the last frame (at most `maxStoredPeaks`). Valid until the next `find`.
    public var peaks: UnsafeBufferPointer<Peak> {
        UnsafeBufferPointer(rebasing: stored[0..<storedCount])
    }

    /// The last frame's background and threshold of the tile holding pixel (x, y).
    public func tileEstimate(x: Int, y: Int) -> (background: Float, threshold: Float)? {
        guard x >= 0, x < width, y >= 0, y < height else { return nil }
        let t = tiles.tile(x: x, y: y)
        return (tiles.background[t], tiles.threshold[t])
    }

    public func find(_ frame: UnsafeBufferPointer<Float>) throws(AnalysisError) -> Result {
        try AnalysisLimits.check(frame, pixelCount)
        let f = frame.baseAddress!
        tiles.estimate(f, nSigma: settings.sigma, sigmaFloor: settings.sigmaFloor)
        storedCount = 0
        var peakCount = 0
        var queued = 0
        let tileSize = settings.tileSize
        for y in 0..<height {
            let row = y * width
            let tileRow = (y / tileSize) * tiles.tilesX
            var x0 = 0
            while x0 < width {
                let x1 = Swift.min(width, x0 + tileSize)
                let level = tiles.threshold[tileRow + x0 / tileSize]
                // Bright pixels are few: a vector scan (C) jumps from one to the next.
                var x = x0 + ck_next_above(f + row + x0, x1 - x0, level, path.c)
                while x < x1 {
                    if !marks[row + x] {
                        let start = queued
                        queued = grow(from: row + x, frame: f, queueEnd: queued)
                        if queued - start >= settings.minPixels {
                            peakCount += 1
                            if storedCount < stored.count {
                                stored[storedCount] = describe(queue[start..<queued], frame: f)
                                storedCount += 1
                            }
                        }
                    }
                    x += 1 + ck_next_above(f + row + x + 1, x1 - x - 1, level, path.c)
                }
                x0 = x1
            }
        }
        for k in 0..<queued { marks[Int(queue[k])] = false }
        return Result(peakCount: peakCount, isHit: peakCount >= settings.minPeaks)
    }

    /// Grows the component holding `seed` (breadth first), appending its pixels to `queue`.
    /// Returns the new end of the queue.
    private func grow(from seed: Int, frame f: UnsafePointer<Float>, queueEnd: Int) -> Int {
        var end = queueEnd
        var head = queueEnd
        marks[seed] = true
        queue[end] = Int32(truncatingIfNeeded: seed)
        end += 1
        while head < end {
            let i = Int(queue[head])
            head += 1
            let x = i % width, y = i / width
            for ny in Swift.max(0, y - 1)...Swift.min(height - 1, y + 1) {
                for nx in Swift.max(0, x - 1)...Swift.min(width - 1, x + 1) {
                    let j = ny * width + nx
                    if !marks[j] && f[j] > tiles.threshold[tiles.tile(x: nx, y: ny)] {
                        marks[j] = true
                        queue[end] = Int32(truncatingIfNeeded: j)
                        end += 1
                    }
                }
            }
        }
        return end
    }

    private func describe(_ pixels: Slice<UnsafeMutableBufferPointer<Int32>>, frame f: UnsafePointer<Float>) -> Peak {
        var weight = 0.0, sx = 0.0, sy = 0.0
        var top = -Float.infinity
        for p in pixels {
            let i = Int(p)
            let x = i % width, y = i / width
            let v = f[i]
            let excess = Double(v) - Double(tiles.background[tiles.tile(x: x, y: y)])
            weight += excess
            sx += excess * (Double(x) + 0.5)
            sy += excess * (Double(y) + 0.5)
            top = v > top ? v : top
        }
        return Peak(x: sx / weight, y: sy / weight, pixels: pixels.count, intensity: weight, maxValue: top)
    }
}
