import TerminalUI

/// A theme: the user interface's colours, per colour depth, and the heatmap's default colormap.
///
/// Immutable value, made at start (compiled in, or read from a `themes/*.toml` file by `ThemeFile`)
/// and read by the render code on the main actor. `T` switches between the themes `ThemeLocator`
/// found (`ThemeCycle`).
public struct Theme: Sendable, Equatable {
    /// The theme's name (its file's name without `.toml`), as `--theme` and the status line say it.
    public var name: String
    /// A name in the colormap registry (`Colormap.named`), checked when a file is read.
    public var colormap: String
    /// The colours on terminals with 256 or more colours.
    public var colors: ThemeColors
    /// The colours on terminals with 16 (a theme's `[colors16]` table replaces what it names; the
    /// rest is `colors`, which the backend maps to the nearest of the 16).
    public var colors16: ThemeColors

    public init(name: String, colormap: String = "viridis", colors: ThemeColors = ThemeColors(),
                colors16: ThemeColors? = nil) {
        self.name = name
        self.colormap = colormap
        self.colors = colors
        self.colors16 = colors16 ?? colors
    }

    /// The compiled-in theme, used when no theme file is found; `themes/default.toml` is the same.
    public static let `default` = Theme(name: "default")

    /// The colours to draw with on a terminal of that depth (mono terminals ignore colours anyway).
    public func colors(for mode: ColorMode) -> ThemeColors {
        mode <= .color16 ? colors16 : colors
    }
}
