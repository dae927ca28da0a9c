import DetectorStream

/// What `detview simulate` asks for. Unset choices (format, encoding, pixel type, endpoint)
/// take per-detector defaults through the `resolved…` properties; `validate()` names what does
/// not fit together. A plain value.
public struct SimulationOptions: Sendable {
    /// Simulated detector families.
    public enum Detector: String, Sendable, CaseIterable { case moench, jungfrau, eiger }
    /// Header and data as one two-part message (the 9.2 receiver) or as two messages (other senders).
    public enum SendMode: Sendable { case multipart, separate }

    public var detector: Detector = .moench
    /// nil: sls for MOENCH and JUNGFRAU, simplon for EIGER (sls with `streams` > 1).
    public var format: WireFormat?
    /// nil: raw for sls and array, bitshuffle-LZ4 for simplon and stream2.
    public var encoding: PayloadEncoding?
    /// EIGER frame size (width, height); nil: 1M (1030×1065).
    public var size: (width: Int, height: Int)?
    /// EIGER pixel type; nil: uint32 for 4M and larger, uint16 otherwise.
    public var pixelType: PixelType?
    /// SIMPLON series header detail.
    public var headerDetail: SimplonEncoder.HeaderDetail = .basic
    /// Frames per second.
    public var rate: Double = 100
    /// nil: until stopped.
    public var frames: Int?
    public var seed: UInt64 = 1
    /// Bind here unless `connect` is set; nil: the format's default port on 127.0.0.1.
    public var bind: String?
    /// Connect instead of binding (the viewer's socket binds in demo mode).
    public var connect: String?
    public var record: String?
    public var pumpProbe = false
    public var deadPixels = 0
    /// moench: pixels that fire in most frames.
    public var hotPixels = 0
    /// moench: where photons land (flat, or a beam profile through a Siemens star).
    public var illumination = MoenchIllumination.Kind.flat
    public var photonsPerFrame: Double = 40
    /// moench: the first frames carry no photons (a dark series for the pedestal).
    public var darkFrames = 0
    public var jsonVersion = 5
    /// Seconds to wait for a subscriber (PUB: then XPUB, no drops) or a puller (PUSH) before
    /// the first frame; 0: do not wait (PUB drops while nobody listens; PUSH always waits).
    public var waitForSubscriber: Double = 0
    /// How many end-of-series messages to send (the 9.2 receiver sends 1; others repeat).
    public var endRepeats = 1
    public var sendMode: SendMode = .multipart
    /// sls: the frame goes out as this many port streams (one PUB socket each), like a
    /// multi-module detector or a MOENCH/JUNGFRAU with two interfaces; 1: one whole-frame stream.
    public var streams = 1
    /// The grid of ports (columns, rows); nil: `PortLayout`'s per-detector default.
    public var streamGrid: (columns: Int, rows: Int)?
    /// A port (row-major index) that binds but never sends: its module is missing.
    public var missingStream: Int?
    /// How long closing a socket may wait to deliver what is still queued (ZMQ_LINGER). 2 s by
    /// default, so the end header reaches a slow reader; 0 for the `--demo` child, whose only
    /// reader is the viewer that is stopping or gone: waiting would only delay its exit.
    public var lingerMilliseconds: Int32 = 2000

    public init() {}

    public static let defaultEigerSize = (width: 1030, height: 1065)

    /// Port streams are slsDetector's: `--streams` makes sls the default for EIGER too.
    public var resolvedFormat: WireFormat { format ?? (detector == .eiger && streams <= 1 ? .simplon : .sls) }

    public var resolvedEncoding: PayloadEncoding {
        encoding ?? (resolvedFormat == .simplon || resolvedFormat == .stream2 ? .bitshuffleLZ4 : .raw)
    }

    public var resolvedSize: (width: Int, height: Int) {
        switch detector {
        case .moench: (MoenchScene.width, MoenchScene.height)
        case .jungfrau: (JungfrauScene.width, JungfrauScene.height)
        case .eiger: size ?? Self.defaultEigerSize
        }
    }

    public var resolvedPixelType: PixelType {
        guard detector == .eiger else { return .uint16 }
        if let pixelType { return pixelType }
        let (w, h) = resolvedSize
        return w * h >= 2068 * 2162 ? .uint32 : .uint16
    }

    /// The default endpoint per format: sls 30001, simplon 9999, stream2 31001, array 5555.
    public static func defaultEndpoint(_ format: WireFormat) -> String {
        switch format {
        case .sls: "tcp://127.0.0.1:30001"
        case .simplon: "tcp://127.0.0.1:9999"
        case .stream2: "tcp://127.0.0.1:31001"
        case .array: "tcp://127.0.0.1:5555"
        case .monitor: preconditionFailure(noMonitor)
        }
    }

    /// `simulate --format` offers `WireFormat.streamFormats` only: the simulator serves ZeroMQ.
    static let noMonitor = "the simulator sends ZeroMQ formats; --format refuses monitor"

    public var resolvedBind: String { bind ?? Self.defaultEndpoint(resolvedFormat) }

    public var endpoint: String { connect ?? resolvedBind }

    /// The endpoint each port stream binds: `--bind` itself when it lists them (comma-separated),
    /// else its TCP port, port + 1, … (slsDetector receivers also stream on consecutive ports).
    public var streamEndpoints: [String] {
        get throws(SimulatorError) {
            let listed = resolvedBind.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
            if listed.count > 1 || streams <= 1 {
                guard listed.count == max(streams, 1) else {
                    throw SimulatorError("simulate: --bind lists \(listed.count) endpoints for \(streams) streams")
                }
                return listed
            }
            let base = listed[0]
            guard base.hasPrefix("tcp://"), let colon = base.lastIndex(of: ":"),
                  let port = Int(base[base.index(after: colon)...]), port > 0, port + streams - 1 <= 65535 else {
                throw SimulatorError("simulate: --streams \(streams) counts ports up from a tcp://HOST:PORT endpoint; '\(base)' has no port (or list \(streams) endpoints, comma-separated)")
            }
            let host = base[..<colon]
            return (0..<streams).map { "\(host):\(port + $0)" }
        }
    }

    /// SIMPLON and stream v2 push (never drop); sls and array-1.0 publish.
    public var usesPush: Bool { resolvedFormat == .simplon || resolvedFormat == .stream2 }

    /// Says what does not fit together, as the command line shows it.
    public func validate() throws(SimulatorError) {
        guard rate > 0, rate.isFinite else { throw SimulatorError("simulate: rate must be above 0") }
        if resolvedFormat == .sls, resolvedEncoding != .raw {
            throw SimulatorError("simulate: the sls format sends raw pixels only; --encoding \(resolvedEncoding.name) needs --format simplon, stream2 or array")
        }
        if detector != .eiger, size != nil || pixelType != nil {
            throw SimulatorError("simulate: --size and --pixel-type apply to --detector eiger only (\(detector.rawValue) has a fixed geometry)")
        }
        if let pixelType, !PixelType.detectorTypes.contains(pixelType) {
            throw SimulatorError("simulate: --pixel-type \(pixelType.name): the scenes are uint8, uint16 or uint32")
        }
        if let size, size.width <= 0 || size.height <= 0 || size.width > 20_000 || size.height > 20_000 {
            throw SimulatorError("simulate: size \(size.width)x\(size.height) is not 1...20000 pixels a side")
        }
        _ = try PortLayout(options: self)
        _ = try streamEndpoints
    }

    /// Parses `--size`: 512x512, 500K, 1M, 4M, 16M, or WxH.
    public static func parseSize(_ text: String) -> (width: Int, height: Int)? {
        if let named = EigerGeometry.namedSizes.first(where: { $0.name.lowercased() == text.lowercased() }) {
            return (named.width, named.height)
        }
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else { return nil }
        return (w, h)
    }
}

extension String {
    /// The string without `characters` at either end.
    fileprivate func trimmingCharacters(in characters: String) -> String {
        var s = Substring(self)
        while let f = s.first, characters.contains(f) { s.removeFirst() }
        while let l = s.last, characters.contains(l) { s.removeLast() }
        return String(s)
    }
}
