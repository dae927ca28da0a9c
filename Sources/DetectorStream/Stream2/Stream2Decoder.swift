/// Decodes DECTRIS stream v2 (PROTOCOLS.md §3): one CBOR message per event, a map whose `type`
/// is `start`, `image` or `end`. One image channel becomes the frame (`channel`, or the first
/// in each message); its payload is passed on still encoded (bslz4, lz4 or raw) as a slice of
/// the message. A series opens at `start` (announced at once when the start message gives a
/// usable shape and type) or, for a viewer that joined late, at the first image, whose shape
/// and type then come from the image itself; it ends at `end`, at `idle`, when an image of
/// another series arrives, or when the frame shape changes. Malformed messages become `.bad`
/// events and the next message is decoded normally. Owned by the receiver thread.
public struct Stream2Decoder: StreamDecoder {
    public var format: WireFormat { .stream2 }
    public let maxFrameBytes: Int
    /// The image channel that becomes the frame ("threshold_1"); nil takes each message's first.
    /// The viewer's `t` key changes it between images.
    public var channel: String?
    /// The channels of the last image, in the message's order.
    public private(set) var channelNames: [String] = []

    /// Frames emitted.
    public var frames: UInt64 { tracker.frames }
    /// Messages rejected.
    public private(set) var bad: UInt64 = 0

    /// What the start message (or a late-joining first image) said of the series.
    private var open: OpenSeries?
    /// The series announced with `.seriesStart` (open only once a shape is known) and its
    /// frame count; a new shape ends it and announces another under the same id.
    private var tracker = SeriesTracker()
    /// Holds a chunked payload made contiguous, valid during one emit.
    private var scratch: [UInt8] = []

    private struct OpenSeries {
        var id: UInt64
        var uniqueID: String?
        /// From the start message, when it gave one we can use.
        var startGeometry: SeriesGeometry?
        var imageDtype: String?
        var metadata: [String: String]
        /// The start message's pixel masks by channel, and the channel whose mask went out.
        var masks: [String: PixelMask] = [:]
        var maskSent: String?
    }

    public init(maxFrameBytes: Int, channel: String? = nil) {
        self.maxFrameBytes = maxFrameBytes
        self.channel = channel
    }

    public mutating func consume(_ parts: [UnsafeRawBufferPointer], emit: (StreamEvent) -> Void) {
        guard let part = parts.first else { return }
        guard parts.count == 1 else {
            return reject(StreamError(.unexpectedData, "stream2: message has \(parts.count) parts, expected 1"), emit: emit)
        }
        do throws(StreamError) {
            let message: CBORValue
            do throws(StreamError) {
                message = try CBORReader.readMessage(part)
            } catch {
                throw StreamError(error.kind, "stream2: not a CBOR message: " + error.message)
            }
            guard case .map = message else {
                throw StreamError(.badValue, "stream2: message is \(message.kindName), expected a map")
            }
            guard let typeValue = message["type"] else {
                throw StreamError(.missingKey, "stream2: message has no \"type\"")
            }
            switch typeValue.text {
            case "start": try start(message, part: part, emit: emit)
            case "image": try image(message, part: part, emit: emit)
            case "end": end(message, emit: emit)
            case let other?: throw StreamError(.badValue, "stream2: unknown message type \"\(other)\"")
            case nil: throw StreamError(.badValue, "stream2: \"type\" is \(typeValue.kindName), not text")
            }
        } catch {
            reject(error, emit: emit)
        }
    }

    public mutating func idle(emit: (StreamEvent) -> Void) {
        endSeries(emit: emit)
    }

    // MARK: - Message kinds

    private mutating func start(_ message: CBORValue, part: UnsafeRawBufferPointer, emit: (StreamEvent) -> Void) throws(StreamError) {
        // Whatever else is wrong with it, a start message means the previous series is over.
        endSeries(emit: emit)
        let id = try Self.seriesID(message)
        var series = OpenSeries(id: id, uniqueID: message["series_unique_id"]?.text, metadata: Stream2Metadata.flatten(message))
        series.imageDtype = message["image_dtype"]?.text
        if let channels = Self.textList(message["channels"]) { series.metadata["channels"] = channels.joined(separator: ",") }
        let (masks, problems) = Stream2PixelMasks.read(message, part: part, maxFrameBytes: maxFrameBytes)
        series.masks = masks
        if !problems.isEmpty { series.metadata["pixel_mask"] = "not used: " + problems.joined(separator: "; ") }
        if let width = message["image_size_x"]?.int, let height = message["image_size_y"]?.int,
           let dtype = series.imageDtype, let pixelType = PixelType(name: dtype),
           (try? checkedFrameBytes(width: width, height: height, pixelType: pixelType)) != nil {
            series.startGeometry = SeriesGeometry(width: width, height: height, pixelType: pixelType)
        }
        open = series
        if let geometry = series.startGeometry { announce(geometry, emit: emit) }
    }

    private mutating func image(_ message: CBORValue, part: UnsafeRawBufferPointer, emit: (StreamEvent) -> Void) throws(StreamError) {
        let id = try Self.seriesID(message)
        guard let imageID = message["image_id"]?.uint64 else {
            throw StreamError(.missingKey, "stream2: image of series \(id) has no unsigned \"image_id\"")
        }
        guard let data = message["data"] else {
            throw StreamError(.missingData, "stream2: image \(imageID) has no \"data\"")
        }
        guard case .map(let channels) = data else {
            throw StreamError(.badValue, "stream2: image \(imageID): \"data\" is \(data.kindName), expected a map of channels")
        }
        let names = channels.compactMap { $0.key.text }
        if names != channelNames { channelNames = names }
        guard let name = channel ?? names.first else {
            throw StreamError(.missingData, "stream2: image \(imageID) has no channel in \"data\"")
        }
        guard let value = data[name] else {
            throw StreamError(.missingData, "stream2: image \(imageID) has no channel \"\(name)\" (it has \(names.joined(separator: ", ")))")
        }
        let array = try Stream2Array(value, what: "image \(imageID) channel \(name)")
        let uniqueID = message["series_unique_id"]?.text
        let (geometry, encoding, bigEndian) = try frameGeometry(array, what: "image \(imageID) channel \(name)", part: part)

        if let current = open, current.id != id || (uniqueID != nil && current.uniqueID != nil && uniqueID != current.uniqueID) {
            endSeries(emit: emit)
        }
        if open == nil {
            // Joined late (or the start was lost): the image alone describes the series.
            var metadata: [String: String] = ["late_join": "true"]
            if let uniqueID { metadata["series_unique_id"] = uniqueID }
            metadata["channels"] = names.joined(separator: ",")
            open = OpenSeries(id: id, uniqueID: uniqueID, metadata: metadata)
        }
        if let announced = tracker.open?.geometry, announced != geometry { tracker.end(emit: emit) }
        if tracker.open == nil { announce(geometry, emit: emit) }
        // The shown channel's mask, once per series and again when `t` picks another channel.
        if open?.maskSent != name, let mask = open?.masks[name] {
            open?.maskSent = name
            // A mask is tagged with its series, so an empty one need not go out.
            if mask.width == geometry.width && mask.height == geometry.height && !mask.indices.isEmpty {
                emit(.pixelMask(series: id, mask))
            }
        }
        tracker.count(frame: imageID, checkingGap: false, emit: emit)
        let byteCount = array.byteCount
        let descriptor = FrameDescriptor(series: id, frameNumber: imageID, frameIndex: imageID,
                                         width: geometry.width, height: geometry.height, pixelType: geometry.pixelType,
                                         encoding: encoding, byteCount: byteCount, complete: true, bigEndian: bigEndian)
        if array.ranges.count == 1 {
            emit(.frame(descriptor, payload: UnsafeRawBufferPointer(rebasing: part[array.ranges[0]])))
        } else {
            scratch.removeAll(keepingCapacity: true)
            for range in array.ranges { scratch.append(contentsOf: part[range]) }
            scratch.withUnsafeBytes { emit(.frame(descriptor, payload: $0)) }
        }
    }

    private mutating func end(_ message: CBORValue, emit: (StreamEvent) -> Void) {
        endSeries(emit: emit)
    }

    // MARK: - Frame checks

    private func frameGeometry(_ array: Stream2Array, what: String,
                               part: UnsafeRawBufferPointer) throws(StreamError) -> (SeriesGeometry, PayloadEncoding, bigEndian: Bool) {
        if array.columnMajor {
            throw StreamError(.unsupported, "stream2: \(what): column-major arrays (tag 1040) not supported yet")
        }
        let width: Int, height: Int
        if let dims = array.dims {
            guard dims.count == 2 else {
                throw StreamError(.badValue, "stream2: \(what): \(dims.count) dimensions, expected [height, width]")
            }
            (height, width) = (dims[0], dims[1])
        } else if let start = open?.startGeometry {
            (height, width) = (start.height, start.width)
        } else {
            throw StreamError(.missingKey, "stream2: \(what): no shape (no tag 40 and no start message)")
        }
        let (pixelType, bigEndian) = try Self.pixelType(array, dtype: open?.imageDtype, what: what)
        let expected = try checkedFrameBytes(width: width, height: height, pixelType: pixelType)
        let byteCount = array.byteCount
        guard byteCount <= maxFrameBytes else {
            throw StreamError(.tooLarge, "stream2: \(what): \(byteCount)-byte payload exceeds the \(maxFrameBytes)-byte frame limit (--max-frame-bytes)")
        }
        guard let compression = array.compression else {
            guard byteCount % pixelType.bytesPerPixel == 0 else {
                throw StreamError(.sizeMismatch, "stream2: \(what): \(byteCount)-byte typed array is not a whole number of \(pixelType.bytesPerPixel)-byte \(pixelType.name) elements")
            }
            guard byteCount == expected else {
                throw StreamError(.sizeMismatch, "stream2: \(what): \(byteCount) bytes, shape [\(height), \(width)] × \(pixelType.bytesPerPixel) bytes = \(expected)")
            }
            return (SeriesGeometry(width: width, height: height, pixelType: pixelType), .raw, bigEndian)
        }
        let encoding: PayloadEncoding
        switch compression.algorithm {
        case "bslz4":
            guard compression.elementSize == pixelType.bytesPerPixel else {
                throw StreamError(.sizeMismatch, "stream2: \(what): bslz4 element size \(compression.elementSize), pixel type \(pixelType.name) has \(pixelType.bytesPerPixel)")
            }
            encoding = .bitshuffleLZ4
        case "lz4":
            guard compression.elementSize == 0 || compression.elementSize == pixelType.bytesPerPixel else {
                throw StreamError(.sizeMismatch, "stream2: \(what): lz4 element size \(compression.elementSize), pixel type \(pixelType.name) has \(pixelType.bytesPerPixel)")
            }
            encoding = .lz4
        default:
            throw StreamError(.unsupported, "stream2: \(what): compression \"\(compression.algorithm)\" not supported")
        }
        // Both framings start with the decoded size (8 bytes big-endian) and the block size.
        let header = Self.prefix(array.ranges, count: 12, of: part)
        guard header.count == 12 else {
            throw StreamError(.sizeMismatch, "stream2: \(what): \(byteCount)-byte \(compression.algorithm) payload is shorter than its 12-byte header")
        }
        let decoded = header.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard decoded == UInt64(expected) else {
            throw StreamError(.sizeMismatch, "stream2: \(what): \(compression.algorithm) header says \(decoded) bytes, shape [\(height), \(width)] × \(pixelType.bytesPerPixel) bytes = \(expected)")
        }
        return (SeriesGeometry(width: width, height: height, pixelType: pixelType), encoding, bigEndian)
    }

    /// The typed-array tag decides (type and byte order); without one, the start's
    /// `image_dtype` (little-endian), then the compression's element size (unsigned).
    private static func pixelType(_ array: Stream2Array, dtype: String?,
                                  what: String) throws(StreamError) -> (PixelType, bigEndian: Bool) {
        if let kind = array.kind {
            guard let type = kind.pixelType else {
                throw StreamError(.unsupported, "stream2: \(what): pixel type \(kind) not supported (no \(kind.bytesPerElement * 8)-bit float path)")
            }
            return (type, kind.isBigEndian)
        }
        if let dtype {
            guard let type = PixelType(name: dtype) else {
                throw StreamError(.unsupported, "stream2: \(what): image_dtype \"\(dtype)\" is not a pixel type detview reads (uint8–uint64, int8–int64, float32, float64)")
            }
            return (type, false)
        }
        let unsigned: [Int: PixelType] = [1: .uint8, 2: .uint16, 4: .uint32, 8: .uint64]
        if let size = array.compression?.elementSize, let type = unsigned[size] {
            return (type, false)
        }
        throw StreamError(.missingKey, "stream2: \(what): no pixel type (no typed-array tag and no image_dtype)")
    }

    private func checkedFrameBytes(width: Int, height: Int, pixelType: PixelType) throws(StreamError) -> Int {
        guard width > 0, height > 0 else {
            throw StreamError(.badValue, "stream2: shape [\(height), \(width)] is empty")
        }
        let (pixels, o1) = width.multipliedReportingOverflow(by: height)
        let (bytes, o2) = pixels.multipliedReportingOverflow(by: pixelType.bytesPerPixel)
        guard !o1, !o2, bytes <= maxFrameBytes else {
            throw StreamError(.tooLarge, "stream2: shape [\(height), \(width)] × \(pixelType.bytesPerPixel) bytes exceeds the \(maxFrameBytes)-byte frame limit (--max-frame-bytes)")
        }
        return bytes
    }

    // MARK: - State changes

    private mutating func announce(_ geometry: SeriesGeometry, emit: (StreamEvent) -> Void) {
        guard let series = open else { return }
        tracker.start(series: series.id, geometry: geometry)
        emit(.seriesStart(SeriesInfo(format: .stream2, series: series.id, width: geometry.width, height: geometry.height,
                                     pixelType: geometry.pixelType, detector: .unnamed, metadata: series.metadata)))
    }

    private mutating func endSeries(emit: (StreamEvent) -> Void) {
        open = nil
        // A start never followed by an image announced nothing when it lacked a usable shape.
        tracker.end(emit: emit)
    }

    private mutating func reject(_ error: StreamError, emit: (StreamEvent) -> Void) {
        bad += 1
        emit(.bad(error))
    }

    // MARK: - Helpers

    private static func seriesID(_ message: CBORValue) throws(StreamError) -> UInt64 {
        guard let id = message["series_id"]?.uint64 else {
            throw StreamError(.missingKey, "stream2: \(message["type"]?.text ?? "") message has no unsigned \"series_id\"")
        }
        return id
    }

    private static func textList(_ value: CBORValue?) -> [String]? {
        guard case .array(let items)? = value else { return nil }
        let texts = items.compactMap(\.text)
        return texts.count == items.count ? texts : nil
    }

    /// The first `count` bytes of a possibly chunked byte string (fewer if it is shorter).
    private static func prefix(_ ranges: [Range<Int>], count: Int, of part: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        for range in ranges where out.count < count {
            out.append(contentsOf: part[range].prefix(count - out.count))
        }
        return out
    }
}
