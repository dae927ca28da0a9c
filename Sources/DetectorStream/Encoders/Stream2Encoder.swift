/// Writes DECTRIS stream v2 messages (PROTOCOLS.md §3) as the EIGER2 does: each a CBOR map after
/// the self-describe tag 55799; `start`, `image` (one channel, tag 40 [[height, width], typed
/// array], the typed array wrapping tag 56500 [algorithm, element size, bytes] when compressed)
/// and `end`. For the simulator and tests; stateless, any thread may call it.
public enum Stream2Encoder {
    /// What the start message announces and every message repeats (ids).
    public struct Series: Sendable, Equatable {
        public var seriesID: UInt64 = 1
        public var uniqueID: String = "detview-sim-1"
        public var width: Int
        public var height: Int
        public var pixelType: PixelType
        /// Image pixels are sent big-endian (tags 65–67, 73–75, 81–82); the EIGER2 sends little.
        public var bigEndian = false
        public var numberOfImages: UInt64 = 0
        public var channel = "threshold_1"
        public var countTime: Double = 0.001
        public var frameTime: Double = 0.001
        public var beamCenterX: Double = 0
        public var beamCenterY: Double = 0
        /// Metres, as the start message gives it.
        public var detectorDistance: Double = 0.1
        /// Ångström.
        public var incidentWavelength: Double = 1.0
        /// Metres.
        public var pixelSize: Double = 75e-6
        public var saturationValue: UInt64 = 0
        public var thresholdEnergy: Double = 6000
        public var description = "Dectris EIGER2 Si (simulated)"

        public init(width: Int, height: Int, pixelType: PixelType) {
            self.width = width
            self.height = height
            self.pixelType = pixelType
        }
    }

    /// The RFC 8746 typed-array tag for pixels of `type` (little-endian: 64, 69, 70, 71, 72,
    /// 77, 78, 79, 85, 86).
    public static func typedArrayTag(_ type: PixelType, bigEndian: Bool = false) -> UInt64 {
        CBORTypedArrayKind.tag(for: type, bigEndian: bigEndian)
    }

    /// The start message; `pixelMask` (width × height uint32, row-major) is sent raw when given.
    public static func start(_ s: Series, pixelMask: [UInt32]? = nil) -> [UInt8] {
        var w = CBORWriter(reservingCapacity: 1024 + (pixelMask?.count ?? 0) * 4)
        w.tag(CBORWriter.selfDescribeTag)
        w.mapHeader(pixelMask == nil ? 19 : 20)
        w.pair("type", "start")
        ids(s, into: &w)
        w.text("image_size_x"); w.unsigned(UInt64(s.width))
        w.text("image_size_y"); w.unsigned(UInt64(s.height))
        w.pair("image_dtype", s.pixelType.name)
        w.text("number_of_images"); w.unsigned(s.numberOfImages)
        w.text("count_time"); w.double(s.countTime)
        w.text("frame_time"); w.double(s.frameTime)
        w.text("beam_center_x"); w.double(s.beamCenterX)
        w.text("beam_center_y"); w.double(s.beamCenterY)
        w.text("detector_distance"); w.double(s.detectorDistance)
        w.text("incident_wavelength"); w.double(s.incidentWavelength)
        w.text("pixel_size_x"); w.double(s.pixelSize)
        w.text("pixel_size_y"); w.double(s.pixelSize)
        w.text("saturation_value"); w.unsigned(s.saturationValue)
        w.text("channels"); w.arrayHeader(1); w.text(s.channel)
        w.text("threshold_energy"); w.mapHeader(1); w.text(s.channel); w.double(s.thresholdEnergy)
        w.pair("detector_description", s.description)
        if let mask = pixelMask {
            precondition(mask.count == s.width * s.height, "stream2: pixel mask of \(mask.count) values for \(s.width)×\(s.height)")
            w.text("pixel_mask"); w.mapHeader(1); w.text(s.channel)
            var bytes = [UInt8](repeating: 0, count: mask.count * 4)
            bytes.withUnsafeMutableBytes { raw in
                for (i, v) in mask.enumerated() { raw.storeBytes(of: v.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            }
            w.tag(40); w.arrayHeader(2); w.arrayHeader(2); w.unsigned(UInt64(s.height)); w.unsigned(UInt64(s.width))
            w.tag(70)
            bytes.withUnsafeBytes { w.byteString($0) }
        }
        return w.bytes
    }

    /// An image message carrying `payload` (already encoded as `encoding`; lz4 in the framed
    /// form, see `PayloadEncoder`). Times are nanoseconds since the series start, sent as
    /// rationals [ns, 1e9].
    public static func image(_ s: Series, imageID: UInt64, payload: UnsafeRawBufferPointer, encoding: PayloadEncoding,
                             startTime: UInt64, stopTime: UInt64) -> [UInt8] {
        var w = CBORWriter(reservingCapacity: payload.count + 512)
        w.tag(CBORWriter.selfDescribeTag)
        w.mapHeader(8)
        w.pair("type", "image")
        ids(s, into: &w)
        w.text("image_id"); w.unsigned(imageID)
        for (key, ns) in [("real_time", stopTime &- startTime), ("start_time", startTime), ("stop_time", stopTime)] {
            w.text(key); w.arrayHeader(2); w.unsigned(ns); w.unsigned(1_000_000_000)
        }
        w.text("data"); w.mapHeader(1); w.text(s.channel)
        w.tag(40); w.arrayHeader(2)
        w.arrayHeader(2); w.unsigned(UInt64(s.height)); w.unsigned(UInt64(s.width))
        w.tag(typedArrayTag(s.pixelType, bigEndian: s.bigEndian))
        switch encoding {
        case .raw:
            w.byteString(payload)
        case .packed4:
            preconditionFailure("stream v2 has no packed 4-bit encoding")
        case .lz4, .bitshuffleLZ4:
            // The EIGER2 writes element size 0 for lz4 (see the fixtures).
            w.tag(Stream2Array.compressionTag); w.arrayHeader(3)
            w.text(encoding == .lz4 ? "lz4" : "bslz4")
            w.unsigned(encoding == .lz4 ? 0 : UInt64(s.pixelType.bytesPerPixel))
            w.byteString(payload)
        }
        return w.bytes
    }

    public static func end(_ s: Series) -> [UInt8] {
        var w = CBORWriter()
        w.tag(CBORWriter.selfDescribeTag)
        w.mapHeader(3)
        w.pair("type", "end")
        ids(s, into: &w)
        return w.bytes
    }

    private static func ids(_ s: Series, into w: inout CBORWriter) {
        w.text("series_id"); w.unsigned(s.seriesID)
        w.pair("series_unique_id", s.uniqueID)
    }
}
