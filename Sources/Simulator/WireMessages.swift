import DetectorStream

/// One part of a message the simulator sends: bytes it built, or the frame's encoded payload
/// (sent from the caller's buffer, without a copy).
enum OutgoingPart {
    case bytes([UInt8])
    case payload
}

/// Builds the messages of a series in one wire format: what opens it, each frame, what ends it.
/// Frame `index` counts from 0; `frameNumber(index)` is the number the format's decoder
/// reports (sls counts from 1, the others from 0), which `--record` writes. Owned by the
/// sending thread.
struct WireMessages {
    let options: SimulationOptions
    let format: WireFormat
    let encoding: PayloadEncoding
    let scene: SceneDescription
    /// sls with `--streams`: the ports each frame is cut into.
    let layout: PortLayout?
    private var slsHeader: SlsHeader
    private let stream2: Stream2Encoder.Series
    /// The simulated exposure per frame, for the DECTRIS time fields.
    private let periodNanoseconds: UInt64

    /// What the messages say about the scene.
    struct SceneDescription {
        var detector: SimulationOptions.Detector
        var width: Int
        var height: Int
        var pixelType: PixelType
        var saturationValue: UInt64
        var pixelMask: [UInt32]?
    }

    static let series: UInt64 = 1

    init(options: SimulationOptions, scene: SceneDescription) {
        self.options = options
        format = options.resolvedFormat
        encoding = options.resolvedEncoding
        self.scene = scene
        periodNanoseconds = UInt64((1e9 / options.rate).rounded())
        slsHeader = Self.slsTemplate(options: options, scene: scene)
        layout = options.resolvedFormat == .sls ? (try? PortLayout(options: options)) ?? nil : nil
        var s = Stream2Encoder.Series(width: scene.width, height: scene.height, pixelType: scene.pixelType)
        s.seriesID = Self.series
        s.uniqueID = "detview-sim-\(options.seed)-\(Self.series)"
        s.numberOfImages = UInt64(options.frames ?? 0)
        s.countTime = Double(periodNanoseconds) / 1e9
        s.frameTime = s.countTime
        s.beamCenterX = Double(scene.width) / 2
        s.beamCenterY = Double(scene.height) / 2
        s.saturationValue = scene.saturationValue
        s.description = "Dectris \(scene.detector == .eiger ? "EIGER2" : scene.detector.rawValue.uppercased()) Si (simulated by detview)"
        stream2 = s
    }

    func frameNumber(_ index: UInt64) -> UInt64 { format == .sls ? index + 1 : index }

    func seriesStart() -> [[OutgoingPart]] {
        switch format {
        case .sls, .array:
            return []
        case .simplon:
            let parts = SimplonEncoder.seriesHeader(series: Self.series, detail: options.headerDetail, config: simplonConfig,
                                                    width: scene.width, height: scene.height,
                                                    pixelMask: options.headerDetail == .all ? maskOrEmpty : nil)
            return [parts.map(OutgoingPart.bytes)]
        case .stream2:
            return [[.bytes(Stream2Encoder.start(stream2, pixelMask: scene.pixelMask))]]
        case .monitor: preconditionFailure(SimulationOptions.noMonitor)
        }
    }

    /// The messages of frame `index`; with a port layout, `port`'s part of it (`payload` holds
    /// that port's pixels).
    mutating func frame(_ index: UInt64, payload: UnsafeRawBufferPointer, port: Int = 0) -> [[OutgoingPart]] {
        switch format {
        case .sls:
            if let layout { describe(port: port, of: layout) }
            slsHeader.frameNumber = index + 1
            slsHeader.acqIndex = index + 1
            slsHeader.frameIndex = index
            slsHeader.progress = options.frames.map { 100 * Double(index + 1) / Double($0) } ?? 0
            let header = OutgoingPart.bytes(slsHeader.encoded(jsonVersion: options.jsonVersion))
            return options.sendMode == .multipart ? [[header, .payload]] : [[header], [.payload]]
        case .array:
            let header = ArrayEncoder.header(width: scene.width, height: scene.height, pixelType: scene.pixelType,
                                             frame: index, encoding: encoding)
            return [[.bytes(header), .payload]]
        case .simplon:
            let (start, stop) = times(index)
            let p = SimplonEncoder.imageParts(series: Self.series, frame: index, width: scene.width, height: scene.height,
                                              pixelType: scene.pixelType, encoding: encoding, dataCount: payload.count,
                                              startTime: start, stopTime: stop)
            return [[.bytes(p.image), .bytes(p.descriptor), .payload, .bytes(p.config)]]
        case .stream2:
            let (start, stop) = times(index)
            return [[.bytes(Stream2Encoder.image(stream2, imageID: index, payload: payload, encoding: encoding,
                                                 startTime: start, stopTime: stop))]]
        case .monitor: preconditionFailure(SimulationOptions.noMonitor)
        }
    }

    /// The end-of-series message (array-1.0 has none: its consumers end a series on silence).
    func seriesEnd() -> [OutgoingPart]? {
        switch format {
        case .sls:
            return [.bytes(SlsHeader.endOfAcquisition(jsonVersion: options.jsonVersion).encoded(jsonVersion: options.jsonVersion))]
        case .simplon: return [.bytes(SimplonEncoder.seriesEnd(series: Self.series))]
        case .stream2: return [.bytes(Stream2Encoder.end(stream2))]
        case .array: return nil
        case .monitor: preconditionFailure(SimulationOptions.noMonitor)
        }
    }

    /// LZ4 framing as the format's real senders write it.
    var lz4Form: PayloadEncoder.LZ4Form { format == .stream2 ? .framed : .bare }

    private func times(_ index: UInt64) -> (UInt64, UInt64) {
        let start = index &* periodNanoseconds
        return (start, start &+ periodNanoseconds)
    }

    private var maskOrEmpty: [UInt32] { scene.pixelMask ?? [UInt32](repeating: 0, count: scene.width * scene.height) }

    private var simplonConfig: [(String, SimplonEncoder.ConfigValue)] {
        let frameTime = Double(periodNanoseconds) / 1e9
        return [
            ("description", .text(stream2.description)),
            ("detector_number", .text("E-SIM-\(options.seed)")),
            ("software_version", .text("detview-simulate")),
            ("count_time", .number(frameTime)), ("frame_time", .number(frameTime)),
            ("nimages", .int(Int64(options.frames ?? 0))), ("ntrigger", .int(1)),
            ("beam_center_x", .number(stream2.beamCenterX)), ("beam_center_y", .number(stream2.beamCenterY)),
            ("detector_distance", .number(stream2.detectorDistance)), ("wavelength", .number(stream2.incidentWavelength)),
            ("x_pixel_size", .number(stream2.pixelSize)), ("y_pixel_size", .number(stream2.pixelSize)),
            ("x_pixels_in_detector", .int(Int64(scene.width))), ("y_pixels_in_detector", .int(Int64(scene.height))),
            ("bit_depth_image", .int(Int64(scene.pixelType.bytesPerPixel * 8))),
            ("countrate_correction_count_cutoff", .int(Int64(clamping: scene.saturationValue))),
        ]
    }

    /// Fills the header fields that place `port` in the detector, as slsDetector's receiver does.
    private mutating func describe(port: Int, of layout: PortLayout) {
        let (w, h) = (layout.moduleWidth, layout.moduleHeight)
        slsHeader.detShape = [layout.columns, layout.rows]
        slsHeader.shape = [w, h]
        slsHeader.size = w * h * scene.pixelType.bytesPerPixel
        slsHeader.row = layout.row(of: port)
        slsHeader.column = layout.column(of: port)
        slsHeader.modId = port
        slsHeader.flipRows = layout.isFlipped(port) ? 1 : 0
        slsHeader.rxROI = [0, w - 1, 0, h - 1]
    }

    /// A port as the 9.2 receiver describes it, for the simulated family.
    private static func slsTemplate(options: SimulationOptions, scene: SceneDescription) -> SlsHeader {
        var h = SlsHeader()
        h.jsonVersion = options.jsonVersion
        h.bitmode = scene.pixelType.bytesPerPixel * 8
        h.detShape = [1, 1]
        h.shape = [scene.width, scene.height]
        h.size = scene.width * scene.height * scene.pixelType.bytesPerPixel
        h.fname = "/tmp/detview-sim/run"
        h.data = 1
        h.completeImage = 1
        switch scene.detector {
        case .moench: (h.detType, h.packetNumber, h.version) = (5, 50, 2)
        case .jungfrau: (h.detType, h.packetNumber, h.version) = (3, 128, 2)
        case .eiger: (h.detType, h.packetNumber, h.version) = (1, 0, 2)
        }
        h.rxROI = [0, scene.width - 1, 0, scene.height - 1]
        return h
    }
}
