/// The 10-level character ramp " .:-=+*#%@" that stands in for colour in ASCII mode.
///
/// Shared by the heatmap and the colour bar so both read the same in a monochrome terminal.
public enum AsciiRamp {
    public static let levels: [Unicode.Scalar] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]

    /// The ramp character for t ∈ [0, 1]: ten equal bins, t = 1 in the last.
    @inline(__always)
    public static func symbol(at t: Float) -> Unicode.Scalar {
        guard t > 0 else { return levels[0] }
        return levels[min(levels.count - 1, Int(t * Float(levels.count)))]
    }
}
