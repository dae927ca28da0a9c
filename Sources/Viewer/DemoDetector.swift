/// The detector `view --demo` simulates (`--demo-detector`), and what the simulator is told for it.
///
/// The viewer subscribes (SUB) by default, so the demo's sender must publish: sls for MOENCH
/// and JUNGFRAU (their own format), areaDetector array-1.0 for EIGER (SIMPLON and stream v2
/// push, which a subscriber cannot take).
public enum DemoDetector: String, CaseIterable, Sendable {
    case moench, jungfrau, eiger

    /// What the viewer's title calls the demo's source.
    public var sourceName: String {
        switch self {
        case .moench: "demo (simulated MOENCH)"
        case .jungfrau: "demo (simulated JUNGFRAU)"
        case .eiger: "demo (simulated EIGER 1M)"
        }
    }

    /// `detview simulate` arguments for this detector's scene.
    var simulatorArguments: [String] {
        switch self {
        // What a scientist sees at a beamline: the beam's profile with a Siemens star in it (which
        // counting resolves and a raw frame does not), and a few hot and dead pixels. The photon
        // rate stays the simulator's default (40 a frame): more would make every live frame busier
        // and cost the byte budget paints (the issue's ≥ 10 paints/s at 200×60 is measured on this demo).
        case .moench: ["--detector", "moench", "--illumination", "beamline", "--hot-pixels", "6", "--dead-pixels", "12"]
        case .jungfrau: ["--detector", "jungfrau"]
        // Powder rings, Bragg spots and module gaps, 1030×1065 (the simulator's 1M).
        case .eiger: ["--detector", "eiger", "--format", "array", "--size", "1M"]
        }
    }
}
