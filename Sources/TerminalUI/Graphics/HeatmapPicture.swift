/// Turns what the half-block heatmap would show into a `TerminalPicture` at the terminal's pixel
/// resolution, for a terminal that draws images (sixel, kitty).
///
/// Covers the same cells the `HeatmapWidget` fills (the image centred in the area, clipped to
/// it). The widget's image is display-binned (one pixel per column, two per row); each screen
/// pixel takes the bilinear interpolation of the values around it, coloured through the
/// colormap's 24-bit ramp, so the picture is smooth where half blocks show steps. A pixel next to
/// a masked (NaN) one takes the nearest value, so gaps keep sharp edges in `gapColor`. Marks are
/// drawn as squares about half a cell wide in `markColor`. Built on the main actor per heatmap paint.
///
/// With a `Source` (true pixels: the workers binned the view's detector pixels to the picture's
/// size, `ControlSettings.boardBinning`), the picture shows the source's own pixels instead:
/// each is replicated into a square block of a whole number of terminal pixels when the source
/// is smaller than the area (never interpolated, so a one-pixel feature keeps its one value),
/// the whole centred in the area, which the picture covers (the rest in the gap colour).
public enum HeatmapPicture {
    /// An image at picture resolution, row by row (NaN: masked).
    public struct Source: Equatable, Sendable {
        public var pixels: [Float]
        public var width: Int
        public var height: Int

        public init(pixels: [Float], width: Int, height: Int) {
            self.pixels = pixels
            self.width = width
            self.height = height
        }
    }

    /// `registers`: colours the terminal holds (a sixel terminal's colour registers, 2...256);
    /// the ramp is resampled to leave two for the gap and the mark colours. `source`: the
    /// image at picture resolution the widget's (text-sized) image was reduced from, if any.
    public static func make(_ widget: HeatmapWidget, in area: Rect, cellWidth: Int, cellHeight: Int,
                            ramp: ColorRamp, registers: Int = 256, source: Source? = nil) -> TerminalPicture? {
        guard widget.width > 0, widget.height > 0, cellWidth > 0, cellHeight > 0, !ramp.colors.isEmpty else { return nil }
        if let source, source.width > 0, source.height > 0, source.pixels.count >= source.width * source.height {
            return truePixels(source, widget: widget, in: area, cellWidth: cellWidth, cellHeight: cellHeight,
                              palette: PictureColours(widget: widget, ramp: ramp, registers: registers))
        }
        let cells = widget.cellSize
        let originX = area.x + (area.width - cells.width) / 2
        let originY = area.y + (area.height - cells.height) / 2
        let x0 = max(area.x, originX), x1 = min(area.right, originX + cells.width)
        let y0 = max(area.y, originY), y1 = min(area.bottom, originY + cells.height)
        guard x0 < x1, y0 < y1 else { return nil }
        let covered = Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        let width = covered.width * cellWidth, height = covered.height * cellHeight

        let colours = PictureColours(widget: widget, ramp: ramp, registers: registers)
        let (palette, steps, gapIndex, markIndex) = (colours.rgb, colours.steps, colours.gapIndex, colours.markIndex)

        // Image coordinates of the covered cells' corners: one image pixel per cell column, two per row.
        let imageLeft = Float(x0 - originX), imageTop = Float(2 * (y0 - originY))
        let xStep = 1 / Float(cellWidth), yStep = 2 / Float(cellHeight)
        var indices = [UInt8](repeating: gapIndex, count: width * height)
        let lastStep = Float(steps - 1)
        widget.pixels.withUnsafeBufferPointer { pixels in
            func value(_ x: Int, _ y: Int) -> Float {
                let i = y * widget.width + x
                return i < pixels.count ? pixels[i] : .nan
            }
            for py in 0..<height {
                // Pixel centres, in image pixels whose centres are at +0.5.
                let sy = min(max(imageTop + (Float(py) + 0.5) * yStep - 0.5, 0), Float(widget.height - 1))
                let iy = Int(sy), fy = sy - Float(iy), iy1 = min(iy + 1, widget.height - 1)
                for px in 0..<width {
                    let sx = min(max(imageLeft + (Float(px) + 0.5) * xStep - 0.5, 0), Float(widget.width - 1))
                    let ix = Int(sx), fx = sx - Float(ix), ix1 = min(ix + 1, widget.width - 1)
                    let a = value(ix, iy), b = value(ix1, iy), c = value(ix, iy1), d = value(ix1, iy1)
                    var v: Float
                    if a.isNaN || b.isNaN || c.isNaN || d.isNaN {
                        v = value(fx < 0.5 ? ix : ix1, fy < 0.5 ? iy : iy1)
                    } else {
                        v = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy
                    }
                    guard !v.isNaN else { continue }
                    v = widget.scale.normalized(v)
                    indices[py * width + px] = UInt8(Int(v * lastStep + 0.5))
                }
            }
        }
        let markSide = max(1, cellWidth / 2)
        for mark in widget.marks where mark.x >= 0 && mark.x < widget.width && mark.y >= 0 && mark.y < widget.height {
            let centreX = Int((Float(mark.x) + 0.5 - imageLeft) / xStep)
            let centreY = Int((Float(mark.y) + 0.5 - imageTop) / yStep)
            for y in max(0, centreY - markSide / 2)..<min(height, centreY - markSide / 2 + markSide) {
                for x in max(0, centreX - markSide / 2)..<min(width, centreX - markSide / 2 + markSide) {
                    indices[y * width + x] = markIndex
                }
            }
        }
        return TerminalPicture(cells: covered, width: width, height: height, indices: indices, palette: palette)
    }

    /// The ramp resampled to the terminal's registers, then the gap and the mark colours.
    private struct PictureColours {
        var rgb: [TerminalPicture.RGB]
        var steps: Int
        var gapIndex: UInt8
        var markIndex: UInt8

        init(widget: HeatmapWidget, ramp: ColorRamp, registers: Int) {
            steps = max(1, min(ramp.colors.count, min(256, max(3, registers)) - 2))
            let steps = steps
            rgb = (0..<steps).map { step in
                HeatmapPicture.rgb(ramp.colors[steps == 1 ? 0 : step * (ramp.colors.count - 1) / (steps - 1)])
            }
            gapIndex = UInt8(rgb.count)
            rgb.append(HeatmapPicture.rgb(widget.gapColor))
            markIndex = UInt8(rgb.count)
            rgb.append(HeatmapPicture.rgb(widget.markColor))
        }
    }

    /// The source's pixels as they are: scaled by a whole factor into square blocks when they
    /// fit the area (the workers never send more than the area holds, nor enlarge), by the
    /// fitting fraction with the nearest pixel otherwise (a cell size that shrank since the
    /// workers were told), centred in `area`. Marks come from the widget (text-image pixels).
    private static func truePixels(_ source: Source, widget: HeatmapWidget, in area: Rect, cellWidth: Int,
                                   cellHeight: Int, palette: PictureColours) -> TerminalPicture? {
        let areaWidth = area.width * cellWidth, areaHeight = area.height * cellHeight
        guard areaWidth > 0, areaHeight > 0 else { return nil }
        let fit = min(Double(areaWidth) / Double(source.width), Double(areaHeight) / Double(source.height))
        // One scale for both axes: terminal pixels are square, so detector pixels stay square.
        let scale = fit >= 1 ? fit.rounded(.down) : fit
        let drawnWidth = max(1, min(areaWidth, Int((Double(source.width) * scale).rounded(.down))))
        let drawnHeight = max(1, min(areaHeight, Int((Double(source.height) * scale).rounded(.down))))
        // The picture covers the whole area, the image centred in it and the rest in the gap
        // colour: every paint's picture then overwrites every pixel of the last one. A picture
        // covering only the image's cells left stale pixels beside it in xterm (lines the
        // terminal moved with their pixels, which ncurses, seeing blanks, never rewrites).
        let covered = area
        let width = areaWidth, height = areaHeight
        let imageLeft = (areaWidth - drawnWidth) / 2, imageTop = (areaHeight - drawnHeight) / 2
        var indices = [UInt8](repeating: palette.gapIndex, count: width * height)
        let lastStep = Float(palette.steps - 1)
        // Source column of each picture column (-1: outside the image), computed once.
        let columns = (0..<width).map { px -> Int in
            let x = px - imageLeft
            guard x >= 0, x < drawnWidth else { return -1 }
            return min(source.width - 1, Int(Double(x) / scale))
        }
        source.pixels.withUnsafeBufferPointer { pixels in
            for py in 0..<height {
                let y = py - imageTop
                guard y >= 0, y < drawnHeight else { continue }
                let row = min(source.height - 1, Int(Double(y) / scale)) * source.width
                for px in 0..<width where columns[px] >= 0 {
                    let v = pixels[row + columns[px]]
                    guard !v.isNaN else { continue }
                    indices[py * width + px] = UInt8(Int(widget.scale.normalized(v) * lastStep + 0.5))
                }
            }
        }
        let markSide = max(1, cellWidth / 2)
        for mark in widget.marks where mark.x >= 0 && mark.x < widget.width && mark.y >= 0 && mark.y < widget.height {
            let centreX = imageLeft + Int((Double(mark.x) + 0.5) / Double(widget.width) * Double(drawnWidth))
            let centreY = imageTop + Int((Double(mark.y) + 0.5) / Double(widget.height) * Double(drawnHeight))
            for y in max(0, centreY - markSide / 2)..<max(0, min(height, centreY - markSide / 2 + markSide)) {
                for x in max(0, centreX - markSide / 2)..<max(0, min(width, centreX - markSide / 2 + markSide)) {
                    indices[y * width + x] = palette.markIndex
                }
            }
        }
        return TerminalPicture(cells: covered, width: width, height: height, indices: indices, palette: palette.rgb)
    }

    private static func rgb(_ color: Color) -> TerminalPicture.RGB {
        switch color {
        case .rgb(let r, let g, let b): return .init(r, g, b)
        case .indexed(let i):
            let (r, g, b) = Palette.rgb(ofXterm256: i)
            return .init(r, g, b)
        case .default: return .init(0, 0, 0)
        }
    }
}
