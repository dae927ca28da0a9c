/// A bordered box centred over whatever is on screen, listing keys and what they do.
///
/// Built per frame by the render code (main actor) while help is shown. The box is sized to its
/// content (two cells of padding inside the border), shrunk to the area when that is smaller, and
/// cleared first so nothing underneath shows through. Entries that do not fit in the area's rows
/// flow into further columns where the width holds them whole, then onto pages (`page`), with
/// the page and how to get to the next one on the bottom border.
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
    /// The page shown (0-based; clamped to the pages the area makes).
    public var page = 0

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
    /// One column of entries: keys, two spaces, descriptions.
    private var columnWidth: Int {
        max(title.count + 4, keyColumnWidth + 2 + (entries.map(\.description.count).max() ?? 0))
    }
    private static let columnGap = 3

    /// The box's size before it is fitted to an area (one column).
    public var preferredSize: (width: Int, height: Int) {
        (columnWidth + 4, entries.count + 2)
    }

    /// How the entries go into `area`: entry rows per column, columns per page, pages.
    public func arrangement(in area: Rect) -> (rows: Int, columns: Int, pages: Int) {
        let rows = max(1, area.height - 2)
        let needed = max(1, (entries.count + rows - 1) / rows)
        let fitting = max(1, (area.width - 4 + Self.columnGap) / (columnWidth + Self.columnGap))
        let columns = min(needed, fitting)
        return (rows, columns, max(1, (entries.count + rows * columns - 1) / (rows * columns)))
    }

    /// The pages the entries take in `area`.
    public func pageCount(in area: Rect) -> Int { arrangement(in: area).pages }

    /// Where the box goes in `area`.
    public func box(in area: Rect) -> Rect {
        let (rows, columns, pages) = arrangement(in: area)
        let height = pages > 1 ? rows : min(rows, entries.count)
        let width = columns * columnWidth + (columns - 1) * Self.columnGap + 4
        return area.centered(width: width, height: height + 2)
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        let box = box(in: area)
        guard !box.isEmpty else { return }
        let (rows, columns, pages) = arrangement(in: area)
        let shownPage = min(max(0, page), pages - 1)
        buffer.fill(box, with: Cell(" ", style: textStyle))
        let block = BlockWidget(title: title, glyphs: glyphs, borderStyle: borderStyle, titleStyle: titleStyle)
        let inner = block.draw(in: box, into: &buffer).inset(left: 1, right: 1)
        guard !inner.isEmpty else { return }
        let keyWidth = keyColumnWidth
        let first = shownPage * rows * columns
        for (i, entry) in entries.dropFirst(first).prefix(rows * columns).enumerated() {
            let column = i / rows
            let x = inner.x + column * (columnWidth + Self.columnGap)
            let cell = Rect(x: x, y: inner.y, width: min(columnWidth, inner.right - x), height: inner.height)
            let y = inner.y + i % rows
            buffer.setString(x: x, y: y, entry.key, style: keyStyle, clippedTo: cell)
            buffer.setString(x: x + keyWidth + 2, y: y, entry.description, style: textStyle, clippedTo: cell)
        }
        if pages > 1 {
            // The way on, where the border has room for it.
            let hint = shownPage + 1 < pages ? " ? more (\(shownPage + 1)/\(pages)) " : " any key closes (\(pages)/\(pages)) "
            buffer.setString(x: box.x + 2, y: box.bottom - 1, hint, style: titleStyle,
                             clippedTo: Rect(x: box.x + 1, y: box.bottom - 1, width: box.width - 2, height: 1))
        }
    }
}
