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
    /// A cell's size in pixels when the terminal draws pictures (`--graphics`); nil: text only.
    var graphicsCellPixels: (width: Int, height: Int)? { get }
    /// The colours a picture may use (sixel colour registers).
    var colorRegisters: Int { get }
    /// Draws the buffer and the heatmap's picture over its cells (blank in the buffer).
    func draw(_ buffer: Buffer, picture: TerminalPicture?)
    /// Colour changes inside `area` (the heatmap) smaller than `tolerance` are not sent from the
    /// next draw on (the byte budget raises it when short; `PerceptualTolerance`).
    func setHeatmapTolerance(_ tolerance: PerceptualTolerance, in area: Rect)
    /// Every byte written to the terminal so far (what the byte budget is held on).
    var bytesWritten: Int { get }
    /// Gives the terminal back as it was. Idempotent.
    func shutdown()
}

extension FrontEnd {
    /// Text only: a front end without graphics draws the buffer and ignores pictures.
    public var graphicsCellPixels: (width: Int, height: Int)? { nil }
    public var colorRegisters: Int { 256 }
    public func draw(_ buffer: Buffer, picture: TerminalPicture?) { draw(buffer) }
    /// A front end that draws every change (a test's) has no tolerance to set.
    public func setHeatmapTolerance(_ tolerance: PerceptualTolerance, in area: Rect) {}
}
