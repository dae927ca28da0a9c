import Processing
import TerminalUI

/// Which detector pixel a terminal cell of the heatmap shows: the inverse of how the heatmap is
/// drawn, for the mouse. Pure; tested without a terminal.
///
/// The drawing it inverts: the workers bin `geometry.region` into an `imageWidth × imageHeight`
/// image (display pixel i covers region columns [⌊i·w/W⌋, ⌊(i+1)·w/W⌋), at least one), and
/// `HeatmapWidget` centres that image in the heatmap's interior, two display rows per cell.
enum HeatmapPointer {
    /// The detector pixel shown at `column`, `row` of the screen; nil for a cell outside the
    /// image (the border, the margin around a narrow image, the panel, the status line).
    /// A cell holds two display rows: the upper one is taken (the inspector's cursor of either
    /// is drawn in this cell). Where a display pixel is a bin of several detector pixels, the
    /// bin's middle pixel is taken.
    static func pixel(column: Int, row: Int, interior: Rect, geometry: Viewport.Geometry) -> (x: Int, y: Int)? {
        let imageWidth = geometry.imageWidth, imageHeight = geometry.imageHeight
        guard imageWidth > 0, imageHeight > 0 else { return nil }
        // The widget's placement (`HeatmapWidget.render`), clipped to the interior.
        let cellRows = (imageHeight + 1) / 2
        let originX = interior.x + (interior.width - imageWidth) / 2
        let originY = interior.y + (interior.height - cellRows) / 2
        guard interior.contains(x: column, y: row) else { return nil }
        let px = column - originX, py = 2 * (row - originY)
        guard px >= 0, px < imageWidth, py >= 0, py < imageHeight else { return nil }
        let region = geometry.region
        return (region.x0 + middle(of: px, size: region.width, bins: imageWidth),
                region.y0 + middle(of: py, size: region.height, bins: imageHeight))
    }

    /// The middle of the detector pixels bin `i` of `bins` over `size` pixels covers.
    private static func middle(of i: Int, size: Int, bins: Int) -> Int {
        let start = i * size / bins
        let end = max(start + 1, (i + 1) * size / bins)
        return min(size - 1, start + (end - start - 1) / 2)
    }
}
