/// The element type of a frame's pixels, shared by every wire format and by the frame ring.
/// A plain value: any thread may hold and pass it.
public enum PixelType: UInt8, Sendable, CaseIterable {
    case uint8 = 1, uint16 = 2, uint32 = 3

    public var bytesPerPixel: Int {
        switch self {
        case .uint8: 1
        case .uint16: 2
        case .uint32: 4
        }
    }

    /// The name the DECTRIS and array-1.0 headers use ("uint16").
    public var name: String {
        switch self {
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        }
    }

    /// All bits set: detectors use it for gaps and defective pixels, which are masked.
    public var allOnes: UInt64 {
        switch self {
        case .uint8: 0xFF
        case .uint16: 0xFFFF
        case .uint32: 0xFFFF_FFFF
        }
    }

    public init?(name: String) {
        guard let match = PixelType.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
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
}

/// The detector wire formats the viewer understands.
public enum WireFormat: UInt8, Sendable, CaseIterable {
    case sls = 1, simplon = 2, stream2 = 3, array = 4

    /// Short name for the command line (`--format sls`) and the status line.
    public var name: String {
        switch self {
        case .sls: "sls"
        case .simplon: "simplon"
        case .stream2: "stream2"
        case .array: "array"
        }
    }

    public init?(name: String) {
        guard let match = WireFormat.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
