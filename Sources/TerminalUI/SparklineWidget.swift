/// A small bar chart of recent values (frames per second, say), newest at the right.
///
/// Built per frame by the render code (main actor). Each column is one value, shown as a bar in
/// eighths of a cell ("▁▂▃▄▅▆▇█", or "_.:-=+*#" in ASCII) over the area's full height; only the last
/// `area.width` values are shown. Values scale to `maximum` (nil: the largest shown value); values at
/// or below zero draw nothing, and so does NaN unless `gapSymbol` is given: then a NaN value (a
/// missing sample) draws that symbol on the bottom row, so a gap does not read as a zero.
public struct SparklineWidget: Widget {
    public static let unicodeLevels: [Unicode.Scalar] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    public static let asciiLevels: [Unicode.Scalar] = ["_", ".", ":", "-", "=", "+", "*", "#"]

    public var values: [Double]
    public var maximum: Double?
    public var glyphs: GlyphSet
    public var style: Style
    public var gapSymbol: Unicode.Scalar?

    public init(values: [Double], maximum: Double? = nil, glyphs: GlyphSet = .unicode, style: Style = .plain,
                gapSymbol: Unicode.Scalar? = nil) {
        self.values = values
        self.maximum = maximum
        self.glyphs = glyphs
        self.style = style
        self.gapSymbol = gapSymbol
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let shown = values.suffix(area.width)
        let startX = area.right - shown.count
        if let gapSymbol {
            for (i, value) in shown.enumerated() where value.isNaN {
                buffer[startX + i, area.bottom - 1] = Cell(gapSymbol, style: style)
            }
        }
        let top = maximum ?? shown.filter { $0.isFinite }.max() ?? 0
        guard top > 0, top.isFinite else { return }
        let levels = glyphs == .unicode ? Self.unicodeLevels : Self.asciiLevels
        for (i, value) in shown.enumerated() where value > 0 {
            let eighths = Int((min(value, top) / top * Double(area.height * 8)).rounded())
            for row in 0..<area.height {
                let inRow = min(8, eighths - row * 8)
                guard inRow > 0 else { break }
                buffer[startX + i, area.bottom - 1 - row] = Cell(levels[inRow - 1], style: style)
            }
        }
    }
}
