import Processing

/// Which unit runs each processing mode: the one place besides a mode's own folder that
/// adding a mode touches (and the compiler points here, the switch being exhaustive over
/// `ProcessingMode`). Pure.
public enum ModeRegistry {
    static func unit(for mode: ProcessingMode) -> any ModeUnit.Type {
        switch mode {
        case .raw: RawMode.self
        case .pedestal: PedestalMode.self
        case .analog: AnalogMode.self
        case .threshold: ThresholdMode.self
        case .counting: CountingMode.self
        case .sum: SumMode.self
        case .mean: MeanMode.self
        case .max: MaxMode.self
        case .hits: HitsMode.self
        case .radial: RadialMode.self
        }
    }

    /// The view side, for the viewer's composer: `mode`'s view from the workers' shares.
    public static func compose(mode: ProcessingMode, shares: ViewShares, pumpView: PumpView,
                               pedestalView: PedestalView) -> [Float] {
        unit(for: mode).compose(shares, pumpView: pumpView, pedestalView: pedestalView)
    }
}
