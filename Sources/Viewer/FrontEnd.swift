import TerminalUI

/// The terminal as the session sees it: the ncurses backend in the real program, a test
/// backend in tests. Owned by the main actor.
@MainActor
public protocol FrontEnd: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// Box drawing and symbols: unicode when the locale is UTF-8, else ASCII.
    var glyphs: GlyphSet { get }
    /// The heatmap's glyphs: half blocks need colour, so a mono terminal gets the ASCII ramp.
    var heatmapGlyphs: HeatmapWidget.Glyphs { get }
    /// The colours in use (mode, and ANSI entries in 16-colour mode): which colormap ramp to paint with.
    var colors: ColorDepth { get }
    var inputFileDescriptor: Int32 { get }
    func readKeys() -> [Key]
    /// Takes the terminal's new size (after SIGWINCH) and repaints everything next time.
    func resize()
    func draw(_ buffer: Buffer)
    /// Every byte written to the terminal so far (what the byte budget is held on).
    var bytesWritten: Int { get }
    /// Gives the terminal back as it was. Idempotent.
    func shutdown()
}
