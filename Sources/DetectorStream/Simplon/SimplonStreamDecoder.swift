/// Decodes the DECTRIS SIMPLON stream v1 (PROTOCOLS.md §2) into `StreamEvent`s.
/// Accepts `dheader-1.0` with header_detail none, basic or all, as one multipart message or as
/// separate single-part messages (header, config, then detail pairs); images as
/// `dimage-1.0` + `dimage_d-1.0` + data + `dconfig-1.0` (+ appendix), with the payload passed on
/// still encoded. A consumer that joined late (no `dheader`) still gets frames: shape and type come
/// from `dimage_d`. A series ends on `dseries_end-1.0`, on the next `dheader`, on a change of
/// series id, shape or type, or on `idle`. `SeriesInfo.series` and `FrameDescriptor.series` are
/// the detector's series id; `frameNumber` and `frameIndex` are its `frame`.
/// Owned by the receiver thread; one decoder per socket.
public struct SimplonStreamDecoder: StreamDecoder {
    public var format: WireFormat { .simplon }
    public let maxFrameBytes: Int

    /// Frames emitted.
    public var frames: UInt64 { tracker.frames }
    /// Frames missing from `frame` jumps within a series.
    public var gaps: UInt64 { tracker.gaps }
    /// Messages rejected.
    public private(set) var bad: UInt64 = 0
    /// The pixel mask of the last `header_detail: all` header, one uint32 per pixel, row-major
    /// (width fastest); non-zero = masked. Nil when none came, when it did not fit its shape, or
    /// when the images turned out to have another shape.
    public private(set) var pixelMask: [UInt32]?
    /// The shape of `pixelMask`: [width, height].
    public private(set) var pixelMaskShape: [Int]?
    /// Oddities worth telling the user once each (placeholder detail parts, a type the encoding
    /// overrode); not errors: frames still decode.
    public private(set) var notes: [String] = []

    private var noted: Set<String> = []
    private var announced: SimplonSeriesHeader?
    private var tracker = SeriesTracker()
    private var pending: Pending = .nothing

    /// What a single-part message left unfinished.
    private enum Pending {
        case nothing
        /// A single-part `dheader` with detail basic/all: its config comes as the next message.
        case config
        /// A single-part detail header (`dpixelmask-1.0`, ...): its data comes as the next message.
        case detailData(SimplonDetailPart, HtypeHeader)
    }

    public init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func consume(_ parts: [UnsafeRawBufferPointer], emit: (StreamEvent) -> Void) {
        guard let first = parts.first else { return }
        if parts.count == 1 {
            if completePending(with: first, emit: emit) { return }
        } else {
            abandonPending(emit: emit)
        }
        let header: HtypeHeader
        do {
            header = try HtypeHeader.parse(first, format: "simplon")
        } catch {
            if !HeaderBytes.looksLikeJSON(first) {
                return reject(StreamError(.notJSON, "simplon: \(first.count)-byte message is not a JSON header"), emit: emit)
            }
            return reject(error, emit: emit)
        }
        switch header.htype {
        case "dheader-1.0":
            seriesHeader(header, parts: parts, emit: emit)
        case "dimage-1.0":
            image(header, parts: parts, emit: emit)
        case "dseries_end-1.0":
            announced = nil
            endSeries(emit: emit)
        case let htype? where SimplonDetailPart(rawValue: htype) != nil:
            let kind = SimplonDetailPart(rawValue: htype)!
            switch parts.count {
            case 1: pending = .detailData(kind, header)
            case 2: detailPair(kind, header, data: parts[1])
            default:
                reject(StreamError(.unexpectedData, "simplon: \(htype) message has \(parts.count) parts, expected header and data"), emit: emit)
            }
        case "dimage_d-1.0", "dconfig-1.0":
            reject(StreamError(.unexpectedData, "simplon: \(header.htype!) part with no dimage-1.0 part before it"), emit: emit)
        case nil:
            reject(StreamError(.missingKey, "simplon: JSON message has no \"htype\""), emit: emit)
        case let htype?:
            reject(StreamError(.badValue, "simplon: unknown htype \"\(htype)\""), emit: emit)
        }
    }

    public mutating func idle(emit: (StreamEvent) -> Void) {
        pending = .nothing
        endSeries(emit: emit)
    }

    // MARK: - Series header

    private mutating func seriesHeader(_ header: HtypeHeader, parts: [UnsafeRawBufferPointer], emit: (StreamEvent) -> Void) {
        // A new header means the previous series' end was lost.
        endSeries(emit: emit)
        let detail: SimplonSeriesHeader.Detail
        if let name = header.headerDetail {
            guard let d = SimplonSeriesHeader.Detail(rawValue: name) else {
                return reject(StreamError(.badValue, "simplon: header_detail \"\(name)\" is not none, basic or all"), emit: emit)
            }
            detail = d
        } else {
            detail = parts.count >= 8 ? .all : parts.count == 2 ? .basic : .none
        }
        var announcement = SimplonSeriesHeader(series: header.series ?? 0, detail: detail)
        defer { announced = announcement }
        if parts.count == 1 {
            if detail != .none { pending = .config }
            return
        }
        let expected = switch detail {
        case .none: 1...1
        case .basic: 2...2
        case .all: 8...9
        }
        guard expected.contains(parts.count) else {
            let wanted = expected.count == 1 ? "\(expected.lowerBound)" : "\(expected.lowerBound) or \(expected.upperBound)"
            return reject(StreamError(parts.count < expected.lowerBound ? .missingData : .unexpectedData,
                                      "simplon: dheader with header_detail \(detail.rawValue) has \(parts.count) parts, expected \(wanted)"), emit: emit)
        }
        do {
            try announcement.readConfig(parts[1])
        } catch {
            reject(error, emit: emit)
        }
        guard detail == .all else { return }
        for (index, kind) in zip(stride(from: 2, to: 8, by: 2), SimplonDetailPart.allCases) {
            let part: HtypeHeader
            do {
                part = try HtypeHeader.parse(parts[index], format: "simplon")
            } catch {
                return reject(StreamError(error.kind, "\(error.message) (part \(index + 1) of a dheader, the \(kind.label) header)"), emit: emit)
            }
            guard part.htype == kind.rawValue else {
                return reject(StreamError(.badValue, "simplon: part \(index + 1) of a dheader is \(SimplonImageHeader.describe(part.htype)), expected \(kind.rawValue)"), emit: emit)
            }
            detailPair(kind, part, data: parts[index + 1])
        }
    }

    private mutating func detailPair(_ kind: SimplonDetailPart, _ header: HtypeHeader, data: UnsafeRawBufferPointer) {
        switch kind {
        case .pixelMask:
            if let (mask, width, height) = SimplonDetailPart.pixelMask(header: header, data: data) {
                pixelMask = mask
                pixelMaskShape = [width, height]
            } else {
                note("placeholder-mask", "simplon: pixel mask part (\(data.count) bytes) does not fit its shape \(header.shape ?? []); ignored")
            }
        case .flatfield:
            let fits = header.shape.flatMap { $0.count == 2 ? HeaderBytes.frameBytes($0[0], $0[1], 4) : nil } == data.count
            if !fits {
                note("placeholder-flatfield", "simplon: flatfield part (\(data.count) bytes) does not fit its shape \(header.shape ?? []); ignored")
            }
        case .countRateTable:
            break   // not used by the viewer
        }
    }

    /// Gives a single-part message to what an earlier single-part message left waiting.
    /// Returns true when the message was consumed.
    private mutating func completePending(with part: UnsafeRawBufferPointer, emit: (StreamEvent) -> Void) -> Bool {
        let waiting = pending
        pending = .nothing
        switch waiting {
        case .nothing:
            return false
        case .config:
            let header = try? HtypeHeader.parse(part, format: "simplon")
            if let header, header.htype != nil {
                reject(StreamError(.missingData, "simplon: dheader of series \(announced?.series ?? 0) announced a detector config, but \(header.htype!) came next"), emit: emit)
                return false
            }
            do {
                try announced?.readConfig(part)
            } catch {
                reject(error, emit: emit)
            }
            return true
        case .detailData(let kind, let header):
            if HeaderBytes.looksLikeJSON(part), let next = try? HtypeHeader.parse(part, format: "simplon"), next.htype != nil {
                reject(StreamError(.missingData, "simplon: \(kind.rawValue) header came without its data"), emit: emit)
                return false
            }
            detailPair(kind, header, data: part)
            return true
        }
    }

    /// A multipart message came while a single-part message waited for its continuation.
    private mutating func abandonPending(emit: (StreamEvent) -> Void) {
        let waiting = pending
        pending = .nothing
        switch waiting {
        case .nothing:
            break
        case .config:
            reject(StreamError(.missingData, "simplon: dheader of series \(announced?.series ?? 0) announced a detector config, but a multipart message came next"), emit: emit)
        case .detailData(let kind, _):
            reject(StreamError(.missingData, "simplon: \(kind.rawValue) header came without its data"), emit: emit)
        }
    }

    // MARK: - Images

    private mutating func image(_ header: HtypeHeader, parts: [UnsafeRawBufferPointer], emit: (StreamEvent) -> Void) {
        guard parts.count == 4 || parts.count == 5 else {
            return reject(StreamError(parts.count < 4 ? .missingData : .unexpectedData,
                                      "simplon: image message has \(parts.count) parts, expected 4 or 5 (dimage, dimage_d, data, dconfig[, appendix])"), emit: emit)
        }
        let geometry: SimplonImageHeader
        do throws(StreamError) {
            let descriptor = try HtypeHeader.parse(parts[1], format: "simplon")
            let config = try HtypeHeader.parse(parts[3], format: "simplon")
            guard config.htype == "dconfig-1.0" else {
                throw StreamError(.badValue, "simplon: part 4 of an image is \(SimplonImageHeader.describe(config.htype)), expected dconfig-1.0")
            }
            geometry = try SimplonImageHeader.validate(image: header, descriptor: descriptor, dataCount: parts[2].count,
                                                       maxFrameBytes: maxFrameBytes)
        } catch {
            return reject(error, emit: emit)
        }
        if let (announcedType, used) = geometry.typeOverride {
            note("type-\(announcedType)-\(used.name)", "simplon: type \(announcedType) disagrees with the bitshuffle element size; decoding as \(used.name)")
        }
        let series = geometry.series ?? tracker.open?.series ?? announced?.series ?? 0
        let shape = SeriesGeometry(width: geometry.width, height: geometry.height, pixelType: geometry.pixelType)
        if let current = tracker.open, current.series != series || current.geometry != shape {
            endSeries(emit: emit)
        }
        if tracker.open == nil { startSeries(series, geometry, emit: emit) }
        tracker.count(frame: geometry.frame, checkingGap: true, emit: emit)
        let descriptor = FrameDescriptor(
            series: series, frameNumber: geometry.frame, frameIndex: geometry.frame,
            width: geometry.width, height: geometry.height, pixelType: geometry.pixelType,
            encoding: geometry.encoding, byteCount: parts[2].count, complete: true)
        emit(.frame(descriptor, payload: parts[2]))
    }

    private mutating func startSeries(_ series: UInt64, _ geometry: SimplonImageHeader, emit: (StreamEvent) -> Void) {
        tracker.start(series: series, geometry: SeriesGeometry(width: geometry.width, height: geometry.height,
                                                               pixelType: geometry.pixelType))
        if let shape = pixelMaskShape, shape != [geometry.width, geometry.height] {
            note("mask-shape-\(shape)-\(geometry.width)x\(geometry.height)",
                 "simplon: pixel mask is \(shape[0])×\(shape[1]), images are \(geometry.width)×\(geometry.height); mask not used")
            pixelMask = nil
            pixelMaskShape = nil
        }
        let header = announced?.series == series ? announced : nil
        var metadata = header?.metadata ?? [:]
        metadata["header_detail"] = header?.detail.rawValue ?? "missed (joined late)"
        emit(.seriesStart(SeriesInfo(format: .simplon, series: series, width: geometry.width, height: geometry.height,
                                     pixelType: geometry.pixelType, detector: header?.detector ?? .unnamed, metadata: metadata)))
        if let flags = pixelMask, let mask = PixelMask(width: geometry.width, height: geometry.height, flags: flags),
           !mask.indices.isEmpty {
            emit(.pixelMask(series: series, mask))
        }
    }

    // MARK: - State changes

    private mutating func endSeries(emit: (StreamEvent) -> Void) {
        tracker.end(emit: emit)
    }

    private mutating func reject(_ error: StreamError, emit: (StreamEvent) -> Void) {
        bad += 1
        emit(.bad(error))
    }

    private mutating func note(_ key: String, _ text: String) {
        guard noted.insert(key).inserted else { return }
        notes.append(text)
    }
}
