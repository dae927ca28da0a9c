/// A bordered box centred over whatever is on screen, listing keys and what they do.
///
/// Built per frame by the render code (main actor) while help is shown. The box is sized to its
/// content (two cells of padding inside the border), shrunk to the area when that is smaller, and
/// cleared first so nothing underneath shows through. A description longer than the box is wide
/// wraps at word boundaries, its continuation lines indented under the description column, so no
/// word is ever cut off. Entries that do not fit in the area's rows go into a second column where
/// the screen is wide enough for two readable ones (160 columns), else onto pages (`page`), with
/// the page and how to get to the next one on the bottom border. An entry is kept whole in one
/// column unless it is taller than a column.
public struct HelpOverlayWidget: Widget {
    public struct Entry: Hashable, Sendable {
        public var key: String
        public var description: String

        public init(key: String, description: String) {
            self.key = key
            self.description = description
        }
    }

    /// How the entries go into an area: entry rows per column, columns per page, each column's
    /// width (key, two spaces, description), and the pages.
    public struct Arrangement: Equatable, Sendable {
        public var rows: Int
        public var columns: Int
        public var columnWidth: Int
        public var pages: Int
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

    /// The blank cells between two columns of entries.
    public static let columnGap = 4
    /// A second column only where each column keeps the width one column has on an 80-column
    /// screen (2 × 76 + the gap + border and padding = 160 columns): narrower columns would wrap
    /// nearly every description, which reads worse than a page.
    private static let minimumColumnWidth = 76
    /// Below this many cells a description is not wrapped any narrower (it would be a word a
    /// line); the box then cuts it, which only happens on screens far smaller than 80×24.
    private static let minimumDescriptionWidth = 8

    private var keyColumnWidth: Int { entries.map(\.key.count).max() ?? 0 }
    /// One column with every description on one line.
    private var naturalColumnWidth: Int {
        max(title.count + 4, keyColumnWidth + 2 + (entries.map(\.description.count).max() ?? 0))
    }

    /// The box's size before it is fitted to an area (one column, nothing wrapped).
    public var preferredSize: (width: Int, height: Int) {
        (naturalColumnWidth + 4, entries.count + 2)
    }

    /// One row of a column: the entry's key on its first row (blank on its continuation rows)
    /// and a piece of its description.
    private struct Row {
        var key: String
        var text: String
    }

    /// Every entry as the rows it takes in a column `columnWidth` wide.
    private func rows(columnWidth: Int) -> [[Row]] {
        let width = max(Self.minimumDescriptionWidth, columnWidth - keyColumnWidth - 2)
        return entries.map { entry in
            Self.wrap(entry.description, width: width).enumerated().map { Row(key: $0.offset == 0 ? entry.key : "", text: $0.element) }
        }
    }

    /// `text` in lines of at most `width` characters, broken at spaces; a word longer than a
    /// whole line is the only thing broken inside (it would be cut otherwise).
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count <= width {
                line += " " + word
                continue
            }
            if !line.isEmpty { lines.append(line) }
            var rest = Substring(word)
            while rest.count > width {
                lines.append(String(rest.prefix(width)))
                rest = rest.dropFirst(width)
            }
            line = String(rest)
        }
        lines.append(line)
        return lines
    }

    /// The entries' rows poured into columns of `height` rows, in order. An entry that does not
    /// fit in what is left of a column starts the next one, unless it is taller than a column.
    private static func columns(of entries: [[Row]], height: Int) -> [[Row]] {
        var columns: [[Row]] = [[]]
        for entry in entries {
            if let current = columns.last, !current.isEmpty, current.count + entry.count > height, entry.count <= height {
                columns.append([])
            }
            for row in entry {
                if columns[columns.count - 1].count == height { columns.append([]) }
                columns[columns.count - 1].append(row)
            }
        }
        return columns
    }

    /// How the entries go into `area`: one column where they fit the height (wrapped to the
    /// width), else two or more side by side where the width holds them at `minimumColumnWidth`
    /// and they then fit one page, else pages of as many columns as fit.
    public func arrangement(in area: Rect) -> Arrangement {
        arrangedColumns(in: area).arrangement
    }

    private func arrangedColumns(in area: Rect) -> (arrangement: Arrangement, columns: [[Row]]) {
        let maxRows = max(1, area.height - 2)
        let inner = max(1, area.width - 4)
        let maxColumns = max(1, (inner + Self.columnGap) / (Self.minimumColumnWidth + Self.columnGap))
        func width(_ columns: Int) -> Int {
            max(1, min(naturalColumnWidth, (inner - (columns - 1) * Self.columnGap) / columns))
        }
        for count in 1...maxColumns {
            let rows = rows(columnWidth: width(count))
            guard Self.columns(of: rows, height: maxRows).count <= count else { continue }
            // One page: the shortest columns that still hold everything, so two columns come out even.
            let total = rows.reduce(0) { $0 + $1.count }
            var height = min(maxRows, max(1, (total + count - 1) / count))
            while Self.columns(of: rows, height: height).count > count { height += 1 }
            let columns = Self.columns(of: rows, height: height)
            let used = columns.map(\.count).max() ?? 0
            return (Arrangement(rows: max(1, used), columns: columns.count, columnWidth: width(count), pages: 1), columns)
        }
        let columns = Self.columns(of: rows(columnWidth: width(maxColumns)), height: maxRows)
        let pages = (columns.count + maxColumns - 1) / maxColumns
        return (Arrangement(rows: maxRows, columns: maxColumns, columnWidth: width(maxColumns), pages: pages), columns)
    }

    /// The pages the entries take in `area`.
    public func pageCount(in area: Rect) -> Int { arrangement(in: area).pages }

    /// Where the box goes in `area`.
    public func box(in area: Rect) -> Rect { box(in: area, shape: arrangement(in: area)) }

    private func box(in area: Rect, shape: Arrangement) -> Rect {
        let width = shape.columns * shape.columnWidth + (shape.columns - 1) * Self.columnGap + 4
        return area.centered(width: width, height: shape.rows + 2)
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        let (shape, columns) = arrangedColumns(in: area)
        let box = box(in: area, shape: shape)
        guard !box.isEmpty else { return }
        let shownPage = min(max(0, page), shape.pages - 1)
        buffer.fill(box, with: Cell(" ", style: textStyle))
        let block = BlockWidget(title: title, glyphs: glyphs, borderStyle: borderStyle, titleStyle: titleStyle)
        let inner = block.draw(in: box, into: &buffer).inset(left: 1, right: 1)
        guard !inner.isEmpty else { return }
        let keyWidth = keyColumnWidth
        for (index, column) in columns.dropFirst(shownPage * shape.columns).prefix(shape.columns).enumerated() {
            let x = inner.x + index * (shape.columnWidth + Self.columnGap)
            let cell = Rect(x: x, y: inner.y, width: min(shape.columnWidth, inner.right - x), height: inner.height)
            for (offset, row) in column.enumerated() {
                buffer.setString(x: x, y: inner.y + offset, row.key, style: keyStyle, clippedTo: cell)
                buffer.setString(x: x + keyWidth + 2, y: inner.y + offset, row.text, style: textStyle, clippedTo: cell)
            }
        }
        if shape.pages > 1 {
            // The way on, where the border has room for it.
            let hint = shownPage + 1 < shape.pages ? " ? more (\(shownPage + 1)/\(shape.pages)) "
                : " any key closes (\(shape.pages)/\(shape.pages)) "
            buffer.setString(x: box.x + 2, y: box.bottom - 1, hint, style: titleStyle,
                             clippedTo: Rect(x: box.x + 1, y: box.bottom - 1, width: box.width - 2, height: 1))
        }
    }
}
