/// Which accumulation a pump-probe view shows (`u` cycles them). Chosen in the viewer, used
/// by each mode's composition of the workers' shares. A plain value.
public enum PumpView: Sendable, Equatable, CaseIterable {
    case unpumped, pumped, difference

    public var name: String {
        switch self {
        case .unpumped: "unpumped"
        case .pumped: "pumped"
        case .difference: "pumped − unpumped (per frame)"
        }
    }
}
