/// Robust local background and noise of a frame, tile by tile, for the hit finder (owned by
/// it, so by one worker).
///
/// The frame is cut into `tileSize × tileSize` tiles (the last row and column of tiles may be
/// smaller). In each tile a regular grid of at most 8 × 8 samples is read: step
/// s = max(1, tileSize / 8), positions tile origin + s/2 + k·s inside the tile and the image.
/// From the valid (non-NaN) samples: background = median (the lower median, element
/// ⌊(n−1)/2⌋ of the sorted samples), σ = max(1.4826 · MAD, sigmaFloor), MAD the lower median
/// of |sample − background|. A tile with fewer than `minSamples` valid samples takes the
/// median of the other tiles' backgrounds and σs; when no tile has enough, every threshold is
/// +infinity (nothing can be a peak).
///
/// Why this estimate: a median and MAD ignore the few bright pixels of Bragg spots or photons,
/// tiles follow the slow variations (solvent rings, beam-stop shadow, module gain differences)
/// that one per-frame median would mistake for peaks, and 64 samples per tile keep the cost
/// far below one pass over the frame (a full per-frame median of 4M pixels would not be).
/// The σ floor keeps photon-counting frames, whose background is mostly 0 counts (MAD = 0),
/// from calling every single count a peak.
final class TileBackground {
    static let samplesPerSide = 8
    static let minSamples = 8

    let width: Int
    let height: Int
    let tileSize: Int
    let tilesX: Int
    let tilesY: Int
    let step: Int
    /// Per tile: median background, and threshold = background + n·σ.
    let background: UnsafeMutableBufferPointer<Float>
    let threshold: UnsafeMutableBufferPointer<Float>
    private let sigma: UnsafeMutableBufferPointer<Float>
    private let usable: UnsafeMutableBufferPointer<Bool>
    private let samples: UnsafeMutableBufferPointer<Float>
    private let scratch: UnsafeMutableBufferPointer<Float>

    init(width: Int, height: Int, tileSize: Int) {
        self.width = width
        self.height = height
        self.tileSize = tileSize
        tilesX = (width + tileSize - 1) / tileSize
        tilesY = (height + tileSize - 1) / tileSize
        step = Swift.max(1, tileSize / Self.samplesPerSide)
        let tiles = tilesX * tilesY
        background = .allocate(capacity: tiles)
        threshold = .allocate(capacity: tiles)
        sigma = .allocate(capacity: tiles)
        usable = .allocate(capacity: tiles)
        let perSide = (tileSize - step / 2 + step - 1) / step
        samples = .allocate(capacity: perSide * perSide)
        scratch = .allocate(capacity: Swift.max(tiles, perSide * perSide))
    }

    deinit {
        background.deallocate()
        threshold.deallocate()
        sigma.deallocate()
        usable.deallocate()
        samples.deallocate()
        scratch.deallocate()
    }

    /// Estimates every tile's background and threshold from `frame` (already size-checked).
    func estimate(_ frame: UnsafePointer<Float>, nSigma: Float, sigmaFloor: Float) {
        var usableTiles = 0
        for ty in 0..<tilesY {
            let y0 = ty * tileSize, y1 = Swift.min(height, y0 + tileSize)
            for tx in 0..<tilesX {
                let x0 = tx * tileSize, x1 = Swift.min(width, x0 + tileSize)
                var n = 0
                var y = y0 + step / 2
                while y < y1 {
                    var x = x0 + step / 2
                    while x < x1 {
                        let v = frame[y * width + x]
                        if v == v {
                            samples[n] = v
                            n += 1
                        }
                        x += step
                    }
                    y += step
                }
                let t = ty * tilesX + tx
                usable[t] = n >= Self.minSamples
                guard usable[t] else { continue }
                usableTiles += 1
                let (median, mad) = Self.medianAndMAD(UnsafeMutableBufferPointer(rebasing: samples[0..<n]), scratch)
                background[t] = median
                sigma[t] = Swift.max(1.4826 * mad, sigmaFloor)
            }
        }
        var fallbackBackground = Float.nan, fallbackSigma = Float.nan
        if usableTiles < tilesX * tilesY && usableTiles > 0 {
            var n = 0
            for t in 0..<usable.count where usable[t] {
                scratch[n] = background[t]
                n += 1
            }
            fallbackBackground = FrameKernels.select(UnsafeMutableBufferPointer(rebasing: scratch[0..<n]), (n - 1) / 2)
            n = 0
            for t in 0..<usable.count where usable[t] {
                scratch[n] = sigma[t]
                n += 1
            }
            fallbackSigma = FrameKernels.select(UnsafeMutableBufferPointer(rebasing: scratch[0..<n]), (n - 1) / 2)
        }
        for t in 0..<usable.count {
            if !usable[t] {
                background[t] = fallbackBackground
                sigma[t] = fallbackSigma
            }
            // No estimate at all (NaN) means no threshold can be passed.
            let level = background[t] + nSigma * sigma[t]
            threshold[t] = level.isNaN ? .infinity : level
        }
    }

    /// The tile index holding pixel (x, y).
    @inline(__always)
    func tile(x: Int, y: Int) -> Int { (y / tileSize) * tilesX + x / tileSize }

    /// Lower median of `values` (reordered) and lower median of the absolute deviations.
    static func medianAndMAD(_ values: UnsafeMutableBufferPointer<Float>,
                             _ scratch: UnsafeMutableBufferPointer<Float>) -> (Float, Float) {
        let n = values.count
        let median = FrameKernels.select(values, (n - 1) / 2)
        let deviations = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
        for i in 0..<n { deviations[i] = Swift.abs(values[i] - median) }
        return (median, FrameKernels.select(deviations, (n - 1) / 2))
    }
}
