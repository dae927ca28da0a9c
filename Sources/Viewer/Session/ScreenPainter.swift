import TerminalUI
import Theming

/// Paints the viewer's state on the front end, and remembers what the last paint left on the
/// screen: a paint the byte budget keeps the heatmap out of copies the heatmap's cells (and
/// its `--graphics` picture) from the last one, so the terminal gets nothing new there.
/// Owned by the session (main thread).
@MainActor
struct ScreenPainter {
    /// The last buffer drawn, whose heatmap a paint without the heatmap keeps.
    private var lastDrawn: Buffer?
    private var lastShowedHelp = false
    /// The heatmap's picture sent with the last paint (`--graphics`), kept while the budget holds the heatmap.
    private var lastPicture: TerminalPicture?
    /// The layout of the last paint: a held heatmap is copied only into the same place (`P`,
    /// `|` or `H` move it).
    private var lastLayout: ScreenLayout?

    /// Draws `state`, the heatmap too when `heatmap` (else it is held as it is on screen), its
    /// cells diffed with `tolerance` (the byte budget's fidelity); returns the bytes that reached
    /// the terminal.
    mutating func paint(_ state: ViewerState, heatmap: Bool, tolerance: PerceptualTolerance = .invisible,
                        on frontEnd: FrontEnd) -> Int {
        var buffer = Buffer(width: frontEnd.size.width, height: frontEnd.size.height)
        var screen = Screen(state: state, glyphs: frontEnd.glyphs, heatmapGlyphs: frontEnd.heatmapGlyphs,
                            colors: frontEnd.colors)
        // The budget holds the heatmap back: its cells stay as they are on screen (the help
        // overlay, drawn over it, is drawn whole).
        let layout = state.layout(width: buffer.width, height: buffer.height)
        let held = !heatmap && !state.showHelp && !lastShowedHelp
            && lastDrawn?.width == buffer.width && lastDrawn?.height == buffer.height && lastLayout == layout
        screen.holdsHeatmapInterior = held
        // Pictures only where the help overlay does not cover the heatmap: there it is text.
        let pictureCell = state.showHelp ? nil : frontEnd.graphicsCellPixels
        let capture = pictureCell == nil || held ? nil : HeatmapCapture()
        screen.heatmapCapture = capture
        screen.render(into: &buffer)
        if held, let shown = lastDrawn {
            buffer.copy(layout.heatmapInterior, from: shown)
        }
        var picture: TerminalPicture?
        if let cell = pictureCell {
            if held {
                picture = lastPicture
            } else if let capture, let widget = capture.widget {
                picture = HeatmapPicture.make(widget, in: capture.area, cellWidth: cell.width, cellHeight: cell.height,
                                              ramp: (Colormap.named(state.colormap) ?? .viridis).ramp(for: .truecolor),
                                              registers: frontEnd.colorRegisters, source: capture.source)
            }
            // Blank cells under the picture: unchanged from paint to paint, so ncurses leaves the
            // image alone. The whole heatmap: true pixels are placed by their own size, so the
            // text image's cells (blanked with it) may reach a cell past the picture's.
            if picture != nil { buffer.fill(layout.heatmapInterior, with: Cell(" ")) }
        }
        frontEnd.setHeatmapTolerance(tolerance, in: layout.heatmapInterior)
        let before = frontEnd.bytesWritten
        frontEnd.draw(buffer, picture: picture)
        lastPicture = picture
        lastDrawn = buffer
        lastShowedHelp = state.showHelp
        lastLayout = layout
        return frontEnd.bytesWritten - before
    }
}
