import Processing
import TerminalUI

extension ViewerState {
    /// The processing commands (keys in `KeyMap`): `m` and the digits pick the mode, `p` takes
    /// a dark series, `r` resets the pedestal, `+`/`-` move the threshold, `u` cycles the
    /// pump-probe views, `s` switches pedestal mode between the mean and σ, `c` clears the
    /// accumulations.
    mutating func handleModeCommand(_ command: KeyCommand) {
        switch command {
        case .nextMode:
            selectMode(modes.mode.next)
        case .selectMode(let mode):
            selectMode(mode)
        case .takeDarkSeries:
            modes.darkRequests &+= 1
            let text = "taking a dark series of \(modes.darkSeriesFrames) frames: keep the beam off"
            if let short = modes.darkSeriesShortfall(modes.darkSeriesFrames) {
                status = Status(text: "\(text); \(short.reason): --pedestal-frames \(short.needed)", severity: .warning)
            } else {
                status = Status(text: text, severity: .info)
            }
        case .resetPedestal:
            modes.pedestalResets &+= 1
            modes.composed = nil
            status = Status(text: "pedestal reset", severity: .info)
        case .raiseThreshold:
            modes.threshold += modes.thresholdStep
            status = Status(text: "threshold \(Self.adu(modes.threshold))", severity: .info)
        case .lowerThreshold:
            modes.threshold = max(0, modes.threshold - modes.thresholdStep)
            status = Status(text: "threshold \(Self.adu(modes.threshold))", severity: .info)
        case .nextPumpView:
            guard modes.pumpProbe else {
                status = Status(text: "no pump-probe pattern (start with --pattern up,p)", severity: .warning)
                return
            }
            let views = PumpView.allCases
            modes.pumpView = views[(views.firstIndex(of: modes.pumpView)! + 1) % views.count]
            status = Status(text: "showing \(modes.pumpView.name)", severity: .info)
        case .nextPedestalView:
            guard modes.mode == .pedestal else {
                status = Status(text: "s shows the pedestal's σ in pedestal mode (2)", severity: .warning)
                return
            }
            let views = PedestalView.allCases
            modes.pedestalView = views[(views.firstIndex(of: modes.pedestalView)! + 1) % views.count]
            status = Status(text: "pedestal: showing its \(modes.pedestalView.name)", severity: .info)
        case .clearAccumulations:
            modes.clears &+= 1
            modes.composed = nil
            status = Status(text: "accumulations cleared", severity: .info)
        case .lowerPhotonSigma, .raisePhotonSigma:
            modes.live.photonSigma = LiveParameters.stepped(modes.live.photonSigma, up: command == .raisePhotonSigma)
            status = Status(text: "photon nσ \(LiveParameters.sigmaText(modes.live.photonSigma))"
                                + liveNote(for: .counting, "a charge-integrating detector's photons"), severity: .info)
        case .lowerHitSigma, .raiseHitSigma:
            modes.live.hitSigma = LiveParameters.stepped(modes.live.hitSigma, up: command == .raiseHitSigma)
            status = Status(text: "hit nσ \(LiveParameters.sigmaText(modes.live.hitSigma))" + liveNote(for: .hits, "peaks"),
                            severity: .info)
        case .lowerMinPeaks, .raiseMinPeaks:
            modes.live.minPeaks = LiveParameters.stepped(modes.live.minPeaks, up: command == .raiseMinPeaks)
            status = Status(text: "min peaks \(modes.live.minPeaks) for a hit" + liveNote(for: .hits, "hits"),
                            severity: .info)
        case .quit, .toggleHelp, .toggleLogScale, .toggleAutoscale, .nextColormap, .nextTheme, .toggleDither, .toggleMarks, .togglePixelView,
             .nextChannel, .zoomIn, .zoomOut, .fitFrame, .pan, .togglePause, .toggleStrips, .nextLineProfile, .togglePanel, .snapshot,
             .toggleInspector, .hideInspector, .moveCursor,
             .startRegion, .fixRegion, .deleteRegion:
            break  // not a processing command: `handle(_:)` acts on these
        }
    }

    /// What the status adds to a live parameter's new value: from the next frame in `mode`,
    /// or where it acts when another mode is on.
    private func liveNote(for mode: ProcessingMode, _ what: String) -> String {
        modes.mode == mode ? " from the next frame" : " (used by \(mode.name) mode \(mode.digit) for \(what))"
    }

    mutating func selectMode(_ mode: ProcessingMode) {
        modes.select(mode)
        status = Status(text: "mode \(mode.name): \(mode.summary)", severity: .info)
    }

    static func adu(_ value: Float) -> String {
        value == value.rounded() ? "\(Int(value)) ADU" : "\(value) ADU"
    }
}
