/// The detector family a stream says it comes from: slsDetector's `detType`, or the family a
/// DECTRIS `description` names. What the viewer decides from it (gain bits, a tracked pedestal)
/// is asked of the family here, never by comparing names elsewhere. A plain value.
public enum DetectorFamily: Sendable, Hashable, CustomStringConvertible {
    // slsDetector (PSI) families, by `detType`.
    case eigerPSI, gotthard, jungfrau, chipTestBoard, moench, mythen3, gotthard2, xilinxChipTestBoard
    // DECTRIS families, from the detector description.
    case eiger, eiger2, pilatus, pilatus3, pilatus4
    /// A family the stream names that detview does not know, or "" when it names none.
    case unknown(String)

    /// The stream does not say.
    public static let unnamed = DetectorFamily.unknown("")

    /// The family's name as the detector software writes it (shown on screen, written in the
    /// headless `series_start` line); "" when the stream does not say.
    public var name: String {
        switch self {
        case .eigerPSI, .eiger: "EIGER"
        case .gotthard: "GOTTHARD"
        case .jungfrau: "JUNGFRAU"
        case .chipTestBoard: "CHIPTESTBOARD"
        case .moench: "MOENCH"
        case .mythen3: "MYTHEN3"
        case .gotthard2: "GOTTHARD2"
        case .xilinxChipTestBoard: "XILINX_CHIPTESTBOARD"
        case .eiger2: "EIGER2"
        case .pilatus: "PILATUS"
        case .pilatus3: "PILATUS3"
        case .pilatus4: "PILATUS4"
        case .unknown(let name): name
        }
    }

    public var description: String { name }

    /// slsDetector's `detType` (slsDetectorDefs::detectorType); unknown numbers are `unknown("")`.
    public init(slsDetType: Int) {
        self = switch slsDetType {
        case 1: .eigerPSI
        case 2: .gotthard
        case 3: .jungfrau
        case 4: .chipTestBoard
        case 5: .moench
        case 6: .mythen3
        case 7: .gotthard2
        case 8: .xilinxChipTestBoard
        default: .unnamed
        }
    }

    /// The DECTRIS family a description names ("Dectris EIGER2 Si 4M" → `.eiger2`); the longest
    /// name first, since "EIGER2" contains "EIGER".
    public init(dectrisDescription description: String) {
        let upper = description.uppercased()
        let families: [DetectorFamily] = [.eiger2, .eiger, .pilatus4, .pilatus3, .pilatus]
        self = families.first { upper.contains($0.name) } ?? .unnamed
    }

    /// Pixels carry the gain stage in their top two bits (JUNGFRAU's 16-bit frames).
    public var carriesGainBits: Bool { self == .jungfrau }

    /// Charge-integrating: frames hold an analog signal over a pedestal that the workers track
    /// and subtract (photon-counting detectors send counts).
    public var isChargeIntegrating: Bool { [.jungfrau, .moench, .gotthard2].contains(self) }
}
