/// Turns what the half-block heatmap would show into a `TerminalPicture` at the terminal's pixel
/// resolution, for a terminal that draws images (sixel, kitty).
///
/// Covers the same cells the `HeatmapWidget` fills (the image centred in the area, clipped to
/// it). The widget's image is display-binned (one pixel per column, two per row); each screen
/// pixel takes the bilinear interpolation of the values around it, coloured through the
/// colormap's 24-bit ramp, so the picture is smooth where half blocks show steps. A pixel next to
/// a masked (NaN) one takes the nearest value, so gaps keep sharp edges in `gapColor`. Marks are
/// drawn as squares about half a cell wide in `markColor`. Built on the main actor per heatmap paint.
public enum HeatmapPicture {
    /// `registers`: colours the terminal holds (a sixel terminal's colour registers, 2...256);
    /// the ramp is resampled to leave two for the gap and the mark colours.
    public static func make(_ widget: HeatmapWidget, in area: Rect, cellWidth: Int, cellHeight: Int,
                            ramp: ColorRamp, registers: Int = 256) -> TerminalPicture? {
        guard widget.width > 0, widget.height > 0, cellWidth > 0, cellHeight > 0, !ramp.colors.isEmpty else { return nil }
        let cells = widget.cellSize
        let originX = area.x + (area.width - cells.width) / 2
        let originY = area.y + (area.height - cells.height) / 2
        let x0 = max(area.x, originX), x1 = min(area.right, originX + cells.width)
        let y0 = max(area.y, originY), y1 = min(area.bottom, originY + cells.height)
        guard x0 < x1, y0 < y1 else { return nil }
        let covered = Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        let width = covered.width * cellWidth, height = covered.height * cellHeight

        let steps = max(1, min(ramp.colors.count, min(256, max(3, registers)) - 2))
        var palette = (0..<steps).map { step in
            rgb(ramp.colors[steps == 1 ? 0 : step * (ramp.colors.count - 1) / (steps - 1)])
        }
        let gapIndex = UInt8(palette.count)
        palette.append(rgb(widget.gapColor))
        let markIndex = UInt8(palette.count)
        palette.append(rgb(widget.markColor))

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
