import TerminalUI

/// The history strips (`H`): a heading, then one row per series of the last minute, each
/// "label  ▁▂▅▇…  value  min … max", one column a second, newest at the right.
extension Screen {
    /// A second without a sample: marked, so that it does not read as a zero.
    static let stripGap: Unicode.Scalar = "·"

    func renderStrips(_ area: Rect, _ buffer: inout Buffer) {
        guard area.height > 0 else { return }
        let history = state.statsHistory
        let labelWidth = ScreenLayout.stripLabelWidth
        let heading = Style(fg: theme.title, bold: true)
        buffer.setString(x: area.x + 1, y: area.y,
                         "History, last \(StatsHistory.seconds) s (a column a second, \(Self.stripGap) no sample)",
                         style: heading, clippedTo: area)
        buffer.setString(x: area.x + labelWidth + StatsHistory.seconds + 1, y: area.y, "now     min … max",
                         style: heading, clippedTo: area)
        let strips = HistoryStrip.strips(hitsMode: state.modes.mode == .hits)
        for (row, strip) in strips.enumerated() where row + 1 < area.height {
            let y = area.y + 1 + row
            let values = history.values(strip.value)
            let finite = values.filter { $0.isFinite }
            buffer.setString(x: area.x + 1, y: y, strip.label, style: theme.labelStyle, clippedTo: area)
            let plot = Rect(x: area.x + labelWidth, y: y, width: StatsHistory.seconds, height: 1)
            SparklineWidget(values: values, maximum: strip.percent ? 1 : nil, glyphs: glyphs,
                            style: theme.valueStyle, gapSymbol: Self.stripGap)
                .render(in: plot, into: &buffer)
            let now = strip.text(values.last ?? .nan)
            let range = finite.isEmpty ? "–" : "\(strip.text(finite.min()!)) … \(strip.text(finite.max()!))"
            let text = now + String(repeating: " ", count: max(1, 8 - now.count)) + range
            buffer.setString(x: plot.right + 1, y: y, text, style: theme.valueStyle, clippedTo: area)
        }
    }
}
