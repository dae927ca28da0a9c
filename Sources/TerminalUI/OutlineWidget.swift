/// A rectangle's outline drawn over what is already in the buffer (a region of interest on
/// the heatmap): box-drawing characters in one colour, each cell keeping its background, so
/// the picture under the edge still shows half of its pixels. Edges outside `clip` are left
/// out, so a box partly outside the view is drawn open on that side.
public struct OutlineWidget: Sendable {
    /// The outlined cells: columns `x0...x1`, rows `y0...y1` (inclusive; may lie outside `clip`).
    public var x0: Int, y0: Int, x1: Int, y1: Int
    public var color: Color
    public var glyphs: GlyphSet

    public init(x0: Int, y0: Int, x1: Int, y1: Int, color: Color, glyphs: GlyphSet) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
        self.color = color
        self.glyphs = glyphs
    }

    public func render(clippedTo clip: Rect, into buffer: inout Buffer) {
        guard x1 >= x0, y1 >= y0 else { return }
        let unicode = glyphs == .unicode
        let horizontal: Unicode.Scalar = unicode ? "─" : "-", vertical: Unicode.Scalar = unicode ? "│" : "|"
        func put(_ x: Int, _ y: Int, _ symbol: Unicode.Scalar) {
            guard x >= clip.x, x < clip.right, y >= clip.y, y < clip.bottom else { return }
            var style = buffer[x, y].style
            style.fg = color
            style.bold = true
            buffer[x, y] = Cell(symbol, style: style)
        }
        if x0 == x1 && y0 == y1 {
            put(x0, y0, unicode ? "□" : "#")
            return
        }
        for x in x0...x1 {
            put(x, y0, x0 == x1 ? vertical : horizontal)
            put(x, y1, x0 == x1 ? vertical : horizontal)
        }
        for y in y0...y1 where y0 != y1 {
            put(x0, y, vertical)
            put(x1, y, vertical)
        }
        if x0 != x1 && y0 != y1 {
            put(x0, y0, unicode ? "┌" : "+"); put(x1, y0, unicode ? "┐" : "+")
            put(x0, y1, unicode ? "└" : "+"); put(x1, y1, unicode ? "┘" : "+")
        }
    }
}
