import Processing
import TerminalUI

/// The parts of the screen that depend on the processing mode: the composed view of an
/// accumulating mode (or the radial profile as a curve) and the mode's rows in the panel.
extension Screen {
    func renderComposedView(in inner: Rect, _ buffer: inout Buffer) {
        let modes = state.modes
        guard let view = modes.composed, view.workers > 0 else {
            centred(["\(modes.mode.name): waiting for the workers' first frames…"], in: inner, &buffer)
            return
        }
        if modes.mode.usesPedestal && !view.pedestalReady {
            centred(["\(modes.mode.name) needs the pedestal: \(view.pedestalFrames) frames so far",
                     "(\(modes.pedestalFramesPerWorker) for each of the \(modes.workerCount) workers)",
                     "", "(p takes a dark series; keep the beam off meanwhile)"], in: inner, &buffer)
            return
        }
        if view.mode == .radial {
            renderProfile(view.pixels, in: inner, &buffer)
        } else if !state.shows(view.viewGeneration, view.region, view.frameWidth, view.frameHeight) {
            centred(binningNewView, in: inner, &buffer)
        } else {
            heatmap(view.pixels, width: view.width, height: view.height, in: inner, &buffer)
        }
    }

    /// The radial profile as bars, one column per group of rings, with its scale in words.
    private func renderProfile(_ profile: [Float], in inner: Rect, _ buffer: inout Buffer) {
        guard inner.height >= 3, !profile.isEmpty else { return }
        let columns = inner.width
        var values = [Double](repeating: .nan, count: columns)
        for c in 0..<columns {
            let start = c * profile.count / columns, end = max(start + 1, (c + 1) * profile.count / columns)
            let finite = profile[start..<min(end, profile.count)].filter { $0.isFinite }
            if !finite.isEmpty { values[c] = Double(finite.reduce(0, +)) / Double(finite.count) }
        }
        let plot = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 2)
        let (low, high) = rangePlot(values, in: plot, &buffer) ?? (0, 0)
        buffer.setString(x: inner.x, y: inner.y, "mean per ring: \(Format.number(low)) … \(Format.number(high))",
                         style: theme.labelStyle, clippedTo: inner)
        buffer.setString(x: inner.x, y: inner.bottom - 1, "r = 0 … \(profile.count) px from the beam centre",
                         style: theme.labelStyle, clippedTo: inner)
    }

    /// Counts of the shown (unmasked) pixels in `bins` equal bins between the colour scale's
    /// limits, out-of-range pixels left out; nil when nothing is shown.
    func shownHistogram(bins: Int) -> [Double]? {
        let pixels: [Float]
        if state.modes.showsComposedView {
            guard let view = state.modes.composed, view.mode != .radial, !view.pixels.isEmpty else { return nil }
            pixels = view.pixels
        } else {
            guard let image = state.shownImage else { return nil }
            pixels = image.pixels
        }
        let low = state.scale.low, high = state.scale.high
        guard bins > 0, high > low, let histogram = try? ValueHistogram(bins: bins) else { return nil }
        guard (try? pixels.withUnsafeBufferPointer { try histogram.compute($0, range: low...high) }) != nil else { return nil }
        return histogram.counts.map { Double($0) }
    }

    var composedTitle: String {
        let modes = state.modes
        var title = " \(modes.mode.name)"
        if modes.pumpProbe, modes.mode.accumulates { title += " · \(modes.pumpView.name)" }
        if modes.mode == .pedestal { title += " \(modes.pedestalView.name)" }
        if let view = modes.composed {
            let frames = view.framesA + view.framesB
            if modes.mode == .pedestal {
                title += "  \(view.pedestalFrames) frames"
            } else if modes.mode.accumulates {
                title += "  \(frames) frames"
            }
            if view.mode != .radial, let zoom = zoomTitle {
                title += "  \(zoom)"
            } else if view.mode != .radial && view.frameWidth > view.width {
                title += "  binned \(view.frameWidth)×\(view.frameHeight) → \(view.width)×\(view.height)"
            }
        }
        return title + " "
    }

    var modeRows: [(String, String, Style)] {
        let modes = state.modes
        var rows: [(String, String, Style)] = []
        switch modes.mode {
        case .threshold:
            rows.append(("threshold", ViewerState.adu(modes.threshold), theme.valueStyle))
        case .counting:
            rows.append(("photons", modes.photons.map { "\($0) last frame" } ?? "–", theme.valueStyle))
            rows.append(("nσ (n/N)", LiveParameters.sigmaText(modes.live.photonSigma), theme.valueStyle))
        case .hits:
            rows.append(("peaks", modes.peaks.map { "\($0) last frame" } ?? "–", theme.valueStyle))
            rows.append(("nσ ([/])", LiveParameters.sigmaText(modes.live.hitSigma), theme.valueStyle))
            rows.append(("min peaks (</>)", "\(modes.live.minPeaks)", theme.valueStyle))
            rows.append(("hit rate", modes.hitRate.map { "\(Format.number($0 * 100)) %" } ?? "–", theme.valueStyle))
        default:
            break
        }
        if modes.mode.usesPedestal, let view = modes.composed {
            rows.append(("pedestal", "\(view.pedestalFrames) frames" + (view.pedestalReady ? "" : " (not ready)"),
                         view.pedestalReady ? theme.valueStyle : theme.warningStyle))
        }
        if rows.isEmpty { rows.append(("shows", modes.mode.summary, theme.valueStyle)) }
        return rows
    }
}
