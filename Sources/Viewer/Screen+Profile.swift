import TerminalUI

/// The line profile (`|`) under the heatmap, and the curve plot it shares with the radial
/// profile: bars spanning the values' own range.
extension Screen {
    /// Draws `values` as bars over `plot`, scaled from a little under their minimum to their
    /// maximum (a curve on a large offset would otherwise fill every column); returns that
    /// range of the finite values (nil when none is).
    @discardableResult
    func rangePlot(_ values: [Double], in plot: Rect, _ buffer: inout Buffer) -> (low: Double, high: Double)? {
        let finite = values.filter { $0.isFinite }
        guard let low = finite.min(), let high = finite.max() else { return nil }
        let base = high > low ? low - (high - low) / 20 : low - 1
        SparklineWidget(values: values.map { $0 - base }, maximum: high - base, glyphs: glyphs, style: theme.valueStyle)
            .render(in: plot, into: &buffer)
        return (low, high)
    }

    /// A box titled with the line (detector row or column, and the display line) and the
    /// profile's min and max, holding the plot, one column per display pixel or group of them.
    func renderLineProfile(_ area: Rect, _ buffer: inout Buffer) {
        guard let axis = state.lineProfile else { return }
        let profile = state.shownLineProfile
        var title = " \(axis.name) profile"
        if let profile {
            let line = axis == .row ? "y" : "x"
            title += " \(line)=\(profile.detectorLine)"
            if let range = profile.range {
                title += "  min \(Format.number(Double(range.min)))  max \(Format.number(Double(range.max)))"
            }
            title += "  (display px) "
        } else {
            title += " "
        }
        let block = BlockWidget(title: title, glyphs: glyphs, borderStyle: theme.borderStyle, titleStyle: theme.labelStyle)
        let inner = block.draw(in: area, into: &buffer)
        guard inner.width > 0, inner.height > 0 else { return }
        guard let profile else {
            buffer.setString(x: inner.x, y: inner.y, state.cursor == nil ? "no image yet" : "the cursor is outside the view",
                             style: theme.labelStyle, clippedTo: inner)
            return
        }
        rangePlot(profile.resampled(to: inner.width), in: inner, &buffer)
    }
}
