/// A lookup table from a normalised value t ∈ [0, 1] to a colour: what the heatmap and the colour
/// bar paint with.
///
/// Value type, immutable. `Theming.Colormap.ramp(for:)` builds one from a named colormap for the
/// terminal's colours (24-bit entries, or palette indices chosen once by `PaletteRamp`); TerminalUI
/// does not depend on Theming, so widgets take this table instead of the colormap itself.
public struct ColorRamp: Sendable, Equatable {
    /// At least one colour; entry 0 is t = 0, the last entry is t = 1.
    public let colors: [Color]
    /// For ordered dithering: the runs of equal neighbouring entries (a 256-entry ramp in 16 colours
    /// has a dozen), each run's colour and its centre in table positions, and each entry's run.
    private let runColors: [Color]
    private let runCentres: [Float]
    private let runOfEntry: [Int32]

    /// An empty list becomes a single default colour rather than a table that cannot be indexed.
    public init(colors: [Color]) {
        self.colors = colors.isEmpty ? [.default] : colors
        var runColors: [Color] = [], runCentres: [Float] = [], runOfEntry: [Int32] = []
        var start = 0
        for i in self.colors.indices {
            if i > 0, self.colors[i] != self.colors[i - 1] {
                runCentres.append(Float(start + i - 1) / 2)
                start = i
            }
            if i == start { runColors.append(self.colors[i]) }
            runOfEntry.append(Int32(runColors.count - 1))
        }
        runCentres.append(Float(start + self.colors.count - 1) / 2)
        self.runColors = runColors
        self.runCentres = runCentres
        self.runOfEntry = runOfEntry
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

    /// How many distinct colour steps the ramp has (runs of equal entries count once).
    public var steps: Int { runColors.count }

    /// The colour for `t` at pixel (`x`, `y`) with ordered dithering: between the centres of two
    /// neighbouring runs, the upper run's colour is taken where the Bayer threshold of the pixel is
    /// below the fraction of the way to it, so a smooth gradient becomes a fine pattern of the two
    /// palette colours around it instead of a band edge. Deterministic in (t, x, y).
    @inline(__always)
    public func ditheredColor(at t: Float, x: Int, y: Int) -> Color {
        guard t > 0 else { return colors[0] }
        let last = colors.count - 1
        guard t < 1 else { return colors[last] }
        let position = t * Float(last)
        let run = Int(runOfEntry[Int(position + 0.5)])
        let lower: Int
        if position >= runCentres[run] {
            guard run + 1 < runColors.count else { return runColors[run] }
            lower = run
        } else {
            guard run > 0 else { return runColors[run] }
            lower = run - 1
        }
        let fraction = (position - runCentres[lower]) / (runCentres[lower + 1] - runCentres[lower])
        return fraction > OrderedDither.threshold(x: x, y: y) ? runColors[lower + 1] : runColors[lower]
    }

    /// A grey ramp in 256 steps, for tests and as a fallback.
    public static let gray = ColorRamp(colors: (0...255).map { .rgb(UInt8($0), UInt8($0), UInt8($0)) })
}
