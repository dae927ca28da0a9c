/// A rectangle of detector pixels: columns `x0..<x1`, rows `y0..<y1`. A plain value shared by
/// the viewer (which region the heatmap shows), the control block and the workers (which
/// region they bin to the display).
public struct PixelRegion: Equatable, Hashable, Sendable {
    public var x0: Int
    public var y0: Int
    public var x1: Int
    public var y1: Int

    public init(x0: Int, y0: Int, x1: Int, y1: Int) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    /// The whole of a `width × height` frame.
    public static func whole(width: Int, height: Int) -> PixelRegion {
        PixelRegion(x0: 0, y0: 0, x1: max(0, width), y1: max(0, height))
    }

    public var width: Int { max(0, x1 - x0) }
    public var height: Int { max(0, y1 - y0) }
    public var isEmpty: Bool { x1 <= x0 || y1 <= y0 }

    /// The part of the region inside a `width × height` frame (empty when none is).
    public func clamped(width: Int, height: Int) -> PixelRegion {
        PixelRegion(x0: min(max(0, x0), width), y0: min(max(0, y0), height),
                    x1: min(max(0, x1), width), y1: min(max(0, y1), height))
    }

    /// Covers the whole `width × height` frame.
    public func isWhole(width: Int, height: Int) -> Bool { self == .whole(width: width, height: height) }
}
