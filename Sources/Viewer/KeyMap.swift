import Processing
import TerminalUI
import Theming

/// What a key asks of the viewer. The reducer acts on these, never on keys themselves.
public enum KeyCommand: Sendable, Equatable {
    case quit
    case toggleHelp
    case toggleLogScale
    case toggleAutoscale
    case nextColormap
    case nextTheme
    case toggleDither
    case toggleMarks
    case togglePixelView
    case nextChannel
    case nextMode
    case selectMode(ProcessingMode)
    case takeDarkSeries
    case resetPedestal
    case raiseThreshold
    case lowerThreshold
    case nextPumpView
    case nextPedestalView
    case clearAccumulations
    case zoomIn
    case zoomOut
    case fitFrame
    /// Move the viewport by (dx, dy) steps of a quarter of it.
    case pan(dx: Int, dy: Int)
    /// Space: hold the picture (acquisition and processing go on) / go live again.
    case togglePause
    /// The history strips (the last minute's rates) on / off.
    case toggleStrips
    /// Counting's photon nσ one step down / up (live: the next frame uses it).
    case lowerPhotonSigma
    case raisePhotonSigma
    /// The hit finder's nσ one step down / up.
    case lowerHitSigma
    case raiseHitSigma
    /// The peaks that make a frame a hit, one fewer / more.
    case lowerMinPeaks
    case raiseMinPeaks
    /// The line profile through the cursor (or the view's centre): off → row → column → off.
    case nextLineProfile
    /// The side panel on / off (when the screen has room for it).
    case togglePanel
    /// Write a snapshot: the full-resolution image of the shown view (.npy, .tiff) and its picture (.png).
    case snapshot
    /// The pixel inspector on / off (`i`); Escape only hides it (or drops a region being drawn).
    case toggleInspector
    case hideInspector
    /// Shift+arrows: move the inspector's cursor by ten shown pixels per step.
    case moveCursor(dx: Int, dy: Int)
    /// `R`: start drawing a region of interest; Enter fixes it, Escape drops it.
    case startRegion
    case fixRegion
    /// Delete: remove the region under the cursor (or the view's centre), else the last one.
    case deleteRegion
}

/// One row of the key map: the keys and what each does, and how the help overlay, `view
/// --help` and the README name them. A plain value.
public struct KeyBinding: Sendable {
    /// The keys as they are written for people: typed characters ("q", "1…9" for a run of
    /// them) and named keys ("Ctrl-C", "F1").
    public let names: [String]
    /// Every key of the row and its command (more than `names` show: `=` raises the
    /// threshold too, for keyboards where `+` needs Shift).
    public let commands: [(key: Key, command: KeyCommand)]
    /// The help overlay's and the README's description.
    public let help: String
    /// The few words of `view --help`'s key list.
    public let brief: String
}

/// The viewer's keys, once: the reducer looks keys up here, the help overlay (`HelpText`),
/// `view --help` (`briefList`) and the README's "## Keys" table (checked by a test) show it.
public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        KeyBinding(names: ["q", "Ctrl-C"],
                   commands: [(.character("q"), .quit), (.character("Q"), .quit), (.control("c"), .quit)],
                   help: "quit (the terminal is restored)", brief: "quit"),
        KeyBinding(names: ["?", "h", "F1"],
                   commands: [(.character("?"), .toggleHelp), (.character("h"), .toggleHelp), (.function(1), .toggleHelp)],
                   help: "show or hide this help", brief: "help"),
        KeyBinding(names: ["l"], commands: [(.character("l"), .toggleLogScale)],
                   help: "log / linear colour scale", brief: "log scale"),
        KeyBinding(names: ["a"], commands: [(.character("a"), .toggleAutoscale)],
                   help: "autoscale on / off (off holds the limits)", brief: "autoscale"),
        KeyBinding(names: ["C"], commands: [(.character("C"), .nextColormap)],
                   help: "next colormap (\(Colormap.families.map(\.name).joined(separator: ", ")); a reversed one stays reversed)",
                   brief: "colormap"),
        KeyBinding(names: ["T"], commands: [(.character("T"), .nextTheme)],
                   help: "next theme (the themes found: see --theme)", brief: "theme"),
        KeyBinding(names: ["D"], commands: [(.character("D"), .toggleDither)],
                   help: "dithering on / off (256 and 16 colours: smooth gradients without bands)", brief: "dithering"),
        KeyBinding(names: ["x"], commands: [(.character("x"), .toggleMarks)],
                   help: "marks of the last frame's photons (counting) / peaks (hits) on / off",
                   brief: "photon / peak marks"),
        KeyBinding(names: ["g"], commands: [(.character("g"), .togglePixelView)],
                   help: "JUNGFRAU: gain stage (0 G0, 1 G1, 2 G2) / ADC value", brief: "JUNGFRAU gain view"),
        KeyBinding(names: ["t"], commands: [(.character("t"), .nextChannel)],
                   help: "next channel of a stream v2 image (threshold_1, threshold_2, …)", brief: "next stream v2 channel"),
        KeyBinding(names: ["m", "1…9", "0"],
                   commands: [(.character("m"), .nextMode)]
                       + ProcessingMode.allCases.map { (.character($0.digit), .selectMode($0)) },
                   help: "next mode / mode by number (see below)", brief: "processing mode"),
        KeyBinding(names: ["p"], commands: [(.character("p"), .takeDarkSeries)],
                   help: "take a dark series (pedestal) of --pedestal-frames frames", brief: "dark series"),
        KeyBinding(names: ["r"], commands: [(.character("r"), .resetPedestal)],
                   help: "reset the pedestal", brief: "reset pedestal"),
        KeyBinding(names: ["+", "-"],
                   commands: [(.character("+"), .raiseThreshold), (.character("="), .raiseThreshold),
                              (.character("-"), .lowerThreshold), (.character("_"), .lowerThreshold)],
                   help: "raise / lower the threshold (threshold mode)", brief: "threshold"),
        KeyBinding(names: ["n", "N"],
                   commands: [(.character("n"), .lowerPhotonSigma), (.character("N"), .raisePhotonSigma)],
                   help: "photon finder nσ down / up by 0.5 (counting; next frame; x marks show it)",
                   brief: "photon nσ"),
        KeyBinding(names: ["[", "]"],
                   commands: [(.character("["), .lowerHitSigma), (.character("]"), .raiseHitSigma)],
                   help: "hit finder nσ down / up by 0.5 (hits mode; next frame)", brief: "hit nσ"),
        KeyBinding(names: ["<", ">"],
                   commands: [(.character("<"), .lowerMinPeaks), (.character(">"), .raiseMinPeaks)],
                   help: "minimum peaks of a hit down / up by 1 (hits mode; next frame)", brief: "min peaks"),
        KeyBinding(names: ["u"], commands: [(.character("u"), .nextPumpView)],
                   help: "pump-probe: unpumped / pumped / difference", brief: "pump-probe view"),
        KeyBinding(names: ["s"], commands: [(.character("s"), .nextPedestalView)],
                   help: "pedestal mode: the dark level's mean / its σ", brief: "pedestal mean / σ"),
        KeyBinding(names: ["c"], commands: [(.character("c"), .clearAccumulations)],
                   help: "clear the accumulations (sum, mean, max, counts, profile)", brief: "clear"),
        KeyBinding(names: ["z", "Z"], commands: [(.character("z"), .zoomIn), (.character("Z"), .zoomOut)],
                   help: "zoom in / out (full-resolution pixels; down to blocks of cells per pixel)", brief: "zoom"),
        KeyBinding(names: ["arrows"],
                   commands: [(.left, .pan(dx: -1, dy: 0)), (.right, .pan(dx: 1, dy: 0)),
                              (.up, .pan(dx: 0, dy: -1)), (.down, .pan(dx: 0, dy: 1))],
                   help: "pan; inspector: move the cursor; paused: ← / → step; drawing a region: grow / shrink",
                   brief: "pan / move cursor / step while paused"),
        KeyBinding(names: ["i", "Escape"], commands: [(.character("i"), .toggleInspector), (.escape, .hideInspector)],
                   help: "pixel inspector on / off: a cursor and its pixel's raw and processed values, mask reason, gain, 3×3",
                   brief: "pixel inspector"),
        KeyBinding(names: ["Shift+arrows"],
                   commands: [(.shiftLeft, .moveCursor(dx: -10, dy: 0)), (.shiftRight, .moveCursor(dx: 10, dy: 0)),
                              (.shiftUp, .moveCursor(dx: 0, dy: -10)), (.shiftDown, .moveCursor(dx: 0, dy: 10))],
                   help: "inspector on: move the cursor by ten shown pixels", brief: "cursor ×10"),
        KeyBinding(names: ["f"], commands: [(.character("f"), .fitFrame)],
                   help: "fit the whole frame again", brief: "fit"),
        KeyBinding(names: ["Space"], commands: [(.character(" "), .togglePause)],
                   help: "pause the picture (frames are still received and processed) / live again",
                   brief: "pause"),
        KeyBinding(names: ["H"], commands: [(.character("H"), .toggleStrips)],
                   help: "history strips of the last 60 s (rates, drops, ring, load, hits) on / off",
                   brief: "history strips"),
        KeyBinding(names: ["|"], commands: [(.character("|"), .nextLineProfile)],
                   help: "line profile through the cursor (or centre): row, column, off", brief: "line profile"),
        KeyBinding(names: ["P"], commands: [(.character("P"), .togglePanel)],
                   help: "side panel on / off (shown when the screen is wide enough)", brief: "side panel"),
        KeyBinding(names: ["S"], commands: [(.character("S"), .snapshot)],
                   help: "snapshot: the shown view at full resolution (.npy, .tiff) and its picture (.png) in --snapshot-dir",
                   brief: "snapshot"),
        KeyBinding(names: ["R"], commands: [(.character("R"), .startRegion)],
                   help: "draw a region of interest (up to 4) at the cursor or the view's centre",
                   brief: "draw a region"),
        KeyBinding(names: ["Enter"], commands: [(.enter, .fixRegion)],
                   help: "fix the region being drawn (Escape drops it)", brief: "fix the region"),
        KeyBinding(names: ["Delete"], commands: [(.delete, .deleteRegion)],
                   help: "remove the region under the cursor or the view's centre (else the last one)",
                   brief: "remove a region"),
    ]

    /// What the mouse does (`--mouse on`, the default), for the help overlay and the README's
    /// paragraph under the key table. The reducer acts on `Key.mouse` itself
    /// (`ViewerState.handleMouse`): a mouse event is a place on the screen, not a command.
    public static let mouseActions: [(names: String, help: String)] = [
        ("wheel", "zoom in (up) / out (down) around the pointed pixel, which stays under the pointer"),
        ("click", "pixel inspector on with its cursor at the clicked pixel (or the cursor moved there)"),
    ]

    private static let commandsByKey: [Key: KeyCommand] = {
        var table: [Key: KeyCommand] = [:]
        for binding in bindings {
            for (key, command) in binding.commands {
                precondition(table[key] == nil, "key \(key) is bound twice in the key map")
                table[key] = command
            }
        }
        return table
    }()

    /// What `key` does; nil for a key the viewer ignores.
    public static func command(for key: Key) -> KeyCommand? { commandsByKey[key] }

    /// `view --help`'s line of keys: "q/Ctrl-C quit, ?/h/F1 help, l log scale, …".
    public static var briefList: String {
        bindings.map { "\($0.names.joined(separator: "/")) \($0.brief)" }.joined(separator: ", ")
    }
}
