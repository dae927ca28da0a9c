/// The colours the screen is drawn with: the mode, and in 16-colour mode how many ANSI entries
/// the terminal has (16, or 8 on the Linux console).
///
/// Decided once at start (`TerminalProfile.detect`) and handed to the screen, which picks the
/// colormap's ramp for it (`Colormap.ramp(for:)`), precomputed per palette.
public struct ColorDepth: Hashable, Sendable {
    public var mode: ColorMode
    public var ansiColors: Int

    public init(mode: ColorMode, ansiColors: Int = 16) {
        self.mode = mode
        self.ansiColors = min(max(ansiColors, 1), 16)
    }

    public static let truecolor = ColorDepth(mode: .truecolor)

    /// Only a coarse palette bands; 24-bit ramps have no steps to dither between, and mono draws
    /// characters.
    public var dithers: Bool { mode == .color256 || mode == .color16 }
}
