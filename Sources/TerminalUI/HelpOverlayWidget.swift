/// A bordered box centred over whatever is on screen, listing keys and what they do.
///
/// Built per frame by the render code (main actor) while help is shown. The box is sized to its
/// content (two cells of padding inside the border), shrunk to the area when that is smaller, and
/// cleared first so nothing underneath shows through.
public struct HelpOverlayWidget: Widget {
    public struct Entry: Hashable, Sendable {
        public var key: String
        public var description: String

        public init(key: String, description: String) {
            self.key = key
            self.description = description
        }
    }

    public var title: String
    public var entries: [Entry]
    public var glyphs: GlyphSet
    public var borderStyle: Style
    public var titleStyle: Style
    public var keyStyle: Style
    public var textStyle: Style

    public init(title: String, entries: [Entry], glyphs: GlyphSet = .unicode, borderStyle: Style = .plain,
                titleStyle: Style = Style().bolded(), keyStyle: Style = Style().bolded(), textStyle: Style = .plain) {
        self.title = title
        self.entries = entries
        self.glyphs = glyphs
        self.borderStyle = borderStyle
        self.titleStyle = titleStyle
        self.keyStyle = keyStyle
        self.textStyle = textStyle
    }

    private var keyColumnWidth: Int { entries.map(\.key.count).max() ?? 0 }

    /// The box's size before it is fitted to an area.
    public var preferredSize: (width: Int, height: Int) {
        let content = max(title.count + 4, keyColumnWidth + 2 + (entries.map(\.description.count).max() ?? 0))
        return (content + 4, entries.count + 2)
    }

    /// Where the box goes in `area`.
    public func box(in area: Rect) -> Rect {
        let size = preferredSize
        return area.centered(width: size.width, height: size.height)
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        let box = box(in: area)
        guard !box.isEmpty else { return }
        buffer.fill(box, with: Cell(" ", style: textStyle))
        let block = BlockWidget(title: title, glyphs: glyphs, borderStyle: borderStyle, titleStyle: titleStyle)
        let inner = block.draw(in: box, into: &buffer).inset(left: 1, right: 1)
        guard !inner.isEmpty else { return }
        let keyWidth = keyColumnWidth
        for (i, entry) in entries.prefix(inner.height).enumerated() {
            let y = inner.y + i
            buffer.setString(x: inner.x, y: y, entry.key, style: keyStyle, clippedTo: inner)
            buffer.setString(x: inner.x + keyWidth + 2, y: y, entry.description, style: textStyle, clippedTo: inner)
        }
    }
}
