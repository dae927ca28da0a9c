import Processing

extension ViewerState {
    /// The heatmap's size in display pixels (cells × 2 rows), as the control block says it.
    var heatmapArea: (width: Int, height: Int) {
        let inner = layout.heatmapInterior
        return (max(0, inner.width), max(0, inner.height * 2))
    }

    /// The frame's shape: the series' (known before its first image), else the last image's.
    var frameSize: (width: Int, height: Int)? {
        if let series, series.width > 0, series.height > 0 { return (series.width, series.height) }
        if let image, image.frameWidth > 0, image.frameHeight > 0 { return (image.frameWidth, image.frameHeight) }
        return nil
    }

    /// What the workers are asked to bin for the heatmap; nil before a frame shape and a
    /// heatmap are known (then the workers fit whatever comes).
    public var viewGeometry: Viewport.Geometry? {
        guard let frame = frameSize else { return nil }
        let area = heatmapArea
        return viewport.geometry(frameWidth: frame.width, frameHeight: frame.height,
                                 areaWidth: area.width, areaHeight: area.height)
    }

    /// `z`, `Z`, `f` and the arrows. Arrows pan (the pixel inspector, when it comes, takes them
    /// while it is on); zooming keeps the cursor's pixel in place, or the view's centre.
    mutating func handleViewportCommand(_ command: KeyCommand) {
        guard let frame = frameSize else {
            status = Status(text: "no frame yet to zoom into", severity: .info)
            return
        }
        let area = heatmapArea
        let before = viewport
        switch command {
        case .zoomIn, .zoomOut:
            viewport = viewport.zoomed(by: command == .zoomIn ? 1 : -1, around: cursor, frameWidth: frame.width,
                                       frameHeight: frame.height, areaWidth: area.width, areaHeight: area.height)
        case .pan(let dx, let dy):
            viewport = viewport.panned(dx: dx, dy: dy, frameWidth: frame.width, frameHeight: frame.height,
                                       areaWidth: area.width, areaHeight: area.height)
        case .fitFrame:
            viewport = Viewport()
        default:
            return
        }
        if case .pan = command, before.isFitted {
            status = Status(text: "the whole frame is shown: zoom in (z) to pan", severity: .info)
        } else if let geometry = viewGeometry {
            status = Status(text: viewport.isFitted ? "whole frame" : "zoom \(Self.zoomText(geometry)) \(Self.regionText(geometry.region))",
                            severity: .info)
        }
    }

    /// An image (or composed view) binned under `generation` for `region` of a frame may be drawn
    /// as the current view: it was binned for it, or both are the whole frame fitted (a resize
    /// keeps showing the last fitted image until the next one comes, as before zooming existed).
    func shows(_ generation: UInt32, _ region: PixelRegion?, _ frameWidth: Int, _ frameHeight: Int) -> Bool {
        if generation == viewGeneration { return true }
        guard viewport.isFitted else { return false }
        return region.map { $0.isWhole(width: frameWidth, height: frameHeight) } ?? true
    }

    /// "4×", "1.5×": the scale over the fitted view's.
    static func zoomText(_ geometry: Viewport.Geometry) -> String {
        let z = geometry.zoom
        let text = z >= 10 || z == z.rounded() ? String(Int(z.rounded())) : String((z * 10).rounded() / 10)
        return text + "×"
    }

    /// "x 512-1023, y 300-811": the region's first and last columns and rows.
    static func regionText(_ region: PixelRegion) -> String {
        "x \(region.x0)-\(region.x1 - 1), y \(region.y0)-\(region.y1 - 1)"
    }
}
