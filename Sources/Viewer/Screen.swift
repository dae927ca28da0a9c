import DetectorStream
import Theming
import SharedMemory
import TerminalUI

/// Draws the whole screen from the state: title, heatmap, side panel (counters, frame
/// statistics, colour scale, worker load), status line, and the help overlay.
/// Pure: state in, cells out. Never touches the terminal.
public struct Screen {
    public let state: ViewerState
    public let glyphs: GlyphSet
    public let heatmapGlyphs: HeatmapWidget.Glyphs
    /// The terminal's colours: the colormap is painted with its ramp for them.
    public let colors: ColorDepth
    /// The current theme's colours for the terminal's colour depth.
    let theme: ThemeColors
    /// The heatmap's interior is left as the buffer holds it (a paint the byte budget keeps the
    /// heatmap out of: the caller puts the cells on screen there). Saves drawing what is thrown away.
    public var holdsHeatmapInterior = false
    /// Given, it receives the heatmap widget painted (for a picture drawn over its cells).
    public var heatmapCapture: HeatmapCapture?
    private var unicode: Bool { glyphs == .unicode }

    public init(state: ViewerState, glyphs: GlyphSet, heatmapGlyphs: HeatmapWidget.Glyphs? = nil,
                colors: ColorDepth = .truecolor) {
        self.state = state
        self.glyphs = glyphs
        self.heatmapGlyphs = heatmapGlyphs ?? HeatmapWidget.Glyphs(glyphs)
        self.colors = colors
        theme = state.themes.current.colors(for: colors.mode)
    }

    private var colormapRamp: ColorRamp { (Colormap.named(state.colormap) ?? .viridis).ramp(for: colors) }
    private var dithers: Bool { state.dither && colors.dithers }

    public func render(into buffer: inout Buffer) {
        let layout = state.layout(width: buffer.width, height: buffer.height)
        renderTitle(layout.title, compact: layout.panel == nil, &buffer)
        renderHeatmap(layout, &buffer)
        if let panel = layout.panel { renderPanel(panel, &buffer) }
        if let profile = layout.profile { renderLineProfile(profile, &buffer) }
        if let strips = layout.strips { renderStrips(strips, &buffer) }
        renderStatus(layout.status, &buffer)
        if state.showHelp { renderHelp(&buffer) }
        // Widgets draw on the terminal's own colours; a theme with a background of its own gives
        // those cells its background and text colour in one pass.
        if theme.paintsDefaults { buffer.replaceDefaultColours(foreground: theme.value, background: theme.background) }
        // One net for every string drawn above (titles, labels, help, the worker mark): a
        // terminal without a UTF-8 locale would show them as garbage or blanks.
        // The Linux console draws ASCII text but keeps the heatmap's half blocks (its font has them).
        if !unicode { buffer.replaceNonASCII(keeping: heatmapGlyphs == .halfBlocks ? ["▀"] : []) }
    }

    private func renderTitle(_ area: Rect, compact: Bool, _ buffer: inout Buffer) {
        var text = compact ? compactCounters : " detview  \(state.source)"
        // Paused, the first thing on the screen says so (also on a narrow screen).
        if let paused = state.pauseText { text = " \(paused)  │" + text }
        if !compact, let s = state.series {
            let source = [s.format.name, s.detector.name].filter { !$0.isEmpty }.joined(separator: " ")
            text += "  │  \(source) \(s.width)×\(s.height) \(s.pixelType.name)  series \(s.series)"
            if state.seriesEnded { text += " (ended)" }
        }
        if !compact, let image = state.shownImage { text += "  frame \(image.frameNumber)" }
        buffer.fill(area, with: Cell(" ", style: theme.titleStyle.reversed()))
        buffer.setString(x: area.x, y: area.y, text, style: theme.titleStyle.reversed(), clippedTo: area)
    }

    /// The counters in one line, for screens too narrow for the side panel.
    private var compactCounters: String {
        let c = state.counters
        let modes = state.modes
        // Without the panel, the live parameters of the mode (and what they change) go here.
        let mode: String
        switch modes.mode {
        case .counting:
            mode = "  │ \(modes.photons.map(String.init) ?? "–") photons, \(LiveParameters.sigmaText(modes.live.photonSigma))"
        case .hits:
            mode = "  │ \(modes.peaks.map(String.init) ?? "–") peaks, \(LiveParameters.sigmaText(modes.live.hitSigma)), "
                + "hit ≥ \(modes.live.minPeaks)"
        case .threshold:
            mode = "  │ threshold \(ViewerState.adu(modes.threshold))"
        default:
            mode = ""
        }
        return " rx \(c.received)  proc \(c.processed)  drop \(c.dropped)  bad \(c.bad)  "
            + "\(Format.rate(state.rates.framesPerSecond)) f/s" + mode
            + (state.counters.pullShare.map { "  pull \($0.percentText)" } ?? "")
            + (state.counters.forward.map { "  fwd \($0.messages)" } ?? "")
    }

    private func renderHeatmap(_ layout: ScreenLayout, _ buffer: inout Buffer) {
        BlockWidget(title: heatmapTitle, glyphs: glyphs, borderStyle: theme.borderStyle, titleStyle: theme.labelStyle)
            .render(in: layout.heatmap, into: &buffer)
        let inner = layout.heatmapInterior
        guard inner.width > 0, inner.height > 0, !holdsHeatmapInterior else { return }
        if state.modes.showsComposedView {
            renderComposedView(in: inner, &buffer)
            return
        }
        guard let image = state.shownImage else {
            centred(["waiting for frames…", "", state.source], in: inner, &buffer)
            return
        }
        // An image binned for another viewport is never drawn as this one: the workers' next
        // image (within a frame or two) is for it.
        guard state.shows(image.viewGeneration, image.region, image.frameWidth, image.frameHeight) else {
            centred(binningNewView, in: inner, &buffer)
            return
        }
        heatmap(image.pixels, width: image.width, height: image.height, in: inner, &buffer, picture: image.picture)
    }

    /// What the heatmap says between a zoom or pan and the first image binned for it.
    var binningNewView: [String] {
        guard let view = state.viewGeometry else { return ["waiting for the workers…"] }
        return ["binning \(ViewerState.regionText(view.region)) …", "(shown with the next frame)"]
    }

    func centred(_ lines: [String], in inner: Rect, _ buffer: inout Buffer) {
        for (i, line) in lines.enumerated() {
            let y = inner.y + inner.height / 2 - 1 + i
            let x = inner.x + max(0, (inner.width - line.count) / 2)
            buffer.setString(x: x, y: y, line, style: theme.labelStyle, clippedTo: inner)
        }
    }

    /// An image on the heatmap, with the latest frame's marks (`x` hides them) scaled to it.
    /// `picture`: the same image at the picture's pixels (`--graphics`), for the capture.
    func heatmap(_ pixels: [Float], width: Int, height: Int, in inner: Rect, _ buffer: inout Buffer,
                 picture: HeatmapPicture.Source? = nil) {
        var widget = HeatmapWidget(pixels: pixels, width: width, height: height,
                                   low: state.scale.low, high: state.scale.high, logScale: state.scale.logScale,
                                   ramp: colormapRamp, glyphs: heatmapGlyphs, gapColor: theme.gapColour)
        widget.dither = dithers
        if state.showsMarks, let image = state.shownImage, image.width > 0, image.height > 0,
           state.shows(image.viewGeneration, image.region, image.frameWidth, image.frameHeight) {
            widget.marks = image.marks.map { mark in
                let (x, y) = ResultBoard.position(of: mark)
                return (x * width / image.width, y * height / image.height)
            }
            widget.markColor = state.modes.mode == .hits ? theme.peakMarkColour : theme.markColour
        }
        widget.cursor = state.inspectorCursor(imageWidth: width, imageHeight: height)
        widget.cursorColor = theme.title
        widget.render(in: inner, into: &buffer)
        heatmapCapture?.record(widget, in: inner, source: picture)
        outlineRegions(imageWidth: width, imageHeight: height, in: inner, &buffer)
    }

    private var heatmapTitle: String {
        if state.modes.showsComposedView { return composedTitle }
        let mode = state.modes.mode == .raw ? "raw" : state.modes.mode.name
        if let zoom = zoomTitle { return " \(mode)\(pixelViewLabel)  \(zoom) " }
        guard let image = state.shownImage else { return " \(mode) " }
        let scale = image.frameWidth > image.width ? "max-binned \(image.frameWidth)×\(image.frameHeight) → \(image.width)×\(image.height)"
            : "\(image.width)×\(image.height)"
        return " \(mode)\(pixelViewLabel)  \(scale) "
    }

    /// "zoom 8×  x 512-767, y 300-427  2×2 px per pixel": the zoom over the fitted view, the
    /// region shown (first and last column and row) and how detector pixels map to display
    /// pixels; nil in the fitted view.
    var zoomTitle: String? {
        guard !state.viewport.isFitted, let view = state.viewGeometry else { return nil }
        let s = view.scale
        let mapping = s >= 1 ? "1 px → \(Int(s))×\(Int(s))" : "max of \(Int((1 / s).rounded()))×\(Int((1 / s).rounded())) px"
        return "zoom \(ViewerState.zoomText(view))  \(ViewerState.regionText(view.region))  \(mapping)"
    }

    /// JUNGFRAU pixels show their ADC value or their gain stage (`g`).
    private var pixelViewLabel: String {
        guard state.series?.detector.carriesGainBits == true else { return "" }
        return state.pixelView == .gainStage ? " · gain stage" : " · ADC"
    }

    private func renderPanel(_ area: Rect, _ buffer: inout Buffer) {
        var y = area.y
        let c = state.counters
        let frames: [(String, String, Style)] = [
            ("received", "\(c.received)", theme.valueStyle),
            ("processed", "\(c.processed)", theme.valueStyle),
            ("dropped", "\(c.dropped)", c.dropped > 0 ? theme.warningStyle : theme.valueStyle),
            ("bad", "\(c.bad)", c.bad > 0 ? theme.errorStyle : theme.valueStyle),
            ("frames/s", Format.rate(state.rates.framesPerSecond), theme.valueStyle),
            ("MB/s", Format.rate(state.rates.bytesPerSecond / 1e6), theme.valueStyle),
        ] + (state.gaps > 0 ? [("gaps", "\(state.gaps)", theme.warningStyle)] : [])
            + (c.stale > 0 ? [(" stale", "\(c.stale)", theme.warningStyle)] : [])
            + ringRows + socketRows + latencyRows
        y = section("Frames", rows: frames, at: y, area, &buffer)

        if let image = state.shownImage {
            let s = image.stats
            y = section("Frame \(image.frameNumber)", rows: [
                ("sum", Format.number(s.sum), theme.valueStyle),
                ("min / max", "\(Format.number(s.min)) / \(Format.number(s.max))", theme.valueStyle),
                ("mean", Format.number(s.mean), theme.valueStyle),
                ("masked", "\(s.masked)", theme.valueStyle),
            ], at: y, area, &buffer)
        }

        y = renderInspector(at: y, area, &buffer)
        y = section("Mode \(state.modes.mode.name)", rows: modeRows, at: y, area, &buffer)
        y = renderRegions(at: y, area, &buffer)
        y = renderOverview(at: y, area, &buffer)

        y = section("Scale", rows: [
            ("limits", "\(Format.number(Double(state.scale.low))) … \(Format.number(Double(state.scale.high)))", theme.valueStyle),
            ("mode", (state.scale.logScale ? "log" : "linear") + (state.scale.autoscale ? ", auto" : ", held"), theme.valueStyle),
        ], at: y, area, &buffer)
        if y + 2 < area.y + area.height, let histogram = shownHistogram(bins: area.width - 2) {
            // The shown pixels' histogram over the colour scale's range, right above its bar.
            SparklineWidget(values: histogram, glyphs: glyphs, style: theme.labelStyle)
                .render(in: Rect(x: area.x + 1, y: y, width: area.width - 2, height: 2), into: &buffer)
            y += 2
        }
        if y < area.y + area.height {
            ColorBarWidget(ramp: colormapRamp,
                           low: Double(state.scale.low), high: Double(state.scale.high),
                           logScale: state.scale.logScale, orientation: .horizontal,
                           // Where the heatmap is the density ramp (mono), the bar must be too: █ in one colour says nothing.
                           glyphs: heatmapGlyphs == .halfBlocks ? glyphs : .ascii,
                           labelStyle: theme.labelStyle, dither: dithers)
                .render(in: Rect(x: area.x + 1, y: y, width: area.width - 2, height: 2), into: &buffer)
            y += 3
        }

        if y < area.y + area.height {
            buffer.setString(x: area.x + 1, y: y, "Workers" + (state.restarts > 0 ? "  restarts \(state.restarts)" : ""),
                             style: state.restarts > 0 ? theme.warningStyle : heading, clippedTo: area)
            y += 1
        }
        for worker in state.workers where y < area.y + area.height {
            let label = worker.alive ? "w\(worker.index)" : "w\(worker.index)✗"
            // A stalled worker's load reads 0%, which says nothing: name it instead.
            MeterWidget(label: label, fraction: worker.load,
                        text: worker.stalled ? "stalled" : "\(Int((worker.load * 100).rounded()))%",
                        labelWidth: 4, glyphs: glyphs, labelStyle: theme.labelStyle,
                        textStyle: worker.stalled ? theme.warningStyle : .plain)
                .themed(theme)
                .render(in: Rect(x: area.x + 1, y: y, width: area.width - 2, height: 1), into: &buffer)
            y += 1
        }
    }

    var heading: Style { Style(fg: theme.title, bold: true) }

    /// Where the zoomed viewport lies in the frame: a small map under a "View" heading (only
    /// while zoomed: fitted, it would be all filled).
    private func renderOverview(at y: Int, _ area: Rect, _ buffer: inout Buffer) -> Int {
        guard !state.viewport.isFitted, let view = state.viewGeometry, let frame = state.frameSize,
              y + 2 < area.y + area.height else { return y }
        buffer.setString(x: area.x + 1, y: y, "View \(ViewerState.zoomText(view))", style: heading, clippedTo: area)
        let r = view.region
        let map = OverviewMapWidget(frameWidth: frame.width, frameHeight: frame.height,
                                    region: (r.x0, r.y0, r.x1, r.y1), glyphs: glyphs,
                                    frameStyle: theme.labelStyle, regionStyle: theme.valueStyle)
        let room = Rect(x: area.x + 1, y: y + 1, width: area.width - 2, height: min(6, area.y + area.height - y - 1))
        let size = map.size(width: room.width, maxHeight: room.height)
        map.render(in: room, into: &buffer)
        return y + 1 + size.height + 1
    }

    /// The frame ring's depth: frames waiting for a worker and frames in work, of the slots the
    /// present layout has; then its fill in bytes: the bytes those frames' slots hold, of the
    /// ring's byte budget (`--ring-bytes`), and each slot's size. A ring with no free slot drops
    /// frames, so it then shows as a warning.
    private var ringRows: [(String, String, Style)] {
        let ring = state.counters.ring
        guard ring.slots > 0 else { return [] }
        let style = ring.free == 0 ? theme.warningStyle : theme.valueStyle
        var rows = [("ring", "\(ring.filled) queued \(ring.claimed) busy/\(ring.slots)", style)]
        if ring.ringBytes > 0 {
            rows.append((" bytes", "\(Int((ring.byteFill * 100).rounded()))% of \(Format.bytes(ring.ringBytes))", style))
            rows.append((" slot", Format.bytes(ring.slotBytes), theme.valueStyle))
        }
        return rows
    }

    /// What the socket does beside the viewer: a PULL's share of the sender's frames, the forward.
    private var socketRows: [(String, String, Style)] {
        var rows: [(String, String, Style)] = []
        if let share = state.counters.pullShare {
            rows.append(("pull takes", "\(share.percentText) of frames", share.fraction < 0.99 ? theme.warningStyle : theme.valueStyle))
        }
        if let forward = state.counters.forward {
            rows.append(("forwarded", "\(forward.messages)", theme.valueStyle))
            rows.append(("fwd MB", Format.rate(Double(forward.bytes) / 1e6), theme.valueStyle))
            rows.append(("fwd blocked", Format.duration(forward.blockedNanoseconds) + (forward.waiting ? " now" : ""),
                         forward.waiting ? theme.warningStyle : theme.valueStyle))
        }
        return rows
    }

    /// p50 and p99 of each stage over the last stats interval.
    private var latencyRows: [(String, String, Style)] {
        guard let latency = state.counters.latency else { return [] }
        func row(_ label: String, _ stage: StageLatency) -> (String, String, Style) {
            (label, "\(Format.duration(stage.p50Ns)) \(Format.duration(stage.p99Ns))", theme.valueStyle)
        }
        return [("latency", "p50 p99", theme.labelStyle),
                row(" decode", latency.decode), row(" process", latency.process),
                row(" rx→result", latency.receiveToResult)]
    }

    func section(_ title: String, rows: [(String, String, Style)], at y: Int, _ area: Rect,
                         _ buffer: inout Buffer) -> Int {
        let bottom = area.y + area.height
        guard y < bottom else { return y }
        buffer.setString(x: area.x + 1, y: y, title, style: heading, clippedTo: area)
        let height = min(rows.count, bottom - y - 1)
        guard height > 0 else { return y + 1 }
        KeyValueWidget(rows: rows.map { KeyValueWidget.Row(label: $0.0, value: $0.1, style: $0.2) },
                       labelStyle: theme.labelStyle, valueStyle: theme.valueStyle)
            .render(in: Rect(x: area.x + 1, y: y + 1, width: area.width - 2, height: height), into: &buffer)
        return y + 1 + height + 1
    }

    private func renderStatus(_ area: Rect, _ buffer: inout Buffer) {
        let text = state.status?.text ?? "ready"
        let hint = Self.statusHint(rates: terminalOutputText, room: area.width - (1 + text.count) - 1)
        let severity: StatusLineWidget.Severity
        switch state.status?.severity ?? .info {
        case .info: severity = .info
        case .warning: severity = .warning
        case .error: severity = .error
        }
        StatusLineWidget(left: " " + text, right: hint, severity: severity, infoStyle: theme.statusInfoStyle,
                         warningStyle: theme.statusWarningStyle, errorStyle: theme.statusErrorStyle)
            .render(in: area, into: &buffer)
    }

    static let keyHints = "q quit  ? help  l log  a auto  C colours "
    static let shortKeyHints = "? help "

    /// The status line's right part for `room` columns: the rates first (what the terminal link
    /// carries matters most when it is short), then as many key hints as fit: all, only `? help`,
    /// or none. (The line drops its right part whole when it does not fit.)
    static func statusHint(rates: String, room: Int) -> String {
        for keys in [keyHints, shortKeyHints] where (rates + keys).count <= room { return rates + keys }
        guard !rates.isEmpty else { return "" }
        // Without the keys, the rates end with their figures, not the separator.
        let bare = String(rates.dropLast("  │  ".count)) + " "
        return bare.count <= room ? bare : ""
    }

    /// What the screen writes to the terminal: "0.8 MB/s 12 p/s", and when the byte budget held
    /// the heatmap back in the last second, how often the heatmap itself was painted (and how
    /// many steps its colour fidelity was lowered for that).
    var terminalOutputText: String {
        guard let output = state.terminalOutput else { return "" }
        var text = "\(Format.megabytes(output.bytesPerSecond)) MB/s \(Format.rate(output.paintsPerSecond)) p/s"
        // "colour -N": the budget lowered the heatmap's colour fidelity N steps to keep its rate.
        let lowered = output.fidelityStepsLowered > 0 ? ", colour -\(output.fidelityStepsLowered)" : ""
        if output.limited || !lowered.isEmpty {
            text += " (budget: heatmap \(Format.rate(output.heatmapPaintsPerSecond))/s\(lowered))"
        }
        return text + "  │  "
    }

    private func renderHelp(_ buffer: inout Buffer) {
        var overlay = HelpText.overlay(page: state.helpPage)
        overlay.glyphs = glyphs
        overlay.borderStyle = theme.borderStyle
        overlay.render(in: Rect(x: 0, y: 0, width: buffer.width, height: buffer.height), into: &buffer)
    }
}

/// Number formatting for the panel: short, aligned, never scientific for counts.
enum Format {
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        if abs(v) >= 1000 { return String(Int64(v.rounded())) }
        return String((v * 100).rounded() / 100)
    }

    /// A time in the unit that keeps it short: 850µs, 12.3ms, 1.5s.
    static func duration(_ nanoseconds: UInt64) -> String {
        let ns = Double(nanoseconds)
        if ns < 1e6 { return "\(Int64((ns / 1e3).rounded()))µs" }
        if ns < 1e9 { return tenths(ns / 1e6) + "ms" }
        return tenths(ns / 1e9) + "s"
    }

    /// One decimal, none when it is zero: 12.3, 20.
    private static func tenths(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int64(r)) : String(r)
    }

    /// Binary units, short: 320K, 80M, 4G, 1.5G.
    static func bytes(_ count: Int) -> String {
        let units: [(Int, String)] = [(1 << 40, "T"), (1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
        for (size, name) in units where count >= size {
            return tenths(Double(count) / Double(size)) + name
        }
        return "\(count)B"
    }

    /// Bytes as megabytes with two decimals below 10 (0.25, 1.04), one above.
    static func megabytes(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "–" }
        let mb = bytes / 1e6
        return mb < 10 ? String(format2(mb)) : String((mb * 10).rounded() / 10)
    }

    private static func format2(_ v: Double) -> String {
        let hundredths = Int64((v * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func rate(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        return v >= 100 ? String(Int64(v.rounded())) : String((v * 10).rounded() / 10)
    }
}

extension Buffer {
    /// Gives every cell left at the terminal's default foreground or background the given colours.
    mutating func replaceDefaultColours(foreground: Color, background: Color) {
        for y in 0..<height {
            for x in 0..<width {
                if self[x, y].style.fg == .default { self[x, y].style.fg = foreground }
                if self[x, y].style.bg == .default { self[x, y].style.bg = background }
            }
        }
    }

    /// Replaces every non-ASCII character but those `kept` with an ASCII stand-in, keeping styles
    /// and columns.
    mutating func replaceNonASCII(keeping kept: Set<Unicode.Scalar> = []) {
        for y in 0..<height {
            for x in 0..<width where !self[x, y].symbol.isASCII && !kept.contains(self[x, y].symbol) {
                self[x, y].symbol = Self.asciiStandIn(self[x, y].symbol)
            }
        }
    }

    static func asciiStandIn(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "│": "|"
        case "×", "✗", "◆": "x"
        case "µ": "u"
        case "…", "·": "."
        case "→", "≥": ">"
        case "σ": "s"
        case "—", "–", "─": "-"
        default: "?"
        }
    }
}
