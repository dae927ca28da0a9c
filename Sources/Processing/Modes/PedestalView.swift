/// What pedestal mode shows of the dark level: its per-pixel mean, or its σ (`s`). Chosen in
/// the viewer, used by pedestal mode's composition of the workers' shares. A plain value.
public enum PedestalView: Sendable, Equatable, CaseIterable {
    case mean, sigma

    public var name: String {
        switch self {
        case .mean: "mean"
        case .sigma: "σ"
        }
    }
}
