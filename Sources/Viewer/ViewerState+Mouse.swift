import TerminalUI

extension ViewerState {
    /// The detector pixel under a cell of the screen as the heatmap shows it now; nil off the
    /// image, before a frame, and in the radial mode (its heatmap is a plot, not pixels).
    func pixel(atColumn column: Int, row: Int) -> (x: Int, y: Int)? {
        if modes.showsComposedView, modes.mode == .radial { return nil }
        guard let geometry = viewGeometry else { return nil }
        return HeatmapPointer.pixel(column: column, row: row, interior: layout.heatmapInterior, geometry: geometry)
    }

    /// A click or a wheel roll. The wheel zooms in (up) or out (down) keeping the pointed pixel
    /// under the pointer; a click turns the inspector on with its cursor at the clicked pixel (or
    /// moves the cursor there). Off the heatmap's image the mouse does nothing; while a region is
    /// drawn a click does nothing (Enter or Escape end the drawing first).
    mutating func handleMouse(_ event: MouseEvent) {
        guard let pixel = pixel(atColumn: event.column, row: event.row), let frame = frameSize else { return }
        switch event.action {
        case .press:
            guard regions.drawing == nil else {
                status = Status(text: "drawing a region: Enter fixes it, Esc drops it", severity: .info)
                return
            }
            if !inspecting {
                inspecting = true
                inspection = nil
            }
            cursor = Viewport.Point(x: Double(pixel.x) + 0.5, y: Double(pixel.y) + 0.5)
            status = Status(text: "cursor \(pixel.x),\(pixel.y) (inspector: arrows move it, i or Escape hides it)", severity: .info)
        case .wheelUp, .wheelDown:
            // The held images were binned for the old view: a new view is a live one (as `z`).
            history.goLive()
            zoom(by: event.action == .wheelUp ? 1 : -1, keeping: pixel, atColumn: event.column, row: event.row,
                 frame: frame)
        }
    }

    /// Zooms around the pixel's centre, then moves the view by the whole pixels that rounding the
    /// region's edges put between the pointer and that pixel, so the same cell shows it again.
    private mutating func zoom(by steps: Int, keeping pixel: (x: Int, y: Int), atColumn column: Int, row: Int,
                               frame: (width: Int, height: Int)) {
        let area = heatmapArea
        viewport = viewport.zoomed(by: steps, around: Viewport.Point(x: Double(pixel.x) + 0.5, y: Double(pixel.y) + 0.5),
                                   frameWidth: frame.width, frameHeight: frame.height,
                                   areaWidth: area.width, areaHeight: area.height)
        if let now = self.pixel(atColumn: column, row: row), now != pixel {
            viewport = viewport.shifted(dx: pixel.x - now.x, dy: pixel.y - now.y, frameWidth: frame.width,
                                        frameHeight: frame.height, areaWidth: area.width, areaHeight: area.height)
        }
        if let geometry = viewGeometry {
            status = Status(text: viewport.isFitted ? "whole frame"
                                : "zoom \(Self.zoomText(geometry)) \(Self.regionText(geometry.region)) around \(pixel.x),\(pixel.y)",
                            severity: .info)
        }
    }
}
