/// One region of interest's numbers on one frame, as a worker measured them on the full-
/// resolution frame (masked pixels left out), carried in the frame's `FrameResult`. Plain
/// old data so it can be copied through shared memory.
public struct RegionNumbers: Sendable, Equatable {
    /// The rectangle measured, clipped to the frame (half-open: x0 ≤ x < x1, y0 ≤ y < y1);
    /// empty when the region missed the frame (then every number is NaN and pixels 0).
    public var x0: Int32
    public var y0: Int32
    public var x1: Int32
    public var y1: Int32
    public var sum: Double
    public var mean: Double
    public var max: Double
    /// Centroid weighted by the positive values, pixel (i, j) centred at (i + 0.5, j + 0.5).
    public var centroidX: Double
    public var centroidY: Double
    /// Pixels that entered the numbers (unmasked).
    public var pixels: UInt32

    public init(x0: Int32 = 0, y0: Int32 = 0, x1: Int32 = 0, y1: Int32 = 0, sum: Double = .nan, mean: Double = .nan,
                max: Double = .nan, centroidX: Double = .nan, centroidY: Double = .nan, pixels: UInt32 = 0) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
        self.sum = sum
        self.mean = mean
        self.max = max
        self.centroidX = centroidX
        self.centroidY = centroidY
        self.pixels = pixels
    }

    /// True when the region had a part inside the frame.
    public var measured: Bool { x1 > x0 && y1 > y0 }

    /// NaN equals NaN here: two results with the same bits are the same.
    public static func == (a: RegionNumbers, b: RegionNumbers) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN) }
        return a.x0 == b.x0 && a.y0 == b.y0 && a.x1 == b.x1 && a.y1 == b.y1 && same(a.sum, b.sum)
            && same(a.mean, b.mean) && same(a.max, b.max) && same(a.centroidX, b.centroidX)
            && same(a.centroidY, b.centroidY) && a.pixels == b.pixels
    }

    func mix(into mix: (UInt64) -> Void) {
        mix(UInt64(UInt32(bitPattern: x0)) << 32 | UInt64(UInt32(bitPattern: y0)))
        mix(UInt64(UInt32(bitPattern: x1)) << 32 | UInt64(UInt32(bitPattern: y1)))
        mix(sum.bitPattern); mix(mean.bitPattern); mix(max.bitPattern)
        mix(centroidX.bitPattern); mix(centroidY.bitPattern); mix(UInt64(pixels))
    }
}
