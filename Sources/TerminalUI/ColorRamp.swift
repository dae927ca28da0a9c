/// A lookup table from a normalised value t ∈ [0, 1] to a colour: what the heatmap and the colour
/// bar paint with.
///
/// Value type, immutable. `Theming.Colormap.ramp` builds one from a named colormap; TerminalUI does
/// not depend on Theming, so widgets take this table instead of the colormap itself.
public struct ColorRamp: Sendable, Equatable {
    /// At least one colour; entry 0 is t = 0, the last entry is t = 1.
    public let colors: [Color]

    /// An empty list becomes a single default colour rather than a table that cannot be indexed.
    public init(colors: [Color]) {
        self.colors = colors.isEmpty ? [.default] : colors
    }

    /// The table index for `t`, clamped to the table; NaN maps to 0.
    @inline(__always)
    public func index(at t: Float) -> Int {
        guard t > 0 else { return 0 }
        guard t < 1 else { return colors.count - 1 }
        return Int(t * Float(colors.count - 1) + 0.5)
    }

    @inline(__always)
    public func color(at t: Float) -> Color { colors[index(at: t)] }

    /// A grey ramp in 256 steps, for tests and as a fallback.
    public static let gray = ColorRamp(colors: (0...255).map { .rgb(UInt8($0), UInt8($0), UInt8($0)) })
}
