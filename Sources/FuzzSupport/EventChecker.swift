import DetectorStream

/// Checks the events one decoder emits against the `StreamEvent` contract, and decodes every
/// frame payload with `PayloadCodec` the way a worker would. A broken rule is a bug in the
/// decoder: `violation` traps, and libFuzzer saves the input as a crash. Lives for one fuzz input.
///
/// Rules: a frame, gap or end belongs to the open series (same id; a frame also has its
/// geometry); a start comes only when no series is open; an end counts the frames of its series;
/// geometry is non-empty and within `maxFrameBytes`; a payload has `byteCount` bytes, no more than
/// `maxFrameBytes`, and a raw payload exactly width × height × bytes per pixel.
public struct EventChecker {
    public let maxFrameBytes: Int
    public let codecPath: CodecPath
    public private(set) var frames = 0
    public private(set) var rejected = 0
    private var open: (info: SeriesInfo, frames: UInt64)?

    public init(maxFrameBytes: Int, codecPath: CodecPath = .best) {
        self.maxFrameBytes = maxFrameBytes
        self.codecPath = codecPath
    }

    public mutating func check(_ event: StreamEvent) {
        switch event {
        case .seriesStart(let info):
            if let open { violation("seriesStart of series \(info.series) while series \(open.info.series) is open") }
            guard let bytes = frameBytes(info.width, info.height, info.pixelType) else {
                violation("seriesStart with geometry \(info.width)×\(info.height) \(info.pixelType.name) beyond \(maxFrameBytes) bytes")
            }
            _ = bytes
            open = (info, 0)
        case .frame(let d, let payload):
            guard let current = open else { violation("frame \(d.frameNumber) of series \(d.series) with no open series") }
            let i = current.info
            if d.series != i.series || d.width != i.width || d.height != i.height || d.pixelType != i.pixelType {
                violation("frame \(d) does not match its series \(i)")
            }
            guard let expected = frameBytes(d.width, d.height, d.pixelType) else { violation("frame geometry \(d)") }
            if payload.count != d.byteCount { violation("payload of \(payload.count) bytes, descriptor says \(d.byteCount)") }
            if payload.count > maxFrameBytes { violation("payload of \(payload.count) bytes beyond the \(maxFrameBytes)-byte limit") }
            if d.encoding == .raw, payload.count != expected {
                violation("raw payload of \(payload.count) bytes, geometry needs \(expected)")
            }
            open?.frames += 1
            frames += 1
            decode(d, payload: payload, expected: expected)
        case .gap(let series, let missing):
            guard let current = open, current.info.series == series else {
                violation("gap in series \(series), open series is \(open.map { String($0.info.series) } ?? "none")")
            }
            if missing == 0 { violation("gap of 0 frames") }
        case .seriesEnd(let series, let count):
            guard let current = open, current.info.series == series else {
                violation("seriesEnd of series \(series), open series is \(open.map { String($0.info.series) } ?? "none")")
            }
            if current.frames != count { violation("seriesEnd says \(count) frames, \(current.frames) were emitted") }
            open = nil
        case .pixelMask(let series, let mask):
            guard let current = open, current.info.series == series else {
                violation("pixel mask of series \(series), open series is \(open.map { String($0.info.series) } ?? "none")")
            }
            if mask.width != current.info.width || mask.height != current.info.height {
                violation("pixel mask \(mask.width)×\(mask.height) for a \(current.info.width)×\(current.info.height) series")
            }
            let pixels = mask.width * mask.height
            if let bad = mask.indices.first(where: { Int($0) >= pixels }) { violation("masked index \(bad) beyond \(pixels) pixels") }
            if zip(mask.indices, mask.indices.dropFirst()).contains(where: { $0 >= $1 }) { violation("mask indices not ascending") }
        case .bad(let error):
            rejected += 1
            if error.message.isEmpty { violation("a .bad event without a message") }
        }
    }

    /// After the decoder's `idle`: no series may stay open.
    public func checkIdle() {
        if let open { violation("series \(open.info.series) still open after idle") }
    }

    private func frameBytes(_ width: Int, _ height: Int, _ type: PixelType) -> Int? {
        guard width > 0, height > 0 else { return nil }
        let (pixels, o1) = width.multipliedReportingOverflow(by: height)
        let (bytes, o2) = pixels.multipliedReportingOverflow(by: type.bytesPerPixel)
        return o1 || o2 || bytes > maxFrameBytes ? nil : bytes
    }

    /// Into an allocation of exactly the frame's size, so AddressSanitizer sees any overrun.
    private func decode(_ d: FrameDescriptor, payload: UnsafeRawBufferPointer, expected: Int) {
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: expected, alignment: 16)
        defer { output.deallocate() }
        do {
            try PayloadCodec.decode(d.encoding, elementSize: d.pixelType.bytesPerPixel, elementCount: d.width * d.height,
                                    input: payload, output: output, path: codecPath)
            if DecoderHarness.trace { print("    payload decoded") }
        } catch {
            if DecoderHarness.trace { print("    payload: \(error)") }
            if error.message.isEmpty { violation("PayloadCodec error without a message") }
        }
    }
}

/// Stops the process so that libFuzzer records the input as a crash.
public func violation(_ what: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("fuzz invariant broken: \(what)", file: file, line: line)
}
