import TerminalUI
import Theming

/// The snapshot's picture (`S`): the heatmap as it is shown, cell by cell, as RGB pixels for a
/// PNG. The screen is drawn in 24-bit colour (so the colormap's own colours, not the
/// terminal's palette approximation) and each half-block cell becomes two squares of
/// `pixelsPerHalfCell` × `pixelsPerHalfCell` pixels: its upper and its lower pixel. Other cells
/// (the "waiting" text, a mark) become their background with the glyph as a square of its colour.
extension Screen {
    static let pixelsPerHalfCell = 4

    struct Picture: Equatable {
        var width: Int
        var height: Int
        /// Rows of `width` pixels, three bytes (red, green, blue) each.
        var rgb: [UInt8]
    }

    /// Nil when the heatmap has no room on a screen of this size.
    static func heatmapPicture(state: ViewerState, width: Int, height: Int) -> Picture? {
        var buffer = Buffer(width: width, height: height)
        let screen = Screen(state: state, glyphs: .unicode, heatmapGlyphs: .halfBlocks, colors: .truecolor)
        screen.render(into: &buffer)
        let area = ScreenLayout(width: width, height: height, stripRows: state.stripRows).heatmapInterior
        guard area.width > 0, area.height > 0 else { return nil }
        return picture(of: buffer, area: area, theme: screen.theme)
    }

    static func picture(of buffer: Buffer, area: Rect, theme: ThemeColors) -> Picture {
        let k = pixelsPerHalfCell
        let width = area.width * k, height = area.height * 2 * k
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        func fill(_ x0: Int, _ y0: Int, _ w: Int, _ h: Int, _ color: (UInt8, UInt8, UInt8)) {
            for y in y0..<(y0 + h) {
                for x in x0..<(x0 + w) {
                    let i = (y * width + x) * 3
                    rgb[i] = color.0
                    rgb[i + 1] = color.1
                    rgb[i + 2] = color.2
                }
            }
        }
        let background = rgbValue(theme.background, fallback: (0, 0, 0))
        let foreground = rgbValue(theme.value, fallback: (229, 229, 229))
        for cy in 0..<area.height {
            for cx in 0..<area.width {
                let cell = buffer[area.x + cx, area.y + cy]
                let x = cx * k, y = cy * 2 * k
                let fg = rgbValue(cell.style.fg, fallback: foreground)
                let bg = rgbValue(cell.style.bg, fallback: background)
                if cell.symbol == "▀" {
                    fill(x, y, k, k, fg)
                    fill(x, y + k, k, k, bg)
                } else {
                    fill(x, y, k, 2 * k, bg)
                    if cell.symbol != " " { fill(x + k / 4, y + k / 2, k / 2, k, fg) }
                }
            }
        }
        return Picture(width: width, height: height, rgb: rgb)
    }

    /// A cell colour as RGB: 24-bit as it is, a palette index as xterm's default palette shows it.
    static func rgbValue(_ color: Color, fallback: (UInt8, UInt8, UInt8)) -> (UInt8, UInt8, UInt8) {
        switch color {
        case .default: return fallback
        case let .rgb(r, g, b): return (r, g, b)
        case let .indexed(n): return xtermColor(n)
        }
    }

    /// xterm's default 256-colour palette: 16 system colours, a 6×6×6 cube, 24 greys.
    static func xtermColor(_ n: UInt8) -> (UInt8, UInt8, UInt8) {
        let system: [(UInt8, UInt8, UInt8)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
            (255, 255, 255),
        ]
        if n < 16 { return system[Int(n)] }
        if n >= 232 {
            let level = UInt8(8 + 10 * Int(n - 232))
            return (level, level, level)
        }
        let i = Int(n) - 16
        func step(_ v: Int) -> UInt8 { v == 0 ? 0 : UInt8(55 + 40 * v) }
        return (step(i / 36), step(i / 6 % 6), step(i % 6))
    }
}
