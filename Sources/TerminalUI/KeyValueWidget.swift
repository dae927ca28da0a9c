/// A table of counters: one `label      value` row per entry, values right-aligned to the area's
/// right edge, each row with its own value style (e.g. "dropped" in red when it is above zero).
///
/// Built per frame by the render code (main actor). Rows beyond the area's height are not drawn; a
/// label that would run into its value is cut one cell before it.
public struct KeyValueWidget: Widget {
    public struct Row: Hashable, Sendable {
        public var label: String
        public var value: String
        /// The value's style; nil uses the widget's `valueStyle`.
        public var style: Style?

        public init(label: String, value: String, style: Style? = nil) {
            self.label = label
            self.value = value
            self.style = style
        }

        /// A counter row whose value takes `alert` only when the count is above zero.
        public static func counter(_ label: String, _ count: Int, alert: Style? = nil) -> Row {
            Row(label: label, value: String(count), style: count > 0 ? alert : nil)
        }
    }

    public var rows: [Row]
    public var labelStyle: Style
    public var valueStyle: Style

    public init(rows: [Row], labelStyle: Style = .plain, valueStyle: Style = .plain) {
        self.rows = rows
        self.labelStyle = labelStyle
        self.valueStyle = valueStyle
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        for (i, row) in rows.prefix(area.height).enumerated() {
            let y = area.y + i
            let line = Rect(x: area.x, y: y, width: area.width, height: 1)
            let valueX = max(area.x, area.right - row.value.count)
            buffer.setString(x: valueX, y: y, row.value, style: row.style ?? valueStyle, clippedTo: line)
            let labelClip = Rect(x: area.x, y: y, width: valueX - 1 - area.x, height: 1)
            buffer.setString(x: area.x, y: y, row.label, style: labelStyle, clippedTo: labelClip)
        }
    }
}
