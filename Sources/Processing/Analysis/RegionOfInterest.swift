/// A rectangle of pixels as the user typed it (`--roi x0,y0,x1,y1`), before it meets an image.
///
/// Bounds are half-open, like numpy's `frame[y0:y1, x0:x1]`: columns x0 ≤ x < x1, rows
/// y0 ≤ y < y1, so x1 − x0 is the width. Values may lie outside any image (negative too);
/// `RegionOfInterest` clips them.
public struct PixelRectangle: Sendable, Equatable, CustomStringConvertible {
    public var x0: Int
    public var y0: Int
    public var x1: Int
    public var y1: Int

    public init(x0: Int, y0: Int, x1: Int, y1: Int) throws(RegionError) {
        guard x1 > x0 else { throw .emptyRectangle("x1 \(x1) must be greater than x0 \(x0)") }
        guard y1 > y0 else { throw .emptyRectangle("y1 \(y1) must be greater than y0 \(y0)") }
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    /// Parses `x0,y0,x1,y1`: four integers, blanks around each allowed.
    public init(parsing text: String) throws(RegionError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw .wrongCount(parts.count, text: text) }
        let names = ["x0", "y0", "x1", "y1"]
        var values = [Int]()
        for (name, part) in zip(names, parts) {
            let entry = AnalysisText.trim(part)
            guard let value = Int(entry) else { throw .notAnInteger(name: name, entry: entry) }
            values.append(value)
        }
        try self.init(x0: values[0], y0: values[1], x1: values[2], y1: values[3])
    }

    public var description: String { "\(x0),\(y0),\(x1),\(y1)" }
}

/// Why a region of interest was refused; each case names the problem.
public enum RegionError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongCount(Int, text: String)
    case notAnInteger(name: String, entry: String)
    case emptyRectangle(String)
    case outsideImage(PixelRectangle, width: Int, height: Int)

    public var description: String {
        switch self {
        case let .wrongCount(count, text):
            "ROI '\(text)' has \(count) values, expected 4: x0,y0,x1,y1"
        case let .notAnInteger(name, entry):
            "ROI \(name) '\(entry)' is not an integer"
        case let .emptyRectangle(why):
            "empty ROI: \(why)"
        case let .outsideImage(rectangle, width, height):
            "ROI \(rectangle) (x0,y0,x1,y1, x1 and y1 excluded) has no pixel inside the \(width)×\(height) image"
        }
    }
}

/// What a region of interest measures on one frame.
public struct RegionStats: Sendable, Equatable {
    /// Sum of the valid (non-NaN) pixels; 0 when there is none.
    public var sum: Double
    /// sum / validPixels; NaN when there is no valid pixel.
    public var mean: Double
    /// NaN when there is no valid pixel.
    public var max: Float
    /// Centroid weighted by max(value, 0), in the corner-origin coordinates of `Peak` (pixel
    /// (i, j) centred at (i + 0.5, j + 0.5)); NaN when no pixel is positive. Only positive values
    /// weigh so that the noise of pedestal-subtracted frames (negative as often as positive)
    /// cannot pull the centroid out of the region or flip its sign.
    public var centroidX: Double
    public var centroidY: Double
    public var validPixels: Int

    public init(sum: Double, mean: Double, max: Float, centroidX: Double, centroidY: Double, validPixels: Int) {
        self.sum = sum
        self.mean = mean
        self.max = max
        self.centroidX = centroidX
        self.centroidY = centroidY
        self.validPixels = validPixels
    }

    public static func == (a: RegionStats, b: RegionStats) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return same(a.sum, b.sum) && same(a.mean, b.mean) && same(Double(a.max), Double(b.max))
            && same(a.centroidX, b.centroidX) && same(a.centroidY, b.centroidY) && a.validPixels == b.validPixels
    }
}

/// A rectangle clipped to an image of a given size, measured on every frame of the ROI mode.
/// A value type; the worker that owns it makes a new one when the ROI or image size changes.
public struct RegionOfInterest: Sendable, Equatable {
    public let imageWidth: Int
    public let imageHeight: Int
    /// The requested rectangle clipped to the image (half-open bounds, never empty).
    public let bounds: PixelRectangle

    /// Clips `rectangle` to the image; throws when nothing of it is left.
    public init(_ rectangle: PixelRectangle, imageWidth: Int, imageHeight: Int) throws(RegionError) {
        guard imageWidth > 0, imageHeight > 0 else {
            throw .outsideImage(rectangle, width: imageWidth, height: imageHeight)
        }
        let x0 = Swift.max(rectangle.x0, 0), x1 = Swift.min(rectangle.x1, imageWidth)
        let y0 = Swift.max(rectangle.y0, 0), y1 = Swift.min(rectangle.y1, imageHeight)
        guard x1 > x0, y1 > y0, let clipped = try? PixelRectangle(x0: x0, y0: y0, x1: x1, y1: y1) else {
            throw .outsideImage(rectangle, width: imageWidth, height: imageHeight)
        }
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        bounds = clipped
    }

    /// The region's numbers on `frame` (imageWidth × imageHeight, row-major, NaN = masked).
    public func measure(_ frame: UnsafeBufferPointer<Float>) throws(AnalysisError) -> RegionStats {
        try AnalysisLimits.check(frame, imageWidth * imageHeight)
        let f = frame.baseAddress!
        var sum = 0.0, weight = 0.0, wx = 0.0, wy = 0.0
        var top = -Float.infinity
        var valid = 0
        for y in bounds.y0..<bounds.y1 {
            let row = f + y * imageWidth
            // Per row: plain sums, branch-free on the pixel; positions weigh in once per row.
            var rowWeight = 0.0, rowWX = 0.0
            var rowValid = 0
            for x in bounds.x0..<bounds.x1 {
                let v = row[x]
                let isValid = v == v
                let d = isValid ? Double(v) : 0
                sum += d
                rowValid &+= isValid ? 1 : 0
                top = v > top ? v : top
                let w = d > 0 ? d : 0
                rowWeight += w
                rowWX += w * (Double(x) + 0.5)
            }
            valid += rowValid
            weight += rowWeight
            wx += rowWX
            wy += rowWeight * (Double(y) + 0.5)
        }
        return RegionStats(sum: sum, mean: valid == 0 ? .nan : sum / Double(valid),
                           max: valid == 0 ? .nan : top,
                           centroidX: weight > 0 ? wx / weight : .nan, centroidY: weight > 0 ? wy / weight : .nan,
                           validPixels: valid)
    }
}
