import TerminalUI

/// A named 256-entry RGB colour table for the heatmap: viridis, magma, inferno, cividis or gray.
///
/// Immutable value; the tables are built once (lazily, thread-safely, as static lets) from the anchors in
/// `ColormapAnchors`. The render code picks one by name and hands its `ramp` to the widgets.
public struct Colormap: Sendable, Equatable {
    public let name: String
    /// 256 entries, r, g, b each.
    public let table: [(UInt8, UInt8, UInt8)]

    public static func == (a: Colormap, b: Colormap) -> Bool {
        a.name == b.name && a.table.elementsEqual(b.table) { $0 == $1 }
    }

    /// The colour at t ∈ [0, 1] (clamped; NaN gives the first entry).
    public func rgb(at t: Float) -> (UInt8, UInt8, UInt8) {
        guard t > 0 else { return table[0] }
        guard t < 1 else { return table[table.count - 1] }
        return table[Int(t * Float(table.count - 1) + 0.5)]
    }

    /// The table as 24-bit colours; the backend degrades them for 256/16-colour terminals.
    public let ramp: ColorRamp

    public static let viridis = Colormap(name: "viridis", anchors: ColormapAnchors.viridis)
    public static let magma = Colormap(name: "magma", anchors: ColormapAnchors.magma)
    public static let inferno = Colormap(name: "inferno", anchors: ColormapAnchors.inferno)
    public static let cividis = Colormap(name: "cividis", anchors: ColormapAnchors.cividis)
    public static let gray = Colormap(name: "gray", table: (0...255).map { (UInt8($0), UInt8($0), UInt8($0)) })

    public static let all: [Colormap] = [viridis, magma, inferno, cividis, gray]
    public static let allNames: [String] = all.map(\.name)

    /// The colormap after the one named `name` in `all`, wrapping round (`C` in the viewer);
    /// the first for an unknown name.
    public static func after(_ name: String) -> Colormap {
        let index = all.firstIndex { $0.name == named(name)?.name } ?? -1
        return all[(index + 1) % all.count]
    }

    /// The colormap of that name (case-insensitive; "grey" is accepted), nil when unknown.
    public static func named(_ name: String) -> Colormap? {
        let key = name.lowercased() == "grey" ? "gray" : name.lowercased()
        return all.first { $0.name == key }
    }

    init(name: String, table: [(UInt8, UInt8, UInt8)]) {
        self.name = name
        self.table = table
        ramp = ColorRamp(colors: table.map { Color.rgb($0.0, $0.1, $0.2) })
    }

    /// Rebuilds the full table by linear interpolation between the anchors.
    init(name: String, anchors: [UInt8]) {
        let indices = ColormapAnchors.indices
        precondition(anchors.count == 3 * indices.count, "anchor table of \(name) has the wrong length")
        var table: [(UInt8, UInt8, UInt8)] = []
        table.reserveCapacity(256)
        var segment = 0
        for i in 0...255 {
            while segment < indices.count - 2, i > indices[segment + 1] { segment += 1 }
            let i0 = indices[segment], i1 = indices[segment + 1]
            let f = Double(i - i0) / Double(i1 - i0)
            func channel(_ c: Int) -> UInt8 {
                let a = Double(anchors[3 * segment + c]), b = Double(anchors[3 * (segment + 1) + c])
                return UInt8((a + (b - a) * f).rounded())
            }
            table.append((channel(0), channel(1), channel(2)))
        }
        self.init(name: name, table: table)
    }
}
