import TerminalUI

extension HeatmapWidget {
    /// A heatmap painted with a named colormap (TerminalUI itself only knows `ColorRamp`).
    public init(pixels: [Float], width: Int, height: Int, low: Float, high: Float, logScale: Bool = false,
                colormap: Colormap, glyphs: Glyphs = .halfBlocks, gapColor: Color = HeatmapWidget.defaultGapColor) {
        self.init(pixels: pixels, width: width, height: height, low: low, high: high, logScale: logScale,
                  ramp: colormap.ramp, glyphs: glyphs, gapColor: gapColor)
    }
}

extension MeterWidget {
    /// Takes the theme's load colours.
    public func themed(_ theme: ThemeColors) -> MeterWidget {
        var m = self
        m.lowColor = theme.meterLow
        m.midColor = theme.meterMid
        m.highColor = theme.meterHigh
        return m
    }
}
