/// Encodes a `TerminalPicture` as a sixel image (DEC's six-pixel-row bands).
///
/// Hand-written rather than through libsixel (Debian 12 has libsixel-dev 1.10.3): libsixel is
/// built around quantising a true-colour image (palette search, dithering), while the heatmap's
/// picture is already indexed into the colormap ramp, so all that is left is the band and
/// run-length encoding below; our own encoder emits only the registers an image uses and gives
/// byte-exact output the tests pin, without a new system library in every build.
///
/// Output: `ESC P 0;1;0 q` (P2 = 1: pixels not drawn stay as they are), raster attributes
/// `"1;1;W;H` (square pixels, the image size), one `#i;2;r;g;b` definition per register used
/// (percentages), then per band of six rows, per register present in it (ascending), `#i` and its
/// sixels with runs of four or more as `!n` + sixel, trailing empty columns left out, `$` between
/// registers and `-` between bands; `ESC \` ends it.
public enum SixelEncoder {
    public static func encode(_ picture: TerminalPicture) -> [UInt8] {
        let width = picture.width, height = picture.height
        var out: [UInt8] = []
        out.reserveCapacity(width * height / 2 + 1024)
        append("\u{1B}P0;1;0q\"1;1;\(width);\(height)", to: &out)
        guard width > 0, height > 0, picture.indices.count >= width * height else {
            append("\u{1B}\\", to: &out)
            return out
        }
        var used = [Bool](repeating: false, count: 256)
        for index in picture.indices[0..<(width * height)] { used[Int(index)] = true }
        for register in 0..<256 where used[register] {
            let colour = register < picture.palette.count ? picture.palette[register] : TerminalPicture.RGB(0, 0, 0)
            append("#\(register);2;\(percent(colour.r));\(percent(colour.g));\(percent(colour.b))", to: &out)
        }
        // Per band: each register's six-bit column patterns, built in one pass over the band's pixels.
        var patterns = [UInt8](repeating: 0, count: 256 * width)
        var present = [Bool](repeating: false, count: 256)
        var bandTop = 0
        while bandTop < height {
            let rows = min(6, height - bandTop)
            for register in 0..<256 where present[register] {
                patterns.withUnsafeMutableBufferPointer { p in
                    for x in 0..<width { p[register * width + x] = 0 }
                }
                present[register] = false
            }
            picture.indices.withUnsafeBufferPointer { pixels in
                patterns.withUnsafeMutableBufferPointer { p in
                    for row in 0..<rows {
                        let bit = UInt8(1) << UInt8(row)
                        let base = (bandTop + row) * width
                        for x in 0..<width {
                            let register = Int(pixels[base + x])
                            p[register * width + x] |= bit
                            present[register] = true
                        }
                    }
                }
            }
            var first = true
            for register in 0..<256 where present[register] {
                if !first { out.append(UInt8(ascii: "$")) }
                first = false
                append("#\(register)", to: &out)
                appendRuns(patterns, from: register * width, count: width, to: &out)
            }
            bandTop += 6
            if bandTop < height { out.append(UInt8(ascii: "-")) }
        }
        append("\u{1B}\\", to: &out)
        return out
    }

    /// One register's sixels for a band; trailing empty columns are not sent (the next `$` or `-`
    /// goes back to the left edge anyway).
    private static func appendRuns(_ patterns: [UInt8], from start: Int, count: Int, to out: inout [UInt8]) {
        var end = start + count
        while end > start, patterns[end - 1] == 0 { end -= 1 }
        var x = start
        while x < end {
            let pattern = patterns[x]
            var run = 1
            while x + run < end, patterns[x + run] == pattern { run += 1 }
            let sixel = 0x3F + pattern
            if run >= 4 {
                append("!\(run)", to: &out)
                out.append(sixel)
            } else {
                for _ in 0..<run { out.append(sixel) }
            }
            x += run
        }
    }

    private static func percent(_ value: UInt8) -> Int { (Int(value) * 100 + 127) / 255 }

    private static func append(_ text: String, to out: inout [UInt8]) { out.append(contentsOf: text.utf8) }
}
