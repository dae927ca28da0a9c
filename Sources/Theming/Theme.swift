import TerminalUI

/// The named colours of the user interface, with compiled-in defaults for every one.
///
/// Immutable value, chosen at start (theme files come later) and read by the render code. Semantic
/// colours default to ANSI palette entries so they follow the user's terminal palette and survive
/// 16-colour terminals; the gap colour is a fixed dark grey that no default colormap starts with.
public struct Theme: Sendable, Equatable {
    public var title: Color
    public var border: Color
    public var label: Color
    public var value: Color
    public var warning: Color
    public var error: Color
    /// Masked pixels (detector gaps) in the heatmap.
    public var gapColour: Color
    /// Marks on the heatmap (the last frame's photons or peaks): no colormap has it.
    public var markColour: Color
    public var meterLow: Color
    public var meterMid: Color
    public var meterHigh: Color

    public init(title: Color = .indexed(6), border: Color = .indexed(8), label: Color = .default,
                value: Color = .default, warning: Color = .indexed(3), error: Color = .indexed(1),
                gapColour: Color = .rgb(58, 58, 58), markColour: Color = .rgb(255, 64, 64), meterLow: Color = .indexed(2),
                meterMid: Color = .indexed(3), meterHigh: Color = .indexed(1)) {
        self.title = title
        self.border = border
        self.label = label
        self.value = value
        self.warning = warning
        self.error = error
        self.gapColour = gapColour
        self.markColour = markColour
        self.meterLow = meterLow
        self.meterMid = meterMid
        self.meterHigh = meterHigh
    }

    public static let `default` = Theme()

    public var titleStyle: Style { Style(fg: title, bold: true) }
    public var borderStyle: Style { Style(fg: border) }
    public var labelStyle: Style { Style(fg: label) }
    public var valueStyle: Style { Style(fg: value) }
    public var warningStyle: Style { Style(fg: warning, bold: true) }
    public var errorStyle: Style { Style(fg: error, bold: true) }
}
