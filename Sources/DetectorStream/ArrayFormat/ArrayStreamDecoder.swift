/// Decodes array-1.0 streams (PROTOCOLS.md §4: PSI std-detector-buffer, EPICS areaDetector
/// NDPluginZMQ) into `StreamEvent`s: a JSON header part, then the data part, as one message.
///
/// Axis order: the array-1.0 spec lists `shape` slowest axis first ([height, width]); NDPluginZMQ
/// before ADZMQ 1.4 wrote `htype` as a JSON array and `shape` in NDArray order, x first
/// ([width, height]). The header's own `htype` form decides: array form → x first, string form
/// → slowest first. `transpose: true` flips that decision for senders that mix the two.
/// Size-1 axes are dropped from shapes of more than two axes; a 1-D shape is one row.
///
/// Pixel types: uint8–uint64, int8–int64, float32 and float64 by their array-1.0 names, plus
/// "float"/"double". The data is little-endian unless the header says `"endianness":"big"`.
///
/// A series is a run of frames of one shape and type; a change, or `idle`, ends it.
/// Owned by the receiver thread; one decoder per socket.
public struct ArrayStreamDecoder: StreamDecoder {
    public var format: WireFormat { .array }
    public let maxFrameBytes: Int
    /// Flips the axis order the `htype` form implies.
    public let transpose: Bool

    /// Frames emitted.
    public var frames: UInt64 { tracker.frames }
    /// Frames missing from `frame` jumps within a series.
    public var gaps: UInt64 { tracker.gaps }
    /// Messages rejected.
    public private(set) var bad: UInt64 = 0
    /// Oddities worth telling the user once each; frames still decode.
    public private(set) var notes: [String] = []

    private var noted: Set<String> = []
    /// The last series number given out (array-1.0 does not number series).
    private var series: UInt64 = 0
    private var tracker = SeriesTracker()

    public init(maxFrameBytes: Int, transpose: Bool = false) {
        self.maxFrameBytes = maxFrameBytes
        self.transpose = transpose
    }

    public mutating func consume(_ parts: [UnsafeRawBufferPointer], emit: (StreamEvent) -> Void) {
        guard let first = parts.first else { return }
        guard HeaderBytes.looksLikeJSON(first) else {
            return reject(StreamError(parts.count == 1 ? .unexpectedData : .notJSON,
                                      "array: \(first.count)-byte part where a JSON header belongs"), emit: emit)
        }
        let header: ArrayHeader
        do {
            header = try ArrayHeader(
                HtypeHeader.parse(first, format: "array", strings: .literal, tolerateBrokenValueOf: ["ndattr"]),
                transpose: transpose, maxFrameBytes: maxFrameBytes)
        } catch {
            return reject(error, emit: emit)
        }
        if header.ndattrUnreadable {
            note("ndattr", "array: \"ndattr\" is not valid JSON (unescaped strings or int8 values); ignored")
        }
        guard parts.count == 2 else {
            let frame = header.frame.map { "frame \($0)" } ?? "a frame"
            return reject(parts.count == 1
                          ? StreamError(.missingData, "array: header of \(frame) came without its data part")
                          : StreamError(.unexpectedData, "array: message has \(parts.count) parts, expected header and data"), emit: emit)
        }
        do {
            try header.check(dataCount: parts[1].count, maxFrameBytes: maxFrameBytes)
        } catch {
            return reject(error, emit: emit)
        }
        frame(header, data: parts[1], emit: emit)
    }

    public mutating func idle(emit: (StreamEvent) -> Void) {
        endSeries(emit: emit)
    }

    private mutating func frame(_ header: ArrayHeader, data: UnsafeRawBufferPointer, emit: (StreamEvent) -> Void) {
        let shape = SeriesGeometry(width: header.width, height: header.height, pixelType: header.pixelType)
        if let current = tracker.open, current.geometry != shape {
            endSeries(emit: emit)
        }
        if tracker.open == nil {
            series += 1
            tracker.start(series: series, geometry: shape)
            let metadata = [
                "sender": header.xFirstByHtype ? "NDPluginZMQ (htype as array)" : "array-1.0",
                "axis order": header.xFirst ? "shape x first" : "shape slowest first",
            ]
            emit(.seriesStart(SeriesInfo(format: .array, series: series, width: header.width, height: header.height,
                                         pixelType: header.pixelType, metadata: metadata)))
        }
        guard let current = tracker.open else { return }
        // Unnumbered frames are numbered by their place in the series, and never make a gap.
        let frameNumber = header.frame ?? current.frames
        let index = tracker.count(frame: frameNumber, checkingGap: header.frame != nil, emit: emit)
        let descriptor = FrameDescriptor(
            series: series, frameNumber: frameNumber, frameIndex: index,
            width: header.width, height: header.height, pixelType: header.pixelType,
            encoding: header.encoding, byteCount: data.count, complete: true, bigEndian: header.bigEndian)
        emit(.frame(descriptor, payload: data))
    }

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
