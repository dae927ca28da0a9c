import TerminalUI

/// The named colours of the user interface for one colour depth, each with a compiled-in default.
///
/// Immutable value, read by the render code (main actor). The defaults are the default theme
/// (`themes/default.toml` says the same, and a test holds them equal): semantic colours are ANSI
/// palette entries so they follow the user's terminal palette and survive 16-colour terminals; the
/// gap colour is a fixed dark grey that no default colormap starts with.
public struct ThemeColors: Sendable, Equatable {
    /// The screen's background and the colour of plain text; `.default` leaves the terminal's own.
    public var background: Color = .default
    public var value: Color = .default
    /// Panel labels and other secondary text.
    public var label: Color = .default
    /// Title bar and panel headings.
    public var title: Color = .indexed(6)
    public var border: Color = .indexed(8)
    public var warning: Color = .indexed(3)
    public var error: Color = .indexed(1)
    /// The status line's three styles (information, warning, error). One whose text and background
    /// are both the terminal's own is drawn reversed, so it stands out on any terminal and in mono.
    public var statusText: Color = .default
    public var statusBackground: Color = .default
    public var statusWarningText: Color = .indexed(0)
    public var statusWarningBackground: Color = .indexed(3)
    public var statusErrorText: Color = .indexed(15)
    public var statusErrorBackground: Color = .indexed(1)
    /// Masked pixels (detector gaps) in the heatmap.
    public var gapColour: Color = .rgb(58, 58, 58)
    /// Marks on the heatmap (the last frame's photons in counting, its peaks in hit finding): no
    /// colormap has them.
    public var markColour: Color = .rgb(255, 64, 64)
    public var peakMarkColour: Color = .rgb(255, 64, 64)
    /// The regions of interest, one colour each (up to four): the box on the heatmap and the
    /// region's figures in the panel. Bright ANSI entries, which no colormap's ends are.
    public var roi1Colour: Color = .indexed(13)
    public var roi2Colour: Color = .indexed(14)
    public var roi3Colour: Color = .indexed(10)
    public var roi4Colour: Color = .indexed(15)
    public var meterLow: Color = .indexed(2)
    public var meterMid: Color = .indexed(3)
    public var meterHigh: Color = .indexed(1)

    public init() {}

    public var titleStyle: Style { Style(fg: title, bold: true) }
    public var borderStyle: Style { Style(fg: border) }
    public var labelStyle: Style { Style(fg: label) }
    public var valueStyle: Style { Style(fg: value) }
    public var warningStyle: Style { Style(fg: warning, bold: true) }
    public var errorStyle: Style { Style(fg: error, bold: true) }
    /// Region `index`'s colour (0-based; the four repeat beyond the fourth).
    public func roiColour(_ index: Int) -> Color {
        [roi1Colour, roi2Colour, roi3Colour, roi4Colour][((index % 4) + 4) % 4]
    }
    public func roiStyle(_ index: Int) -> Style { Style(fg: roiColour(index)) }
    public var statusInfoStyle: Style { Self.statusStyle(statusText, statusBackground) }
    public var statusWarningStyle: Style { Self.statusStyle(statusWarningText, statusWarningBackground) }
    public var statusErrorStyle: Style { Self.statusStyle(statusErrorText, statusErrorBackground).bolded() }

    private static func statusStyle(_ text: Color, _ background: Color) -> Style {
        Style(fg: text, bg: background, reverse: text == .default && background == .default)
    }
    /// Whether the screen must be given the theme's background and text colour after drawing
    /// (cells the widgets left at the terminal's defaults take them).
    public var paintsDefaults: Bool { background != .default || value != .default }
}
