/// What a decoder learned about a series from its start (or its first frame): geometry, type,
/// and detector metadata. Produced by a `StreamDecoder` on the receiver thread; a plain value.
public struct SeriesInfo: Sendable, Equatable {
    public var format: WireFormat
    public var series: UInt64
    public var width: Int
    public var height: Int
    public var pixelType: PixelType
    /// Detector family (MOENCH, JUNGFRAU, EIGER, ...), `.unnamed` when the stream does not say.
    public var detector: DetectorFamily
    /// Header values worth showing or logging, as text (for example "fname", "jsonversion").
    public var metadata: [String: String]

    public init(format: WireFormat, series: UInt64, width: Int, height: Int, pixelType: PixelType,
                detector: DetectorFamily = .unnamed, metadata: [String: String] = [:]) {
        self.format = format
        self.series = series
        self.width = width
        self.height = height
        self.pixelType = pixelType
        self.detector = detector
        self.metadata = metadata
    }
}

/// One frame as the receiver stores it in a ring slot header: enough for a worker to decode the
/// payload. Produced by a `StreamDecoder` on the receiver thread; a plain value.
public struct FrameDescriptor: Sendable, Equatable {
    public var series: UInt64
    /// The detector's own frame counter (slsDetector `frameNumber`, DECTRIS `frame`).
    public var frameNumber: UInt64
    /// Position within the series, counting from 0 (slsDetector `frameIndex`).
    public var frameIndex: UInt64
    public var width: Int
    public var height: Int
    public var pixelType: PixelType
    public var encoding: PayloadEncoding
    /// Bytes of the payload as received (compressed size for compressed encodings).
    public var byteCount: Int
    /// False when the detector says packets were lost (slsDetector `completeImage: 0`), or when
    /// an assembled frame lacks modules.
    public var complete: Bool
    /// Multi-byte pixels stored big-endian (stream v2 tags 65–67, 73–75, 81–82; array-1.0
    /// `"endianness":"big"`); the worker swaps them. Compression does not change it: bslz4 and
    /// lz4 of big-endian pixels decompress to big-endian pixels.
    public var bigEndian: Bool
    /// Where this frame sits in a multi-port detector (slsDetector `row`, `column`, `detshape`):
    /// set by `SlsStreamDecoder`, nil for formats that send whole frames.
    public var module: ModulePosition?

    public init(series: UInt64, frameNumber: UInt64, frameIndex: UInt64, width: Int, height: Int,
                pixelType: PixelType, encoding: PayloadEncoding, byteCount: Int, complete: Bool,
                bigEndian: Bool = false, module: ModulePosition? = nil) {
        self.series = series
        self.frameNumber = frameNumber
        self.frameIndex = frameIndex
        self.width = width
        self.height = height
        self.pixelType = pixelType
        self.encoding = encoding
        self.byteCount = byteCount
        self.complete = complete
        self.bigEndian = bigEndian
        self.module = module
    }
}
