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
        case .quit, .toggleHelp, .toggleLogScale, .toggleAutoscale, .nextColormap, .nextTheme, .toggleDither, .toggleMarks, .togglePixelView,
             .nextChannel, .zoomIn, .zoomOut, .fitFrame, .pan, .togglePause, .toggleStrips,
             .startRegion, .fixRegion, .cancelRegion, .deleteRegion:
            break  // not a processing command: `handle(_:)` acts on these
        }
    }

    mutating func selectMode(_ mode: ProcessingMode) {
        modes.select(mode)
        status = Status(text: "mode \(mode.name): \(mode.summary)", severity: .info)
    }

    static func adu(_ value: Float) -> String {
        value == value.rounded() ? "\(Int(value)) ADU" : "\(value) ADU"
    }
}
