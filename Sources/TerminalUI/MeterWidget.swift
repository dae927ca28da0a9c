/// A labelled horizontal load bar: `label █████░░░░  73%`, coloured by load.
///
/// Built per frame by the render code (main actor), one per worker or queue. Draws in the first row
/// of its area: the label (padded to `labelWidth` so stacked meters align), a space, the bar, a space
/// and the text right-aligned in four cells. Fractions outside 0…1 are clamped (NaN counts as 0), for
/// the bar and for the default percentage text alike.
public struct MeterWidget: Widget {
    public var label: String
    public var fraction: Double
    /// Replaces the percentage when set.
    public var text: String?
    public var labelWidth: Int?
    public var glyphs: GlyphSet
    public var labelStyle: Style
    public var emptyStyle: Style
    public var textStyle: Style
    public var lowColor: Color
    public var midColor: Color
    public var highColor: Color
    /// Loads from `midThreshold` use `midColor`, from `highThreshold` `highColor`.
    public var midThreshold: Double
    public var highThreshold: Double

    public init(label: String, fraction: Double, text: String? = nil, labelWidth: Int? = nil, glyphs: GlyphSet = .unicode,
                labelStyle: Style = .plain, emptyStyle: Style = Style().dimmed(), textStyle: Style = .plain,
                lowColor: Color = .indexed(2), midColor: Color = .indexed(3), highColor: Color = .indexed(1),
                midThreshold: Double = 0.5, highThreshold: Double = 0.8) {
        self.label = label
        self.fraction = fraction
        self.text = text
        self.labelWidth = labelWidth
        self.glyphs = glyphs
        self.labelStyle = labelStyle
        self.emptyStyle = emptyStyle
        self.textStyle = textStyle
        self.lowColor = lowColor
        self.midColor = midColor
        self.highColor = highColor
        self.midThreshold = midThreshold
        self.highThreshold = highThreshold
    }

    /// The fraction the bar shows: clamped to 0…1, NaN as 0.
    public var clampedFraction: Double {
        fraction.isNaN ? 0 : min(max(fraction, 0), 1)
    }

    /// How many of `barWidth` cells are filled.
    public func filledCells(barWidth: Int) -> Int {
        Int((clampedFraction * Double(max(0, barWidth))).rounded())
    }

    public var loadColor: Color {
        let f = clampedFraction
        return f >= highThreshold ? highColor : f >= midThreshold ? midColor : lowColor
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        let percent = String(Int((clampedFraction * 100).rounded())) + "%"
        let shown = text ?? percent
        let field = String(repeating: " ", count: max(0, 4 - shown.count)) + shown
        let labelCells = labelWidth ?? label.count
        buffer.setString(x: row.x, y: row.y, label, style: labelStyle,
                         clippedTo: Rect(x: row.x, y: row.y, width: labelCells, height: 1))
        let barX = row.x + (labelCells > 0 ? labelCells + 1 : 0)
        let fieldX = row.right - field.count
        let barWidth = fieldX - 1 - barX
        if barWidth > 0 {
            let filled = filledCells(barWidth: barWidth)
            let (full, empty): (Unicode.Scalar, Unicode.Scalar) = glyphs == .unicode ? ("█", "░") : ("#", ".")
            buffer.fill(Rect(x: barX, y: row.y, width: filled, height: 1), with: Cell(full, style: Style(fg: loadColor)))
            buffer.fill(Rect(x: barX + filled, y: row.y, width: barWidth - filled, height: 1), with: Cell(empty, style: emptyStyle))
        }
        if fieldX >= barX {
            buffer.setString(x: fieldX, y: row.y, field, style: textStyle, clippedTo: row)
        }
    }
}
