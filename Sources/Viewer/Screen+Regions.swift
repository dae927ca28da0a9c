import Processing
import SharedMemory
import TerminalUI

/// The regions of interest on screen: each one's box on the heatmap in its own colour (the one
/// being drawn too), and in the panel its numbers (as the workers measured them on the full
/// frame) with a sparkline of its sum over the last minute.
extension Screen {
    /// Boxes over a heatmap image of `width × height` pixels showing the current view, drawn
    /// centred in `inner` as `HeatmapWidget` draws it.
    func outlineRegions(imageWidth width: Int, imageHeight height: Int, in inner: Rect, _ buffer: inout Buffer) {
        let regions = state.regions
        guard width > 0, height > 0, let view = state.viewGeometry?.region, !view.isEmpty,
              !regions.fixed.isEmpty || regions.drawing != nil else { return }
        let originX = inner.x + (inner.width - width) / 2
        let originY = inner.y + (inner.height - (height + 1) / 2) / 2
        // Detector column → display pixel column (floor, also for negative offsets).
        func column(_ x: Int) -> Int { Int((Double(x - view.x0) * Double(width) / Double(view.width)).rounded(.down)) }
        func row(_ y: Int) -> Int { Int((Double(y - view.y0) * Double(height) / Double(view.height)).rounded(.down)) }
        let boxes = regions.fixed.enumerated().map { ($0.element, theme.roiColour($0.offset)) }
            + (regions.drawing.map { [($0, theme.roiColour(regions.fixed.count))] } ?? [])
        for (region, colour) in boxes {
            OutlineWidget(x0: originX + column(region.x0), y0: originY + row(region.y0) / 2,
                          x1: originX + column(region.x1 - 1), y1: originY + row(region.y1 - 1) / 2,
                          color: colour, glyphs: glyphs)
                .render(clippedTo: inner, into: &buffer)
        }
    }

    /// The "Regions" section of the panel: per region a heading "1 x 10-19, y 5-9" in its
    /// colour, then sum, mean, max, centroid and the sum's sparkline. Returns the next free row.
    func renderRegions(at top: Int, _ area: Rect, _ buffer: inout Buffer) -> Int {
        let regions = state.regions
        guard !regions.fixed.isEmpty || regions.drawing != nil else { return top }
        let bottom = area.y + area.height
        var y = top
        func line(_ text: String, _ style: Style) {
            guard y < bottom else { return }
            buffer.setString(x: area.x + 1, y: y, text, style: style, clippedTo: area)
            y += 1
        }
        line("Regions", heading)
        let second = state.counters.timeNanoseconds / 1_000_000_000
        for (index, region) in regions.fixed.enumerated() where y < bottom {
            let style = theme.roiStyle(index)
            line("\(index + 1) \(ViewerState.regionText(region))", Style(fg: theme.roiColour(index), bold: true))
            guard index < regions.latest.count else {
                line("  waiting for a frame", theme.labelStyle)
                continue
            }
            let n = regions.latest[index]
            guard n.measured else {
                line("  outside the frame", theme.warningStyle)
                continue
            }
            line("  sum \(Format.number(n.sum))  mean \(Format.number(n.mean))", style)
            line("  max \(Format.number(n.max))  at \(Format.number(n.centroidX)), \(Format.number(n.centroidY))", style)
            if y < bottom {
                SparklineWidget(values: regions.sumSeries(index, endingAt: second), glyphs: glyphs, style: style,
                                gapSymbol: Self.stripGap)
                    .render(in: Rect(x: area.x + 3, y: y, width: min(Int(RegionsOfInterest.historySeconds), area.width - 4),
                                     height: 1), into: &buffer)
                y += 1
            }
        }
        if let drawing = regions.drawing {
            line("\(regions.fixed.count + 1) \(ViewerState.regionText(drawing))",
                 Style(fg: theme.roiColour(regions.fixed.count), bold: true))
            line("  drawing: Enter fixes it", theme.labelStyle)
        }
        return y + 1
    }
}
