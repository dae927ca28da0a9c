/// Turns a `Color` into the colour number a curses terminal takes in a given `ColorMode`:
/// -1 for the terminal default, a palette index in 16/256-colour mode, 0xRRGGBB in direct mode.
///
/// Pure value type owned by the backend; kept here (not in the backend) so the degradation rules
/// are tested without a terminal.
public struct TerminalColorNumbers: Sendable {
    public let mode: ColorMode
    /// How many palette colours the terminal has (8 or 16 matter in 16-colour mode).
    public let paletteSize: Int

    public init(mode: ColorMode, paletteSize: Int = 256) {
        self.mode = mode
        self.paletteSize = paletteSize
    }

    public func number(for color: Color) -> Int32 {
        switch (mode, color) {
        case (.mono, _), (_, .default):
            return -1
        case (.truecolor, .indexed(let i)):
            // Direct terminfo entries send numbers below 8 as the ANSI colours; keep those as they are.
            if i < 8 { return Int32(i) }
            let c = Palette.rgb(ofXterm256: i)
            return Self.direct(c.0, c.1, c.2)
        case (.truecolor, .rgb(let r, let g, let b)):
            return Self.direct(r, g, b)
        case (.color256, .indexed(let i)):
            return Int32(i)
        case (.color256, .rgb(let r, let g, let b)):
            return Int32(Palette.xterm256Index(r: r, g: g, b: b))
        case (.color16, .indexed(let i)):
            let count = min(max(paletteSize, 1), 16)
            if Int(i) < count { return Int32(i) }
            let c = Palette.rgb(ofXterm256: i)
            return Int32(Palette.ansiIndex(r: c.0, g: c.1, b: c.2, count: count))
        case (.color16, .rgb(let r, let g, let b)):
            return Int32(Palette.ansiIndex(r: r, g: g, b: b, count: min(max(paletteSize, 1), 16)))
        }
    }

    /// 0xRRGGBB, nudged off 0…7: direct terminfo entries treat those numbers as ANSI colours, so
    /// (0,0,0…7) becomes (0,0,8), an invisible change.
    static func direct(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int32 {
        max(8, Int32(r) << 16 | Int32(g) << 8 | Int32(b))
    }
}
