import Processing
import SharedMemory

/// Reads the pixel inspector's numbers out of one full-resolution frame: nine pixels and, for
/// a binned display, one bin. Owned by the worker's `FramePipeline`; it costs a few dozen
/// loads per frame (the bin under the cursor only, never every bin), so it runs on every
/// frame while an inspector is on.
enum PixelInspector {
    /// The raw half of a readout, taken before the stream mask and the gain view change the
    /// pixels in place: the values as sent, their gain stages and what marks them in the data
    /// itself (all-ones, NaN, gain code 2). Nil when (x, y) is outside the frame.
    static func begin(_ frame: PixelFrame, x: Int, y: Int, hasGainBits: Bool) -> PixelReadout? {
        guard x >= 0, y >= 0, x < frame.width, y < frame.height else { return nil }
        var readout = PixelReadout()
        readout.x = Int32(x)
        readout.y = Int32(y)
        for dy in -1...1 {
            for dx in -1...1 {
                let i = PixelReadout.index(dx: dx, dy: dy)
                let px = x + dx, py = y + dy
                guard px >= 0, py >= 0, px < frame.width, py < frame.height else {
                    readout.reasons[i] = PixelReadout.Reason.outside.rawValue
                    continue
                }
                let pixel = frame.pixel(py * frame.width + px)
                readout.raw[i] = pixel.value
                var reason = PixelReadout.Reason.none
                if pixel.allOnes {
                    reason = .allOnes
                } else if pixel.value.isNaN {
                    reason = .nan
                } else if hasGainBits, case .uint16 = frame.pixels {
                    let code = UInt16(pixel.value) >> 14
                    if code == 2 { reason = .brokenGain } else { readout.gains[i] = code == 3 ? 2 : UInt8(code) }
                }
                readout.reasons[i] = reason.rawValue
            }
        }
        return readout
    }

    /// The processed half, from the frame after masks and the gain view: the values the mode
    /// works on (NaN where masked), the stream mask's reasons (`maskIndices` ascending, nil
    /// when no mask applied), and the maximum of the display pixel's bin under (x, y) when
    /// `binning` (the region the workers bin and the image it becomes) holds the pixel.
    static func finish(_ readout: inout PixelReadout, _ frame: PixelFrame, maskIndices: [UInt32]?,
                       binning: (region: PixelRegion, width: Int, height: Int)?) {
        let x = Int(readout.x), y = Int(readout.y)
        for dy in -1...1 {
            for dx in -1...1 {
                let i = PixelReadout.index(dx: dx, dy: dy)
                let px = x + dx, py = y + dy
                guard px >= 0, py >= 0, px < frame.width, py < frame.height else { continue }
                let index = py * frame.width + px
                if let maskIndices, contains(maskIndices, UInt32(index)) {
                    readout.reasons[i] = PixelReadout.Reason.streamMask.rawValue
                    readout.gains[i] = PixelReadout.noGain
                }
                let pixel = frame.pixel(index)
                readout.value[i] = pixel.allOnes || readout.reasons[i] != 0 ? .nan : pixel.value
            }
        }
        guard let binning, let bin = bin(containing: x, y, binning) else { return }
        readout.binX0 = Int32(bin.x0)
        readout.binY0 = Int32(bin.y0)
        readout.binX1 = Int32(bin.x1)
        readout.binY1 = Int32(bin.y1)
        var best = -Float.infinity
        for py in bin.y0..<bin.y1 {
            for px in bin.x0..<bin.x1 {
                let pixel = frame.pixel(py * frame.width + px)
                // Masked pixels never win a bin (the binning kernels skip them too); the first
                // of equal maxima in row order is named.
                if !pixel.allOnes, !pixel.value.isNaN, pixel.value > best {
                    best = pixel.value
                    readout.binMaxX = Int32(px)
                    readout.binMaxY = Int32(py)
                }
            }
        }
    }

    /// The detector pixels of the display pixel that shows (x, y): the binning kernels' rule
    /// (`BinGeometry`: column i covers [⌊i·w/outW⌋, ⌊(i+1)·w/outW⌋), at least one pixel), so
    /// the named maximum is the one the heatmap draws. Nil when the region misses (x, y).
    static func bin(containing x: Int, _ y: Int, _ binning: (region: PixelRegion, width: Int, height: Int)) -> PixelRegion? {
        let r = binning.region
        guard x >= r.x0, x < r.x1, y >= r.y0, y < r.y1, binning.width > 0, binning.height > 0 else { return nil }
        let columns = span(containing: x - r.x0, size: r.width, bins: binning.width)
        let rows = span(containing: y - r.y0, size: r.height, bins: binning.height)
        return PixelRegion(x0: r.x0 + columns.start, y0: r.y0 + rows.start, x1: r.x0 + columns.end, y1: r.y0 + rows.end)
    }

    /// One axis of `bin(containing:)`: the last bin starting at or before `p`.
    private static func span(containing p: Int, size: Int, bins: Int) -> (start: Int, end: Int) {
        func start(_ i: Int) -> Int { i * size / bins }
        var i = min(bins - 1, p * bins / size)
        while i > 0, start(i) > p { i -= 1 }
        while i + 1 < bins, start(i + 1) <= p { i += 1 }
        return (start(i), max(start(i) + 1, start(i + 1)))
    }

    private static func contains(_ sorted: [UInt32], _ value: UInt32) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value
    }
}

extension PixelFrame {
    /// One pixel as a Float, and whether it holds the all-ones value of its integer type.
    func pixel(_ index: Int) -> (value: Float, allOnes: Bool) {
        switch pixels {
        case .uint8(let p): (Float(p[index]), p[index] == .max)
        case .uint16(let p): (Float(p[index]), p[index] == .max)
        case .uint32(let p): (Float(p[index]), p[index] == .max)
        case .converted(let p, _): (p[index], false)
        }
    }
}
