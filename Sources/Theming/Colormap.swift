import TerminalUI

/// A named 256-entry RGB colour table for the heatmap: viridis, magma, inferno, cividis or gray,
/// and each one reversed (`viridis_r`, …: dark at the top of the scale).
///
/// Immutable value; the registry `all` is built once (thread-safely, as a static let) from the
/// published tables in `ColormapTables`. With each table, the ramps for every terminal palette are
/// computed once here (`PaletteRamp`: lightness-monotone palette indices by OKLab distance), so
/// drawing a cell is a table lookup in any colour mode. The render code picks a map by name and
/// hands `ramp(for:)` to the widgets.
public struct Colormap: Sendable, Equatable {
    public let name: String
    /// 256 entries, r, g, b each.
    public let table: [(UInt8, UInt8, UInt8)]
    /// The table as 24-bit colours.
    public let ramp: ColorRamp
    /// The table on xterm-256 indices 16–255.
    public let ramp256: ColorRamp
    /// The table on ANSI 0–15, and on 0–7 for terminals with 8 colours (the Linux console).
    public let ramp16: ColorRamp
    public let ramp8: ColorRamp

    public static func == (a: Colormap, b: Colormap) -> Bool {
        a.name == b.name && a.table.elementsEqual(b.table) { $0 == $1 }
    }

    /// The colour at t ∈ [0, 1] (clamped; NaN gives the first entry).
    public func rgb(at t: Float) -> (UInt8, UInt8, UInt8) {
        guard t > 0 else { return table[0] }
        guard t < 1 else { return table[table.count - 1] }
        return table[Int(t * Float(table.count - 1) + 0.5)]
    }

    /// The ramp to paint with in a terminal of these colours (mono draws characters; it gets the
    /// 24-bit ramp, whose colours the backend ignores).
    public func ramp(for colors: ColorDepth) -> ColorRamp {
        switch colors.mode {
        case .truecolor, .mono: ramp
        case .color256: ramp256
        case .color16: colors.ansiColors < 16 ? ramp8 : ramp16
        }
    }

    public static let viridis = Colormap(name: "viridis", packed: ColormapTables.viridis)
    public static let magma = Colormap(name: "magma", packed: ColormapTables.magma)
    public static let inferno = Colormap(name: "inferno", packed: ColormapTables.inferno)
    public static let cividis = Colormap(name: "cividis", packed: ColormapTables.cividis)
    public static let gray = Colormap(name: "gray", table: (0...255).map { (UInt8($0), UInt8($0), UInt8($0)) })

    /// The five maps in the order `C` steps through them.
    public static let families: [Colormap] = [viridis, magma, inferno, cividis, gray]
    /// The one registry: every map and its reversed form.
    public static let all: [Colormap] = families + families.map(\.reversed)
    public static let allNames: [String] = all.map(\.name)

    static let reversedSuffix = "_r"

    /// The same map from the other end, named with "_r" (matplotlib's convention); reversing a
    /// reversed map gives the original.
    public var reversed: Colormap {
        let base = name.hasSuffix(Self.reversedSuffix) ? String(name.dropLast(Self.reversedSuffix.count)) : nil
        return Colormap(name: base ?? name + Self.reversedSuffix, table: table.reversed())
    }

    public var isReversed: Bool { name.hasSuffix(Self.reversedSuffix) }

    /// The next family after the one named `name`, wrapping round and keeping its direction
    /// (`C` in the viewer: magma_r → inferno_r); the first for an unknown name.
    public static func after(_ name: String) -> Colormap {
        guard let current = named(name) else { return families[0] }
        let base = current.isReversed ? current.reversed.name : current.name
        let index = families.firstIndex { $0.name == base } ?? -1
        let next = families[(index + 1) % families.count]
        return current.isReversed ? named(next.name + reversedSuffix) ?? next : next
    }

    /// The colormap of that name (case-insensitive; "grey" is accepted), nil when unknown.
    public static func named(_ name: String) -> Colormap? {
        let key = name.lowercased().replacingGrey()
        return all.first { $0.name == key }
    }

    init(name: String, table: [(UInt8, UInt8, UInt8)]) {
        self.name = name
        self.table = table
        ramp = ColorRamp(colors: table.map { Color.rgb($0.0, $0.1, $0.2) })
        func indexed(_ candidates: [UInt8], chromaWeight: Double = 1) -> ColorRamp {
            ColorRamp(colors: PaletteRamp.indices(for: table, candidates: candidates, chromaWeight: chromaWeight)
                .map(Color.indexed))
        }
        ramp256 = indexed(PaletteRamp.xterm256Candidates)
        ramp16 = indexed(PaletteRamp.ansiCandidates(count: 16), chromaWeight: PaletteRamp.ansiChromaWeight)
        ramp8 = indexed(PaletteRamp.ansiCandidates(count: 8), chromaWeight: PaletteRamp.ansiChromaWeight)
    }

    /// From a table packed as r, g, b, r, g, b, … (`ColormapTables`).
    init(name: String, packed: [UInt8]) {
        precondition(packed.count == 3 * 256, "table of \(name) has the wrong length")
        self.init(name: name, table: (0..<256).map { (packed[3 * $0], packed[3 * $0 + 1], packed[3 * $0 + 2]) })
    }
}

private extension String {
    /// "grey" and "grey_r" are the gray maps.
    func replacingGrey() -> String {
        hasPrefix("grey") ? "gray" + dropFirst(4) : self
    }
}
