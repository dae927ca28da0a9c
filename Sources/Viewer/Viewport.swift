import Foundation
import Processing

/// Which part of the frame the heatmap shows, and how large: a zoom level and a centre, and
/// the arithmetic that turns them into a region of detector pixels and the display image it
/// is binned to. A plain value, owned by `ViewerState`; the workers get the result
/// (`Geometry`) through the control block and bin exactly that region, so a zoomed view is
/// the full-resolution pixels, never an enlarged copy of the fitted image.
///
/// Display pixels are square (a half-block cell is one display pixel wide and two tall, and
/// a terminal cell is about twice as tall as wide), so one scale serves both axes. Level 0
/// fits the whole frame (the workers' own `fitSize`); each level above doubles the scale,
/// starting at the first power of two above the fitted scale, so a display pixel covers
/// exactly 2ᵏ × 2ᵏ detector pixels, then exactly one, then becomes a block of 2 × 2, 4 × 4…
/// display pixels per detector pixel, up to `maximumScale`.
public struct Viewport: Equatable, Sendable {
    /// A position in detector pixels (fractional: a pixel's centre is at x + 0.5).
    public struct Point: Equatable, Sendable {
        public var x: Double
        public var y: Double

        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// What the workers bin: `region` of the frame into an `imageWidth × imageHeight` image.
    public struct Geometry: Equatable, Sendable {
        public var region: PixelRegion
        public var imageWidth: Int
        public var imageHeight: Int
        /// Display pixels per detector pixel.
        public var scale: Double
        /// The scale over the fitted view's (1 at fit).
        public var zoom: Double

        public var centre: Point {
            Point(x: Double(region.x0) + Double(region.width) / 2, y: Double(region.y0) + Double(region.height) / 2)
        }
    }

    /// Zoom steps above the fitted view (0: the whole frame).
    public private(set) var level = 0
    /// The centre of the shown region (nil: the frame's centre).
    public private(set) var centre: Point?

    /// The largest scale: one detector pixel as 16 × 16 display pixels (16 cells × 8 rows).
    public static let maximumScale = 16.0

    public init() {}

    public var isFitted: Bool { level == 0 }

    /// The region and image for a `frame` shown in an `area` of display pixels; nil while
    /// either is unknown (no series yet, no heatmap).
    public func geometry(frameWidth: Int, frameHeight: Int, areaWidth: Int, areaHeight: Int) -> Geometry? {
        guard frameWidth > 0, frameHeight > 0, areaWidth > 0, areaHeight > 0 else { return nil }
        let fitted = Self.fitScale(frameWidth: frameWidth, frameHeight: frameHeight, areaWidth: areaWidth, areaHeight: areaHeight)
        let level = min(self.level, Self.maximumLevel(fitScale: fitted))
        if level == 0 {
            let fit = FrameKernels.fitSize(frameWidth: frameWidth, frameHeight: frameHeight,
                                           areaWidth: areaWidth, areaHeight: areaHeight)
            return Geometry(region: .whole(width: frameWidth, height: frameHeight),
                            imageWidth: fit.width, imageHeight: fit.height, scale: fitted, zoom: 1)
        }
        let scale = Self.scale(level: level, fitScale: fitted)
        let centre = centre ?? Point(x: Double(frameWidth) / 2, y: Double(frameHeight) / 2)
        let x = Self.axis(frame: frameWidth, area: areaWidth, centre: centre.x, scale: scale)
        let y = Self.axis(frame: frameHeight, area: areaHeight, centre: centre.y, scale: scale)
        return Geometry(region: PixelRegion(x0: x.start, y0: y.start, x1: x.end, y1: y.end),
                        imageWidth: x.image, imageHeight: y.image, scale: scale, zoom: scale / fitted)
    }

    /// `steps` levels in (positive) or out (negative), keeping `point` (detector pixels; nil:
    /// the view's centre) where it is on the screen, as far as the frame's edges allow.
    public func zoomed(by steps: Int, around point: Point?, frameWidth: Int, frameHeight: Int,
                       areaWidth: Int, areaHeight: Int) -> Viewport {
        guard let now = geometry(frameWidth: frameWidth, frameHeight: frameHeight, areaWidth: areaWidth, areaHeight: areaHeight)
        else { return self }
        let fitted = now.scale / now.zoom
        let target = max(0, min(Self.maximumLevel(fitScale: fitted), min(level, Self.maximumLevel(fitScale: fitted)) + steps))
        guard target > 0 else { return Viewport() }
        let newScale = Self.scale(level: target, fitScale: fitted)
        let c = now.centre, p = point ?? c
        // The point under the cursor stays put: its distance from the centre shrinks with the scale.
        let ratio = now.scale / newScale
        var next = Viewport()
        next.level = target
        next.centre = Point(x: p.x + (c.x - p.x) * ratio, y: p.y + (c.y - p.y) * ratio)
        return next.clamped(frameWidth: frameWidth, frameHeight: frameHeight, areaWidth: areaWidth, areaHeight: areaHeight)
    }

    /// Moved by a quarter of the shown region per step (at least one detector pixel);
    /// unchanged at fit, where the whole frame is shown.
    public func panned(dx: Int, dy: Int, frameWidth: Int, frameHeight: Int, areaWidth: Int, areaHeight: Int) -> Viewport {
        guard level > 0, let now = geometry(frameWidth: frameWidth, frameHeight: frameHeight,
                                            areaWidth: areaWidth, areaHeight: areaHeight) else { return self }
        return shifted(dx: dx * max(1, now.region.width / 4), dy: dy * max(1, now.region.height / 4),
                       frameWidth: frameWidth, frameHeight: frameHeight, areaWidth: areaWidth, areaHeight: areaHeight)
    }

    /// Moved by whole detector pixels, as far as the frame's edges allow (the shown region's
    /// first column and row move by exactly that much); unchanged at fit.
    public func shifted(dx: Int, dy: Int, frameWidth: Int, frameHeight: Int, areaWidth: Int, areaHeight: Int) -> Viewport {
        guard level > 0, let now = geometry(frameWidth: frameWidth, frameHeight: frameHeight,
                                            areaWidth: areaWidth, areaHeight: areaHeight) else { return self }
        var next = self
        next.centre = Point(x: now.centre.x + Double(dx), y: now.centre.y + Double(dy))
        return next.clamped(frameWidth: frameWidth, frameHeight: frameHeight, areaWidth: areaWidth, areaHeight: areaHeight)
    }

    /// The centre moved to where the frame's edges put it, so that panning back from an edge
    /// acts at the first key.
    private func clamped(frameWidth: Int, frameHeight: Int, areaWidth: Int, areaHeight: Int) -> Viewport {
        guard let g = geometry(frameWidth: frameWidth, frameHeight: frameHeight, areaWidth: areaWidth, areaHeight: areaHeight)
        else { return self }
        var next = self
        next.centre = g.centre
        return next
    }

    /// Display pixels per detector pixel of the fitted view (as `FrameKernels.fitSize` scales).
    static func fitScale(frameWidth: Int, frameHeight: Int, areaWidth: Int, areaHeight: Int) -> Double {
        if frameWidth <= areaWidth && frameHeight <= areaHeight {
            return Double(min(areaWidth / frameWidth, areaHeight / frameHeight))
        }
        return min(Double(areaWidth) / Double(frameWidth), Double(areaHeight) / Double(frameHeight))
    }

    /// The scale of `level` (> 0): the level-th power of two above the fitted scale.
    static func scale(level: Int, fitScale: Double) -> Double {
        Foundation.pow(2, Foundation.floor(Foundation.log2(fitScale)) + Double(level))
    }

    /// The highest level whose scale does not pass `maximumScale`.
    static func maximumLevel(fitScale: Double) -> Int {
        max(0, Int(Foundation.log2(maximumScale)) - Int(Foundation.floor(Foundation.log2(fitScale))))
    }

    /// One axis: the shown span of detector pixels, placed around `centre` inside the frame,
    /// and the image pixels it becomes.
    private static func axis(frame: Int, area: Int, centre: Double, scale: Double) -> (start: Int, end: Int, image: Int) {
        let span = max(1, Int((Double(area) / scale).rounded(.down)))
        if span >= frame {
            return (0, frame, min(area, max(1, Int((Double(frame) * scale).rounded()))))
        }
        let start = min(max(0, Int((centre - Double(span) / 2).rounded())), frame - span)
        return (start, start + span, min(area, max(1, Int((Double(span) * scale).rounded()))))
    }
}
