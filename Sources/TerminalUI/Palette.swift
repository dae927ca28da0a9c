/// Colour arithmetic for terminals that cannot show 24-bit colour: nearest xterm-256 and ANSI-16
/// entries, and the RGB values of palette entries.
///
/// Pure functions. This lives in TerminalUI rather than Theming because the terminal backend, which
/// degrades colours at draw time, depends on TerminalUI only.
public enum Palette {
    /// Channel levels of the xterm 6×6×6 colour cube (indices 16–231).
    public static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// xterm's default RGB values of the 16 ANSI colours. Real terminals let users change these, which
    /// is why mapping prefers the fixed cube and grey ramp in 256-colour mode.
    public static let ansi16: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The nearest entry among xterm-256 indices 16–255 (cube and greys) by squared RGB distance.
    public static func xterm256Index(r: UInt8, g: UInt8, b: UInt8) -> UInt8 {
        // Squared distance is separable, so the nearest cube point is the nearest level per channel.
        let ri = nearestCubeLevel(r), gi = nearestCubeLevel(g), bi = nearestCubeLevel(b)
        let cube = (Int(cubeLevels[ri]), Int(cubeLevels[gi]), Int(cubeLevels[bi]))
        let cubeDistance = squaredDistance((Int(r), Int(g), Int(b)), cube)
        // Greys 232–255 are 8, 18, …, 238.
        let mean = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = min(23, max(0, (mean - 8 + 5) / 10))
        let grey = 8 + 10 * greyStep
        let greyDistance = squaredDistance((Int(r), Int(g), Int(b)), (grey, grey, grey))
        if greyDistance < cubeDistance { return UInt8(232 + greyStep) }
        return UInt8(16 + 36 * ri + 6 * gi + bi)
    }

    /// The nearest of the first `count` ANSI colours (16, or 8 on terminals with only 8) by squared
    /// RGB distance against xterm's default values.
    public static func ansiIndex(r: UInt8, g: UInt8, b: UInt8, count: Int = 16) -> UInt8 {
        var best = 0, bestDistance = Int.max
        for i in 0..<min(max(count, 1), 16) {
            let c = ansi16[i]
            let d = squaredDistance((Int(r), Int(g), Int(b)), (Int(c.0), Int(c.1), Int(c.2)))
            if d < bestDistance { best = i; bestDistance = d }
        }
        return UInt8(best)
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

    private static func nearestCubeLevel(_ v: UInt8) -> Int {
        // Midpoints between the levels 0, 95, 135, 175, 215, 255.
        switch v {
        case 0..<48: return 0
        case 48..<115: return 1
        case 115..<155: return 2
        case 155..<195: return 3
        case 195..<235: return 4
        default: return 5
        }
    }

    private static func squaredDistance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return dr * dr + dg * dg + db * db
    }
}
