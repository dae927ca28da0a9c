import SharedMemory
import TerminalUI

extension ViewerState {
    /// Where the inspector's cursor falls in an `imageWidth × imageHeight` heatmap image of the
    /// shown region (the display pixel whose bin holds the cursor's pixel); nil when the
    /// inspector is off or the cursor lies outside the shown region.
    func inspectorCursor(imageWidth: Int, imageHeight: Int) -> (x: Int, y: Int)? {
        guard inspecting, let pixel = cursorPixel, let frame = frameSize, imageWidth > 0, imageHeight > 0 else { return nil }
        let region = viewGeometry?.region ?? .whole(width: frame.width, height: frame.height)
        guard pixel.x >= region.x0, pixel.x < region.x1, pixel.y >= region.y0, pixel.y < region.y1 else { return nil }
        // The last bin starting at or before the pixel (the workers' rule: bin i starts at ⌊i·w/W⌋).
        func bin(_ p: Int, _ size: Int, _ bins: Int) -> Int {
            var i = min(bins - 1, p * bins / size)
            while i > 0, i * size / bins > p { i -= 1 }
            while i + 1 < bins, (i + 1) * size / bins <= p { i += 1 }
            return i
        }
        return (bin(pixel.x - region.x0, region.width, imageWidth), bin(pixel.y - region.y0, region.height, imageHeight))
    }
}

extension Screen {
    /// The inspector's panel section: the pixel, its raw and processed values, why it is
    /// masked, its gain stage, where its bin's maximum is, and the 3×3 raw neighbourhood.
    func renderInspector(at y: Int, _ area: Rect, _ buffer: inout Buffer) -> Int {
        guard state.inspecting, let pixel = state.cursorPixel else { return y }
        guard let inspected = state.currentInspection else {
            return section("Pixel \(pixel.x),\(pixel.y)", rows: [("", "waiting for a frame…", theme.labelStyle)],
                           at: y, area, &buffer)
        }
        let r = inspected.readout
        var rows: [(String, String, Style)] = [
            ("raw", Self.readoutNumber(r.raw[4]), theme.valueStyle),
            ("value", Self.readoutNumber(r.value[4]), theme.valueStyle),
            ("masked", r.isMasked ? "yes: \(r.reason.name)" : "no", r.isMasked ? theme.warningStyle : theme.valueStyle),
        ]
        if r.gains[4] != PixelReadout.noGain { rows.append(("gain", "G\(r.gains[4])", theme.valueStyle)) }
        if r.isBinned {
            let text = r.binMaxX >= 0 ? "bin max at \(r.binMaxX),\(r.binMaxY)" : "bin all masked"
            rows.append(("shown", text, theme.valueStyle))
        }
        var next = section("Pixel \(pixel.x),\(pixel.y)  frame \(inspected.frameNumber)", rows: rows, at: y, area, &buffer)
        // The neighbourhood, the centre bracketed; only when all three rows fit.
        let bottom = area.y + area.height
        guard next - 1 + 3 <= bottom else { return next }
        next -= 1   // directly under the rows, then one blank line
        for row in 0..<3 {
            let cells = (0..<3).map { column -> String in
                let i = row * 3 + column
                let text = r.reasons[i] == PixelReadout.Reason.outside.rawValue ? "·" : Self.readoutNumber(r.raw[i])
                let padded = String(repeating: " ", count: max(0, 7 - text.count)) + text
                return i == 4 ? "[" + padded.dropFirst() + "]" : padded + " "
            }
            buffer.setString(x: area.x + 1, y: next, cells.joined(), style: theme.valueStyle, clippedTo: area)
            next += 1
        }
        return next + 1
    }

    /// A readout value: whole numbers as integers (detector counts), NaN as "NaN".
    static func readoutNumber(_ v: Float) -> String {
        if v.isNaN { return "NaN" }
        if v == v.rounded(), abs(v) < 1e9 { return String(Int64(v)) }
        return Format.number(Double(v))
    }
}
