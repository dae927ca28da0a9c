/// Decodes the slsDetector receiver stream (PROTOCOLS.md §1) into `StreamEvent`s.
/// Accepts header and data as one two-part message or as two single-part messages. A series is
/// what lies between end-of-acquisition headers; it also ends when the frame geometry changes,
/// when `frameIndex` restarts at 0 (the end header was lost), or on `idle`.
/// Each frame carries its port's `ModulePosition` (row, column, detshape, flipRows): a
/// multi-port detector's ports are joined by `PortStreamMerger` / `ModuleAssembler`.
/// Owned by the receiver thread; one decoder per socket.
public struct SlsStreamDecoder: StreamDecoder {
    public var format: WireFormat { .sls }
    public let maxFrameBytes: Int

    /// Frames emitted.
    public var frames: UInt64 { tracker.frames }
    /// Frames missing from `frameIndex` jumps.
    public var gaps: UInt64 { tracker.gaps }
    /// Frames with `completeImage` 0.
    public private(set) var incomplete: UInt64 = 0
    /// Messages (or header/data pairs) rejected.
    public private(set) var bad: UInt64 = 0

    /// A header sent as its own message, waiting for its data message.
    private var pending: SlsHeader?
    /// The last series number given out (sls streams do not number their series).
    private var series: UInt64 = 0
    private var tracker = SeriesTracker()

    public init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func consume(_ parts: [UnsafeRawBufferPointer], emit: (StreamEvent) -> Void) {
        switch parts.count {
        case 0:
            return
        case 1:
            consumeSingle(parts[0], emit: emit)
        default:
            dropPending(emit: emit)
            let header: SlsHeader
            do {
                header = try SlsHeader.parse(parts[0])
            } catch {
                return reject(error, emit: emit)
            }
            if header.isEndOfAcquisition { return endSeries(emit: emit) }
            if parts.count > 2 {
                return reject(StreamError(.unexpectedData, "sls: message has \(parts.count) parts, expected header and data"), emit: emit)
            }
            frame(header, data: parts[1], emit: emit)
        }
    }

    public mutating func idle(emit: (StreamEvent) -> Void) {
        dropPending(emit: emit)
        endSeries(emit: emit)
    }

    // MARK: - Message kinds

    private mutating func consumeSingle(_ part: UnsafeRawBufferPointer, emit: (StreamEvent) -> Void) {
        // A pending header claims the next message of its size even if it happens to start with '{'.
        if let header = pending, part.count == header.size {
            pending = nil
            return frame(header, data: part, emit: emit)
        }
        let parsed: Result<SlsHeader, StreamError>
        if looksLikeJSON(part) {
            do { parsed = .success(try SlsHeader.parse(part)) } catch { parsed = .failure(error) }
        } else {
            parsed = .failure(StreamError(.notJSON, "sls: not a header"))
        }
        switch parsed {
        case .success(let header):
            dropPending(emit: emit)
            if header.isEndOfAcquisition { return endSeries(emit: emit) }
            pending = header
        case .failure(let error):
            if let header = pending {
                // Not a header: it is the data of the pending one, whatever its size says.
                pending = nil
                return frame(header, data: part, emit: emit)
            }
            if looksLikeJSON(part) { return reject(error, emit: emit) }
            reject(StreamError(.unexpectedData, "sls: \(part.count)-byte data message with no header before it"), emit: emit)
        }
    }

    private mutating func frame(_ header: SlsHeader, data: UnsafeRawBufferPointer, emit: (StreamEvent) -> Void) {
        let geometry: (width: Int, height: Int, pixelType: PixelType, encoding: PayloadEncoding)
        do {
            geometry = try validate(header, dataCount: data.count)
        } catch {
            return reject(error, emit: emit)
        }
        let shape = SeriesGeometry(width: geometry.width, height: geometry.height, pixelType: geometry.pixelType)
        if let current = tracker.open {
            let restarted = header.frameIndex == 0 && current.lastFrame.map { $0 > 0 } == true
            if current.geometry != shape || restarted { tracker.end(emit: emit) }
        }
        if tracker.open == nil {
            series += 1
            tracker.start(series: series, geometry: shape)
            emit(.seriesStart(seriesInfo(header, geometry)))
        }
        tracker.count(frame: header.frameIndex, checkingGap: true, emit: emit)
        let complete = header.completeImage != 0
        if !complete { incomplete += 1 }
        let descriptor = FrameDescriptor(
            series: series, frameNumber: header.frameNumber, frameIndex: header.frameIndex,
            width: geometry.width, height: geometry.height, pixelType: geometry.pixelType,
            encoding: geometry.encoding, byteCount: data.count, complete: complete,
            module: Self.position(header))
        emit(.frame(descriptor, payload: data))
    }

    private func validate(_ header: SlsHeader, dataCount: Int) throws(StreamError)
        -> (width: Int, height: Int, pixelType: PixelType, encoding: PayloadEncoding) {
        // Bitmode 4 packs two pixels per byte; the workers unpack it to uint8.
        let packed = header.bitmode == 4
        guard let pixelType = packed ? .uint8 : PixelType(bitmode: header.bitmode) else {
            throw StreamError(.badValue, "sls: bitmode \(header.bitmode) is not 4, 8, 16 or 32")
        }
        let width = header.shape.first ?? 0, height = header.shape.count > 1 ? header.shape[1] : 0
        guard width > 0, height > 0 else {
            throw StreamError(.badValue, "sls: shape [\(width), \(height)] is empty")
        }
        let (pixels, o1) = width.multipliedReportingOverflow(by: height)
        let (unpacked, o2) = pixels.multipliedReportingOverflow(by: pixelType.bytesPerPixel)
        let expected = packed ? (pixels + 1) / 2 : unpacked
        guard !o1, !o2, unpacked <= maxFrameBytes else {
            throw StreamError(.tooLarge, "sls: shape [\(width), \(height)] × \(pixelType.bytesPerPixel) bytes exceeds the \(Self.byteText(maxFrameBytes)) frame limit (--max-frame-bytes)")
        }
        guard header.size == expected else {
            throw StreamError(.sizeMismatch, "sls: size \(header.size) does not match shape [\(width), \(height)] × \(pixelType.bytesPerPixel) bytes = \(expected)")
        }
        guard dataCount == expected else {
            throw StreamError(.sizeMismatch, "sls: data part is \(dataCount) bytes, header says \(expected)")
        }
        return (width, height, pixelType, packed ? .packed4 : .raw)
    }

    private static func position(_ header: SlsHeader) -> ModulePosition {
        ModulePosition(row: header.row, column: header.column,
                       gridColumns: header.detShape.first ?? 0, gridRows: header.detShape.count > 1 ? header.detShape[1] : 0,
                       flipRows: header.flipRows != 0, quad: header.quad != 0,
                       detectorType: header.detType, moduleID: header.modId)
    }

    private func seriesInfo(_ header: SlsHeader,
                            _ geometry: (width: Int, height: Int, pixelType: PixelType, encoding: PayloadEncoding)) -> SeriesInfo {
        var metadata: [String: String] = [
            "jsonversion": String(header.jsonVersion),
            "fname": header.fname,
            "detshape": header.detShape.map(String.init).joined(separator: "x"),
            "row": String(header.row),
            "column": String(header.column),
        ]
        for (key, value) in header.addJsonHeader { metadata["addJsonHeader." + key] = value }
        return SeriesInfo(format: .sls, series: series, width: geometry.width, height: geometry.height,
                          pixelType: geometry.pixelType, detector: DetectorFamily(slsDetType: header.detType),
                          metadata: metadata)
    }

    // MARK: - State changes

    private mutating func endSeries(emit: (StreamEvent) -> Void) {
        tracker.end(emit: emit)
    }

    private mutating func dropPending(emit: (StreamEvent) -> Void) {
        guard let header = pending else { return }
        pending = nil
        reject(StreamError(.missingData, "sls: header of frame \(header.frameNumber) came without its data"), emit: emit)
    }

    private mutating func reject(_ error: StreamError, emit: (StreamEvent) -> Void) {
        bad += 1
        emit(.bad(error))
    }

    private func looksLikeJSON(_ part: UnsafeRawBufferPointer) -> Bool {
        for byte in part {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "{"): return true
            default: return false
            }
        }
        return false
    }

    private static func byteText(_ n: Int) -> String {
        if n >= 1 << 20, n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        return "\(n)-byte"
    }
}
