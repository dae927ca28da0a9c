/// Maps a colormap table onto a terminal palette once, so that the heatmap can paint palette
/// indices instead of degrading every 24-bit colour at draw time.
///
/// Nearest-colour mapping entry by entry (the backend's fallback) is not enough for a colormap:
/// in 256 colours viridis' dark half lands on grey entries between purple ones whose lightness
/// goes down and up again, so a rising signal shows dark-light-dark bands. Here each entry gets a
/// palette colour by OKLab distance, and the whole ramp is chosen at once (dynamic programming over
/// the entries, palette colours sorted by lightness) to minimise the summed OKLab error subject to
/// the chosen colours' lightness never turning back against the colormap's own direction. A
/// colormap whose lightness is not monotone (none of ours) is mapped entry by entry.
///
/// Pure functions; `Theming.Colormap` calls them once per colormap and palette, never per cell.
public enum PaletteRamp {
    /// Indices 16–255 of the xterm palette: the 6×6×6 cube and the grey ramp. 0–15 are left out
    /// because users redefine them.
    public static let xterm256Candidates: [UInt8] = Array(16...255)

    /// The first `count` ANSI colours (16, or 8 on the Linux console), at xterm's default values.
    public static func ansiCandidates(count: Int) -> [UInt8] {
        Array(0..<UInt8(min(max(count, 1), 16)))
    }

    /// Lightness dips smaller than this between neighbouring table entries are 8-bit rounding, not
    /// a turn of the colormap.
    static let lightnessTolerance = 0.004

    /// How much more a difference in hue and chroma (a, b) counts than one in lightness when the
    /// ramp goes onto the 16 ANSI colours: with so few, plain ΔE_OK would paint mid-greys of the gray
    /// map cyan (ANSI 6 is nearer than either grey); doubling a and b keeps greys grey and hues
    /// near their own. The 256-colour palette is dense enough for plain ΔE_OK.
    public static let ansiChromaWeight = 2.0

    /// One palette index per table entry, from `candidates` (xterm-256 numbering, RGB per
    /// `Palette.rgb(ofXterm256:)`): the lightness-monotone mapping with the smallest summed OKLab
    /// error (a and b scaled by `chromaWeight`) when the table's lightness is monotone, else the
    /// nearest entry for each.
    public static func indices(for table: [(UInt8, UInt8, UInt8)], candidates: [UInt8],
                               chromaWeight: Double = 1) -> [UInt8] {
        guard !table.isEmpty, !candidates.isEmpty else { return [] }
        func weighted(_ lab: OKLab) -> OKLab { OKLab(L: lab.L, a: chromaWeight * lab.a, b: chromaWeight * lab.b) }
        let entries = table.map { weighted(OKLab($0)) }
        // Sorted by lightness so that "not darker than the previous choice" is "not earlier in this list".
        let palette = candidates.map { (index: $0, lab: weighted(Palette.oklab[Int($0)])) }
            .sorted { $0.lab.L < $1.lab.L || ($0.lab.L == $1.lab.L && $0.index < $1.index) }
        switch direction(of: entries) {
        case .rising:
            return monotone(entries, palette)
        case .falling:
            // The same problem read backwards.
            return monotone(entries.reversed(), palette).reversed()
        case .neither:
            return entries.map { entry in palette.min { entry.distance(to: $0.lab) < entry.distance(to: $1.lab) }!.index }
        }
    }

    enum Direction { case rising, falling, neither }

    static func direction(of entries: [OKLab]) -> Direction {
        let steps = zip(entries, entries.dropFirst()).map { $1.L - $0.L }
        if steps.allSatisfy({ $0 >= -lightnessTolerance }) { return .rising }
        if steps.allSatisfy({ $0 <= lightnessTolerance }) { return .falling }
        return .neither
    }

    /// Minimum summed error over all choices whose palette position never decreases:
    /// cost[i][k] = error(i, k) + min over k' ≤ k of cost[i-1][k'], a prefix minimum per row, so
    /// O(entries × palette) (256 × 240 for the 256-colour ramp).
    private static func monotone(_ entries: [OKLab], _ palette: [(index: UInt8, lab: OKLab)]) -> [UInt8] {
        let n = entries.count, k = palette.count
        var cost = [Double](repeating: 0, count: k)
        // from[i * k + j]: the palette position of entry i-1 on the best path to (i, j).
        var from = [Int](repeating: 0, count: n * k)
        for j in 0..<k { cost[j] = entries[0].distance(to: palette[j].lab) }
        for i in 1..<max(n, 1) {
            var bestCost = Double.infinity, bestPosition = 0
            var next = cost
            for j in 0..<k {
                if cost[j] < bestCost { bestCost = cost[j]; bestPosition = j }
                next[j] = bestCost + entries[i].distance(to: palette[j].lab)
                from[i * k + j] = bestPosition
            }
            cost = next
        }
        var position = cost.indices.min { cost[$0] < cost[$1] }!
        var chosen = [UInt8](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            chosen[i] = palette[position].index
            if i > 0 { position = from[i * k + position] }
        }
        return chosen
    }
}
