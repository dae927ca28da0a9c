import Foundation

/// An RGB screenshot read from a binary PPM (P6, 8 bits), and what the terminal tests ask of
/// its pixels (`XDisplay.screenshot()` takes one).
struct Screenshot {
    let width: Int
    let height: Int
    let rgb: [UInt8]

    init(ppm data: Data) throws {
        let bytes = [UInt8](data)
        var fields: [Int] = []
        var i = 2
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "6") else { throw MissingTestInput("not a P6 PPM") }
        while fields.count < 3, i < bytes.count {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
            var value = 0
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) {
                value = value * 10 + Int(bytes[i] - 0x30)
                i += 1
            }
            fields.append(value)
        }
        i += 1
        guard fields.count == 3, fields[2] == 255, bytes.count >= i + fields[0] * fields[1] * 3 else { throw MissingTestInput("truncated PPM") }
        width = fields[0]
        height = fields[1]
        rgb = Array(bytes[i..<(i + width * height * 3)])
    }

    func pixel(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let p = (y * width + x) * 3
        return (rgb[p], rgb[p + 1], rgb[p + 2])
    }

    /// The pixel as 0xRRGGBB, to count colours with.
    func colour(x: Int, y: Int) -> UInt32 {
        let p = (y * width + x) * 3
        return UInt32(rgb[p]) << 16 | UInt32(rgb[p + 1]) << 8 | UInt32(rgb[p + 2])
    }

    /// The RGB bytes of pixel rows `range`.
    func rows(_ range: Range<Int>) -> ArraySlice<UInt8> {
        rgb[(range.lowerBound * width * 3)..<(min(height, range.upperBound) * width * 3)]
    }

    /// The colormap's top end (viridis' yellow, as the sixel registers hold it).
    func isBright(x: Int, y: Int) -> Bool {
        let p = pixel(x: x, y: y)
        return p.r > 200 && p.g > 200 && p.b < 110
    }

    /// Pixels brighter than a dark background in a rectangle.
    func litPixels(rows: Range<Int>, columns: Range<Int>) -> Int {
        rows.reduce(0) { count, y in
            count + columns.count { x in
                let p = pixel(x: x, y: y)
                return Int(p.r) + Int(p.g) + Int(p.b) > 200
            }
        }
    }

    /// How many `width × height` tiles (on a grid from the top left of `x` × `y`, the whole
    /// screen unless given) hold more than `limit` colours. A text cell has two colours
    /// (foreground, background): a tile smaller than a cell lies in at most 2×2 cells, so only
    /// a picture gives a tile more than 8.
    func tiles(width tileWidth: Int, height tileHeight: Int, withMoreColoursThan limit: Int,
               inX x: Range<Int>? = nil, y: Range<Int>? = nil) -> Int {
        let x = x ?? 0..<width, y = y ?? 0..<height
        var count = 0
        for top in stride(from: y.lowerBound, through: min(height, y.upperBound) - tileHeight, by: tileHeight) {
            for left in stride(from: x.lowerBound, through: min(width, x.upperBound) - tileWidth, by: tileWidth) {
                var colours = Set<UInt32>()
                for row in top..<(top + tileHeight) {
                    for column in left..<(left + tileWidth) { colours.insert(colour(x: column, y: row)) }
                }
                if colours.count > limit { count += 1 }
            }
        }
        return count
    }

    /// How many `width × height` tiles (on a grid from the top left) hold more than `limit`
    /// colours, nine in ten of their pixels within a few levels of `colormap`'s polyline.
    func colormapTiles(width tileWidth: Int, height tileHeight: Int, withMoreColoursThan limit: Int,
                       colormap: [(Double, Double, Double)]) -> Int {
        var count = 0
        var nearCache: [UInt32: Bool] = [:]
        for top in stride(from: 0, through: height - tileHeight, by: tileHeight) {
            for left in stride(from: 0, through: width - tileWidth, by: tileWidth) {
                var colours = Set<UInt32>()
                var near = 0
                for y in top..<(top + tileHeight) {
                    for x in left..<(left + tileWidth) {
                        let colour = colour(x: x, y: y)
                        colours.insert(colour)
                        if Self.isNear(colour, colormap, cache: &nearCache) { near += 1 }
                    }
                }
                if colours.count > limit, near * 10 >= tileWidth * tileHeight * 9 { count += 1 }
            }
        }
        return count
    }

    /// Distinct colours on screen within a few levels of `colormap`'s polyline, the darkest
    /// entries left out (they are close to a dark background's blacks and greys).
    func distinctColours(near colormap: [(Double, Double, Double)]) -> Int {
        var cache: [UInt32: Bool] = [:]
        var seen = Set<UInt32>()
        let brighter = Array(colormap.dropFirst())
        for y in 0..<height {
            for x in 0..<width {
                let colour = colour(x: x, y: y)
                if !seen.contains(colour), Self.isNear(colour, brighter, cache: &cache) { seen.insert(colour) }
            }
        }
        return seen.count
    }

    /// Within 6 levels (RGB distance) of a segment between two neighbouring anchors.
    private static func isNear(_ colour: UInt32, _ colormap: [(Double, Double, Double)], cache: inout [UInt32: Bool]) -> Bool {
        if let known = cache[colour] { return known }
        let c = (Double(colour >> 16 & 0xFF), Double(colour >> 8 & 0xFF), Double(colour & 0xFF))
        var best = Double.infinity
        for (a, b) in zip(colormap, colormap.dropFirst()) {
            let d = (b.0 - a.0, b.1 - a.1, b.2 - a.2)
            let lengthSquared = d.0 * d.0 + d.1 * d.1 + d.2 * d.2
            let t = max(0, min(1, ((c.0 - a.0) * d.0 + (c.1 - a.1) * d.1 + (c.2 - a.2) * d.2) / lengthSquared))
            let e = (a.0 + t * d.0 - c.0, a.1 + t * d.1 - c.1, a.2 + t * d.2 - c.2)
            best = min(best, e.0 * e.0 + e.1 * e.1 + e.2 * e.2)
        }
        let near = best <= 36
        cache[colour] = near
        return near
    }

    /// Saves it as PNG (through ImageMagick), for a person to look at.
    func png(to path: String) throws {
        let ppm = FileManager.default.temporaryDirectory.appendingPathComponent("shot-\(UUID().uuidString).ppm")
        defer { unlink(ppm.path) }
        try (Data("P6\n\(width) \(height)\n255\n".utf8) + Data(rgb)).write(to: ppm)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/convert")
        process.arguments = [ppm.path, "png:" + path]
        try process.run()
        process.waitUntilExit()
    }
}
