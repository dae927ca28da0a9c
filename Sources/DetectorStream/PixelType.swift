/// The element type of a frame's pixels, shared by every wire format and by the frame ring
/// (the raw values are stored in shared memory: never renumber them). A plain value: any
/// thread may hold and pass it.
///
/// Masked pixels (gaps, defective pixels) enter no statistic and no display bin. Which value
/// marks them depends on the kind of type (`maskRule`):
/// - unsigned integers: all bits set (2^n − 1), the DECTRIS and PSI convention;
/// - signed integers: the minimum (−2^(n−1)), as corrected-data pipelines (Jungfraujoch) mark
///   pixels they could not correct; a real signal never reaches it;
/// - floats: any non-finite value (NaN, +Inf, −Inf): NaN is the usual mark, and an infinity
///   (a division by a zero gain or flatfield) would otherwise ruin every sum and autoscale.
public enum PixelType: UInt8, Sendable, CaseIterable {
    case uint8 = 1, uint16 = 2, uint32 = 3
    case uint64 = 4, int8 = 5, int16 = 6, int32 = 7, int64 = 8, float32 = 9, float64 = 10

    /// How the masked value of a type is recognised; see the type's documentation.
    public enum MaskRule: Sendable, Equatable {
        case allOnes
        case minimum
        case nonFinite
    }

    /// The types counting detectors send (SIMPLON v1, slsDetector) and the simulator's scenes
    /// produce; every other type comes from array-1.0 or stream v2 senders only.
    public static let detectorTypes: [PixelType] = [.uint8, .uint16, .uint32]

    public var bytesPerPixel: Int {
        switch self {
        case .uint8, .int8: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        }
    }

    /// The name the DECTRIS and array-1.0 headers use ("uint16", "int32", "float64").
    public var name: String {
        switch self {
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .float32: "float32"
        case .float64: "float64"
        }
    }

    public var maskRule: MaskRule {
        switch self {
        case .uint8, .uint16, .uint32, .uint64: .allOnes
        case .int8, .int16, .int32, .int64: .minimum
        case .float32, .float64: .nonFinite
        }
    }

    public var isFloat: Bool { maskRule == .nonFinite }
    public var isSigned: Bool { maskRule == .minimum }

    /// All bits set in the pixel's width. For the unsigned types this is the masked value
    /// (detectors use it for gaps and defective pixels); for the others it is only a bit pattern.
    public var allOnes: UInt64 {
        bytesPerPixel == 8 ? .max : (1 << (8 * UInt64(bytesPerPixel))) - 1
    }

    /// Other spellings senders use for the same types: "float"/"double" (EPICS, C), "single".
    private static let aliases: [String: PixelType] = [
        "float": .float32, "single": .float32, "double": .float64,
    ]

    /// The canonical names of `name`, plus the aliases "float", "single" (float32) and "double" (float64).
    public init?(name: String) {
        if let match = PixelType.allCases.first(where: { $0.name == name }) {
            self = match
        } else if let alias = Self.aliases[name] {
            self = alias
        } else {
            return nil
        }
    }

    /// The slsDetector `bitmode` (8, 16, 32); 4 packs two pixels per byte and has no type here.
    public init?(bitmode: Int) {
        switch bitmode {
        case 8: self = .uint8
        case 16: self = .uint16
        case 32: self = .uint32
        default: return nil
        }
    }
}

/// How a frame payload is stored in the ring: decoded by the workers, never by the receiver.
public enum PayloadEncoding: UInt8, Sendable {
    case raw = 0, lz4 = 1, bitshuffleLZ4 = 2
    /// Two 4-bit pixels per byte, high nibble first (slsDetector bitmode 4); unpacked to uint8.
    case packed4 = 3

    /// Short name for the command line (`--encoding bslz4`), codec errors and bench tables.
    public var name: String {
        switch self {
        case .raw: "raw"
        case .lz4: "lz4"
        case .bitshuffleLZ4: "bslz4"
        case .packed4: "packed4"
        }
    }
}

/// The detector wire formats the viewer understands.
public enum WireFormat: UInt8, Sendable, CaseIterable {
    case sls = 1, simplon = 2, stream2 = 3, array = 4
    /// The DECTRIS monitor interface: TIFF images polled over HTTP (`MonitorSource`), not ZeroMQ.
    case monitor = 5

    /// The formats that arrive over ZeroMQ: what `--format` and the simulator offer.
    public static let streamFormats: [WireFormat] = [.sls, .simplon, .stream2, .array]

    /// Short name for the command line (`--format sls`) and the status line.
    public var name: String {
        switch self {
        case .sls: "sls"
        case .simplon: "simplon"
        case .stream2: "stream2"
        case .array: "array"
        case .monitor: "monitor"
        }
    }

    public init?(name: String) {
        guard let match = WireFormat.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
