/// A bar of the colormap with the display limits as text, and "log" when the scale is logarithmic.
///
/// Built per frame by the render code (main actor). Vertical: the bar (two columns) runs from `high`
/// at the top to `low` at the bottom, with the high limit right of its top row, the low limit right
/// of its bottom row and "log" between them. Horizontal: the bar fills the first row from `low` on
/// the left to `high` on the right; the second row holds low (left), "log" (centre) and high (right).
/// In ASCII mode the bar uses the ramp characters (coloured), so it still reads without colour.
public struct ColorBarWidget: Widget {
    public enum Orientation: Hashable, Sendable {
        case vertical
        case horizontal
    }

    public var ramp: ColorRamp
    public var low: Double
    public var high: Double
    public var logScale: Bool
    public var orientation: Orientation
    public var glyphs: GlyphSet
    public var labelStyle: Style
    /// Ordered dithering as in the heatmap, so the bar shows what the image shows.
    public var dither: Bool

    public init(ramp: ColorRamp, low: Double, high: Double, logScale: Bool = false,
                orientation: Orientation = .vertical, glyphs: GlyphSet = .unicode, labelStyle: Style = .plain,
                dither: Bool = false) {
        self.ramp = ramp
        self.low = low
        self.high = high
        self.logScale = logScale
        self.orientation = orientation
        self.glyphs = glyphs
        self.labelStyle = labelStyle
        self.dither = dither
    }

    public static let barWidth = 2

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        switch orientation {
        case .vertical: renderVertical(area, &buffer)
        case .horizontal: renderHorizontal(area, &buffer)
        }
    }

    private func color(at t: Float, x: Int, y: Int) -> Color {
        dither ? ramp.ditheredColor(at: t, x: x, y: y) : ramp.color(at: t)
    }

    /// t at sample `i` of `n`, from 0 at the first sample to 1 at the last.
    private func t(_ i: Int, of n: Int) -> Float {
        n <= 1 ? 1 : Float(i) / Float(n - 1)
    }

    private func renderVertical(_ area: Rect, _ buffer: inout Buffer) {
        let bar = Rect(x: area.x, y: area.y, width: min(Self.barWidth, area.width), height: area.height)
        let samples = glyphs == .unicode ? 2 * area.height : area.height
        for row in 0..<area.height {
            for column in 0..<bar.width {
                let cell: Cell
                if glyphs == .unicode {
                    let upper = 1 - t(2 * row, of: samples), lower = 1 - t(2 * row + 1, of: samples)
                    cell = Cell("▀", style: Style(fg: color(at: upper, x: column, y: 2 * row),
                                                  bg: color(at: lower, x: column, y: 2 * row + 1)))
                } else {
                    let value = 1 - t(row, of: samples)
                    cell = Cell(AsciiRamp.symbol(at: value), style: Style(fg: color(at: value, x: column, y: row)))
                }
                buffer[bar.x + column, area.y + row] = cell
            }
        }
        let labels = area.inset(left: bar.width + 1)
        guard !labels.isEmpty else { return }
        buffer.setString(x: labels.x, y: labels.y, CompactNumber.format(high), style: labelStyle, clippedTo: labels)
        if labels.height >= 2 {
            buffer.setString(x: labels.x, y: labels.bottom - 1, CompactNumber.format(low), style: labelStyle, clippedTo: labels)
        }
        if logScale, labels.height >= 3 {
            buffer.setString(x: labels.x, y: labels.y + labels.height / 2, "log", style: labelStyle, clippedTo: labels)
        }
    }

    private func renderHorizontal(_ area: Rect, _ buffer: inout Buffer) {
        for col in 0..<area.width {
            let value = t(col, of: area.width)
            let symbol: Unicode.Scalar = glyphs == .unicode ? "█" : AsciiRamp.symbol(at: value)
            buffer[area.x + col, area.y] = Cell(symbol, style: Style(fg: color(at: value, x: col, y: 0)))
        }
        guard area.height >= 2 else { return }
        let row = Rect(x: area.x, y: area.y + 1, width: area.width, height: 1)
        let lowText = CompactNumber.format(low), highText = CompactNumber.format(high)
        let lowEnd = buffer.setString(x: row.x, y: row.y, lowText, style: labelStyle, clippedTo: row)
        let highStart = row.right - highText.count
        if highStart > lowEnd {
            buffer.setString(x: highStart, y: row.y, highText, style: labelStyle, clippedTo: row)
        }
        let logStart = row.x + (row.width - 3) / 2
        if logScale, logStart > lowEnd, logStart + 3 < min(highStart, row.right) {
            buffer.setString(x: logStart, y: row.y, "log", style: labelStyle, clippedTo: row)
        }
    }
}
