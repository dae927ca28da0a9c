/// What the workers compute on every frame and what the heatmap shows. Chosen by the viewer
/// (`m`, the digit keys, `--mode`) and read by every worker from the control block, where it
/// is stored as its raw value. A plain value.
public enum ProcessingMode: UInt32, Sendable, CaseIterable {
    case raw = 0, pedestal, analog, threshold, counting, sum, mean, max, hits, radial

    /// The name on the command line (`--mode counting`), in the UI and in headless output.
    public var name: String {
        switch self {
        case .raw: "raw"
        case .pedestal: "pedestal"
        case .analog: "analog"
        case .threshold: "threshold"
        case .counting: "counting"
        case .sum: "sum"
        case .mean: "mean"
        case .max: "max"
        case .hits: "hits"
        case .radial: "radial"
        }
    }

    /// One line for the help overlay and `--help`.
    public var summary: String {
        switch self {
        case .raw: "the latest frame"
        case .pedestal: "per-pixel dark level (running mean; photons excluded)"
        case .analog: "sum of pedestal-subtracted frames"
        case .threshold: "per pixel, frames above the threshold (+/- change it)"
        case .counting: "single photons found by 3×3 cluster finding, counted per pixel"
        case .sum: "running sum (pedestal-subtracted for charge-integrating detectors)"
        case .mean: "running mean"
        case .max: "maximum projection"
        case .hits: "peaks per frame; hit rate"
        case .radial: "azimuthal mean around the beam centre"
        }
    }

    /// The digit key that selects it: 1–9, and 0 for the tenth.
    public var digit: Character { Character(String((Int(rawValue) + 1) % 10)) }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = match
    }

    public init?(digit: Character) {
        guard let match = Self.allCases.first(where: { $0.digit == digit }) else { return nil }
        self = match
    }

    /// The next mode for `m`, wrapping.
    public var next: ProcessingMode {
        Self(rawValue: (rawValue + 1) % UInt32(Self.allCases.count))!
    }

    /// Needs the pedestal of a charge-integrating detector (for counting detectors such as
    /// EIGER the pedestal is zero and these modes work on the raw values).
    public var usesPedestal: Bool {
        switch self {
        case .pedestal, .analog, .threshold, .counting, .sum, .mean, .max, .hits: true
        case .raw, .radial: false
        }
    }

    /// The heatmap shows the workers' composed view (an accumulation or the pedestal) rather
    /// than the latest frame; workers publish their shares of it and `--save` writes it.
    public var showsComposedView: Bool { accumulates || self == .pedestal }

    /// Accumulates over frames (cleared with `c`); the others show the latest frame.
    public var accumulates: Bool {
        switch self {
        case .analog, .threshold, .counting, .sum, .mean, .max, .radial: true
        case .raw, .pedestal, .hits: false
        }
    }
}
