import ArgumentParser
import DetectorStream
import SharedMemory
import Simulator
import Viewer

// The typed values of the command line's options. ArgumentParser checks them: an unknown
// value fails with the option's name and the values it takes, before any command runs.

/// `--encoding` of `simulate` and `bench decode --input`: raw, lz4 or bslz4 (packed 4-bit
/// frames come only from slsDetector's bitmode 4, never from an option).
extension PayloadEncoding: ExpressibleByArgument {
    static let optionValues: [PayloadEncoding] = [.raw, .lz4, .bitshuffleLZ4]

    public init?(argument: String) {
        guard let match = Self.optionValues.first(where: { $0.name == argument }) else { return nil }
        self = match
    }

    public static var allValueStrings: [String] { optionValues.map(\.name) }
}

/// `--pixel-type` of `simulate` (EIGER) and `--type` of `bench decode --input`: the integer
/// types detectors send.
enum PixelTypeChoice: String, ExpressibleByArgument, CaseIterable {
    case uint8, uint16, uint32

    var pixelType: PixelType {
        switch self {
        case .uint8: .uint8
        case .uint16: .uint16
        case .uint32: .uint32
        }
    }
}

/// `--path` of `bench decode`: which bit-untranspose variant runs.
extension CodecPath: ExpressibleByArgument {
    public init?(argument: String) {
        guard let match = Self.allCases.first(where: { $0.name == argument }) else { return nil }
        self = match
    }

    public static var allValueStrings: [String] { allCases.map(\.name) }
}

/// `--detector` of `simulate`.
extension SimulationOptions.Detector: ExpressibleByArgument {}

extension MoenchIllumination.Kind: ExpressibleByArgument {}

/// `--header-detail` of `simulate`.
extension SimplonEncoder.HeaderDetail: ExpressibleByArgument {}

/// `--format` of `simulate`: the wire formats by their short names.
extension WireFormat: ExpressibleByArgument {
    /// The ZeroMQ formats only: the simulator does not serve the HTTP monitor interface.
    public init?(argument: String) {
        guard let format = WireFormat(name: argument), WireFormat.streamFormats.contains(format) else { return nil }
        self = format
    }

    public static var allValueStrings: [String] { streamFormats.map(\.name) }
}

/// `--size` of `simulate`: a named EIGER size (512x512, 500K, 1M, 4M, 16M) or WxH.
struct EigerSizeArgument: ExpressibleByArgument {
    let width: Int
    let height: Int

    init?(argument: String) {
        guard let size = SimulationOptions.parseSize(argument) else { return nil }
        (width, height) = size
    }
}

/// `--stream-grid` of `simulate`: COLUMNSxROWS, both positive.
struct StreamGridArgument: ExpressibleByArgument {
    let columns: Int
    let rows: Int

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let c = Int(parts[0]), let r = Int(parts[1]), c > 0, r > 0 else { return nil }
        (columns, rows) = (c, r)
    }
}

/// A size in bytes: `512M`, `2G`, `1.5GiB` or plain bytes (`RingSizing.parseByteSize`).
struct ByteSizeArgument: ExpressibleByArgument {
    let bytes: Int

    init?(argument: String) {
        guard let bytes = RingSizing.parseByteSize(argument) else { return nil }
        self.bytes = bytes
    }
}

/// `--max-rate`: bytes per second, with an optional k or M (powers of 1000).
struct ByteRateArgument: ExpressibleByArgument {
    let bytesPerSecond: Double

    init(bytesPerSecond: Double) { self.bytesPerSecond = bytesPerSecond }

    init?(argument: String) {
        guard let rate = ViewerConfig.byteRate(argument) else { return nil }
        bytesPerSecond = rate
    }

    var defaultValueDescription: String { "1M" }
}
extension DemoDetector: ExpressibleByArgument {}
