/// Draws a display-sized image as a heatmap: two pixels per cell with the upper half block "▀"
/// (foreground = upper pixel, background = lower pixel), or one ASCII ramp character per cell.
///
/// Built per frame by the render code (main actor) from the result board's display image, which the
/// workers have already binned to the terminal's cells × 2 rows keeping the aspect ratio. The image is
/// centred in the area; an image larger than the area keeps its centre and loses its edges. NaN pixels
/// are masked (detector gaps) and drawn in `gapColor`, which is not a colormap colour. A pixel array
/// shorter than width × height is treated as masked where it is missing.
public struct HeatmapWidget: Widget {
    public enum Glyphs: Hashable, Sendable {
        case halfBlocks
        case ascii

        public init(_ set: GlyphSet) { self = set == .unicode ? .halfBlocks : .ascii }
    }

    public var pixels: [Float]
    public var width: Int
    public var height: Int
    public var scale: IntensityScale
    public var ramp: ColorRamp
    public var glyphs: Glyphs
    public var gapColor: Color
    /// Pixels to mark (the last frame's photons or peaks), drawn over the image as a symbol
    /// in `markColor` on the cell's colour.
    public var marks: [(x: Int, y: Int)] = []
    public var markColor: Color = .rgb(255, 64, 64)
    /// The pixel inspector's cursor (image pixel), drawn over marks as a bold `+` in
    /// `cursorColor` on the pixel's colour.
    public var cursor: (x: Int, y: Int)?
    public var cursorColor: Color = .indexed(6)
    /// Ordered dithering between neighbouring ramp colours (`D`): worth it when the ramp has few
    /// steps (256 and 16 colours); each pixel's pattern position is its image coordinate, so the
    /// pattern stays put while the image is live.
    public var dither = false

    public static let defaultGapColor = Color.rgb(58, 58, 58)

    public init(pixels: [Float], width: Int, height: Int, low: Float, high: Float, logScale: Bool = false,
                ramp: ColorRamp, glyphs: Glyphs = .halfBlocks, gapColor: Color = HeatmapWidget.defaultGapColor) {
        self.pixels = pixels
        self.width = max(0, width)
        self.height = max(0, height)
        scale = IntensityScale(low: low, high: high, logScale: logScale)
        self.ramp = ramp
        self.glyphs = glyphs
        self.gapColor = gapColor
    }

    /// Cells the image needs: one column per pixel, one row per two pixel rows.
    public var cellSize: (width: Int, height: Int) { (width, (height + 1) / 2) }

    public func render(in area: Rect, into buffer: inout Buffer) {
        let visible = area.intersection(buffer.area)
        guard !visible.isEmpty, width > 0, height > 0 else { return }
        let cells = cellSize
        // Centre; a negative offset (image larger than the area) clips both edges.
        let originX = area.x + (area.width - cells.width) / 2
        let originY = area.y + (area.height - cells.height) / 2
        let x0 = max(visible.x, originX), x1 = min(visible.right, originX + cells.width)
        let y0 = max(visible.y, originY), y1 = min(visible.bottom, originY + cells.height)
        guard x0 < x1, y0 < y1 else { return }
        for cy in y0..<y1 {
            let upperRow = 2 * (cy - originY)
            for cx in x0..<x1 {
                let px = cx - originX
                let upper = pixel(px, upperRow)
                let lower = upperRow + 1 < height ? pixel(px, upperRow + 1) : nil
                buffer[cx, cy] = glyphs == .halfBlocks ? halfBlock(upper, lower, x: px, y: upperRow)
                                                       : asciiCell(upper, lower, x: px, y: upperRow / 2)
            }
        }
        for mark in marks where mark.x >= 0 && mark.x < width && mark.y >= 0 && mark.y < height {
            let cx = originX + mark.x, cy = originY + mark.y / 2
            guard cx >= x0, cx < x1, cy >= y0, cy < y1 else { continue }
            let under = pixel(mark.x, mark.y)
            buffer[cx, cy] = Cell(glyphs == .halfBlocks ? "◆" : "x",
                                  style: Style(fg: markColor, bg: glyphs == .halfBlocks ? color(under, x: mark.x, y: mark.y) : .default,
                                               bold: true))
        }
        if let mark = cursor, mark.x >= 0, mark.x < width, mark.y >= 0, mark.y < height {
            let cx = originX + mark.x, cy = originY + mark.y / 2
            if cx >= x0, cx < x1, cy >= y0, cy < y1 {
                let under = pixel(mark.x, mark.y)
                buffer[cx, cy] = Cell("+", style: Style(fg: cursorColor, bg: glyphs == .halfBlocks ? color(under, x: mark.x, y: mark.y) : .default,
                                                        bold: true))
            }
        }
    }

    @inline(__always)
    private func pixel(_ x: Int, _ y: Int) -> Float {
        let i = y * width + x
        return i < pixels.count ? pixels[i] : .nan
    }

    @inline(__always)
    private func color(_ value: Float, x: Int, y: Int) -> Color {
        if value.isNaN { return gapColor }
        let t = scale.normalized(value)
        return dither ? ramp.ditheredColor(at: t, x: x, y: y) : ramp.colors[ramp.index(at: t)]
    }

    private func halfBlock(_ upper: Float, _ lower: Float?, x: Int, y: Int) -> Cell {
        Cell("▀", style: Style(fg: color(upper, x: x, y: y), bg: lower.map { color($0, x: x, y: y + 1) } ?? .default))
    }

    /// One character for two pixels: the ramp symbol of their mean, coloured (dithered on the cell grid).
    private func asciiCell(_ upper: Float, _ lower: Float?, x: Int, y: Int) -> Cell {
        let second = lower ?? .nan
        let mean: Float
        switch (upper.isNaN, second.isNaN) {
        case (true, true): return Cell(" ", style: Style(bg: gapColor))
        case (false, true): mean = upper
        case (true, false): mean = second
        case (false, false): mean = (upper + second) / 2
        }
        let t = scale.normalized(mean)
        let fg = dither ? ramp.ditheredColor(at: t, x: x, y: y) : ramp.colors[ramp.index(at: t)]
        return Cell(AsciiRamp.symbol(at: t), style: Style(fg: fg))
    }
}
