/// A border around a box, with a title in the top edge: `┌─ Title ───┐` (or `+- Title ---+` in ASCII).
///
/// Built per frame by the render code (main actor). `inner(of:)` is the area left for the content.
/// An area narrower or lower than 2 cells gets no border, and its inner area is empty.
public struct BlockWidget: Widget {
    public var title: String
    public var glyphs: GlyphSet
    public var borderStyle: Style
    public var titleStyle: Style

    public init(title: String = "", glyphs: GlyphSet = .unicode, borderStyle: Style = .plain, titleStyle: Style = .plain) {
        self.title = title
        self.glyphs = glyphs
        self.borderStyle = borderStyle
        self.titleStyle = titleStyle
    }

    public func inner(of area: Rect) -> Rect { area.inset(by: 1) }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard area.width >= 2, area.height >= 2 else { return }
        let unicode = glyphs == .unicode
        let h: Unicode.Scalar = unicode ? "─" : "-", v: Unicode.Scalar = unicode ? "│" : "|"
        let corners: [Unicode.Scalar] = unicode ? ["┌", "┐", "└", "┘"] : ["+", "+", "+", "+"]
        let top = area.y, bottom = area.bottom - 1, left = area.x, right = area.right - 1
        buffer.fill(Rect(x: left + 1, y: top, width: area.width - 2, height: 1), with: Cell(h, style: borderStyle))
        buffer.fill(Rect(x: left + 1, y: bottom, width: area.width - 2, height: 1), with: Cell(h, style: borderStyle))
        buffer.fill(Rect(x: left, y: top + 1, width: 1, height: area.height - 2), with: Cell(v, style: borderStyle))
        buffer.fill(Rect(x: right, y: top + 1, width: 1, height: area.height - 2), with: Cell(v, style: borderStyle))
        buffer[left, top] = Cell(corners[0], style: borderStyle)
        buffer[right, top] = Cell(corners[1], style: borderStyle)
        buffer[left, bottom] = Cell(corners[2], style: borderStyle)
        buffer[right, bottom] = Cell(corners[3], style: borderStyle)
        if !title.isEmpty {
            // Keep one border cell at each end so the box still reads as a box.
            let clip = Rect(x: left + 1, y: top, width: area.width - 2, height: 1)
            buffer.setString(x: left + 2, y: top, " \(title) ", style: titleStyle, clippedTo: clip.inset(right: 1))
        }
    }

    /// Draws the border and returns the inner area, for callers that fill it next.
    @discardableResult
    public func draw(in area: Rect, into buffer: inout Buffer) -> Rect {
        render(in: area, into: &buffer)
        return inner(of: area)
    }
}
