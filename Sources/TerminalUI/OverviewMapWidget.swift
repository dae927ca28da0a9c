/// A small map of the whole frame with the part the heatmap shows filled in, so a user who
/// zoomed in knows where they are. One cell stands for a patch of the frame about twice as
/// tall as wide (cells are), so the map keeps the frame's shape; a cell is filled when any of
/// the shown region falls in it, so a region smaller than a cell still shows.
///
/// Built per frame by the render code (main actor) from the viewer's viewport; frame and region
/// are in detector pixels, the region as columns `x0..<x1` and rows `y0..<y1`.
public struct OverviewMapWidget: Widget {
    public var frameWidth: Int
    public var frameHeight: Int
    public var region: (x0: Int, y0: Int, x1: Int, y1: Int)
    public var glyphs: GlyphSet
    public var frameStyle: Style
    public var regionStyle: Style

    public init(frameWidth: Int, frameHeight: Int, region: (x0: Int, y0: Int, x1: Int, y1: Int),
                glyphs: GlyphSet = .unicode, frameStyle: Style = .plain, regionStyle: Style = .plain) {
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.region = region
        self.glyphs = glyphs
        self.frameStyle = frameStyle
        self.regionStyle = regionStyle
    }

    /// The cells the map takes in an area `width` cells wide and at most `maxHeight` tall.
    public func size(width: Int, maxHeight: Int) -> (width: Int, height: Int) {
        guard frameWidth > 0, frameHeight > 0, width > 0, maxHeight > 0 else { return (0, 0) }
        // A cell is about twice as tall as wide: rows = columns × (h / w) / 2.
        var columns = width
        var rows = Int((Double(columns) * Double(frameHeight) / Double(frameWidth) / 2).rounded())
        if rows > maxHeight {
            rows = maxHeight
            columns = min(width, Int((Double(rows) * 2 * Double(frameWidth) / Double(frameHeight)).rounded()))
        }
        return (max(1, columns), max(1, rows))
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        let (columns, rows) = size(width: area.width, maxHeight: area.height)
        guard columns > 0, rows > 0 else { return }
        let inside: Unicode.Scalar = glyphs == .unicode ? "█" : "#"
        let outside: Unicode.Scalar = glyphs == .unicode ? "·" : "."
        for row in 0..<rows {
            // The detector rows and columns this cell covers: [start, end).
            let y0 = row * frameHeight / rows, y1 = max(y0 + 1, (row + 1) * frameHeight / rows)
            let rowHit = region.y0 < y1 && region.y1 > y0
            for column in 0..<columns {
                let x0 = column * frameWidth / columns, x1 = max(x0 + 1, (column + 1) * frameWidth / columns)
                let hit = rowHit && region.x0 < x1 && region.x1 > x0
                buffer[area.x + column, area.y + row] = Cell(hit ? inside : outside, style: hit ? regionStyle : frameStyle)
            }
        }
    }
}
