/// Colour arithmetic for terminals that cannot show 24-bit colour: nearest xterm-256 and ANSI-16
/// entries by OKLab distance, and the RGB and OKLab values of palette entries.
///
/// Pure functions. This lives in TerminalUI rather than Theming because the terminal backend, which
/// degrades colours at draw time, depends on TerminalUI only. Colormaps do not come through here
/// cell by cell: they are mapped once, as whole ramps (`PaletteRamp`); this serves the few other
/// 24-bit colours (theme colours, the gap and mark colours), which the backend caches.
public enum Palette {
    /// Channel levels of the xterm 6×6×6 colour cube (indices 16–231).
    public static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// xterm's default RGB values of the 16 ANSI colours. Real terminals let users change these, which
    /// is why mapping prefers the fixed cube and grey ramp in 256-colour mode.
    public static let ansi16: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The nearest entry among xterm-256 indices 16–255 (cube and greys) by OKLab distance (240
    /// distances: callers cache, as the backend does).
    public static func xterm256Index(r: UInt8, g: UInt8, b: UInt8) -> UInt8 {
        nearest(to: OKLab(r: r, g: g, b: b), among: 16...255, chromaWeight: 1)
    }

    /// The nearest of the first `count` ANSI colours (16, or 8 on terminals with only 8) against
    /// xterm's default values, by OKLab distance with hue weighted as in the ANSI colormap ramps
    /// (`PaletteRamp.ansiChromaWeight`), so a grey stays grey.
    public static func ansiIndex(r: UInt8, g: UInt8, b: UInt8, count: Int = 16) -> UInt8 {
        nearest(to: OKLab(r: r, g: g, b: b), among: 0...UInt8(min(max(count, 1), 16) - 1),
                chromaWeight: PaletteRamp.ansiChromaWeight)
    }

    /// OKLab of every xterm-256 entry (defaults for 0–15), computed once.
    public static let oklab: [OKLab] = (0...255).map { OKLab(rgb(ofXterm256: UInt8($0))) }

    private static func nearest(to target: OKLab, among indices: ClosedRange<UInt8>, chromaWeight: Double) -> UInt8 {
        var best = indices.lowerBound, bestDistance = Double.infinity
        for i in indices {
            let entry = oklab[Int(i)]
            let dL = target.L - entry.L, da = chromaWeight * (target.a - entry.a), db = chromaWeight * (target.b - entry.b)
            let d = dL * dL + da * da + db * db
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    /// The RGB value xterm uses for a 256-colour index (defaults for 0–15).
    public static func rgb(ofXterm256 index: UInt8) -> (UInt8, UInt8, UInt8) {
        switch index {
        case 0..<16:
            return ansi16[Int(index)]
        case 16..<232:
            let i = Int(index) - 16
            return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
        default:
            let v = UInt8(8 + 10 * (Int(index) - 232))
            return (v, v, v)
        }
    }
}
