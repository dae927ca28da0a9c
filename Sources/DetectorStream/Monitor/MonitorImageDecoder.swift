/// Turns the DECTRIS monitor interface's images (one TIFF per HTTP answer, see
/// docs/PROTOCOLS-monitor.md) into the same events as a stream: a series per image shape and
/// pixel type, then frames numbered by a counter (the TIFF carries no image number), or a bad
/// frame with the TIFF reader's reason. A new shape ends the series, and so does `idle`, which
/// the caller calls when no new image came for its series timeout (the monitor keeps answering
/// with its latest image, so "silence" means the same image, not no answer).
///
/// Owned by the receive thread. A frame's payload points into the decoder's own pixel buffer,
/// valid only during the emit callback (as a stream decoder's points into the message).
public struct MonitorImageDecoder: StreamDecoder {
    public var format: WireFormat { .monitor }
    public let maxFrameBytes: Int
    /// Said in the series' metadata, so the log and the headless `series_start` name the source.
    public let source: String
    private var tracker = SeriesTracker()
    private var nextSeries: UInt64 = 1
    private var pixels: [UInt8] = []

    public init(maxFrameBytes: Int, source: String) {
        self.maxFrameBytes = maxFrameBytes
        self.source = source
    }

    /// One HTTP body in `parts[0]`.
    public mutating func consume(_ parts: [UnsafeRawBufferPointer], emit: (StreamEvent) -> Void) {
        guard parts.count == 1 else {
            return emit(.bad(StreamError(.unexpectedData, "monitor: \(parts.count) parts, one image body expected")))
        }
        let image: TiffImage
        do {
            image = try TiffImageReader.read(parts[0], maxPixelBytes: maxFrameBytes, into: &pixels)
        } catch {
            return emit(.bad(StreamError(.badValue, "monitor image: \(error)")))
        }
        let geometry = SeriesGeometry(width: image.width, height: image.height, pixelType: image.pixelType)
        if tracker.open?.geometry != geometry {
            tracker.end(emit: emit)
            let series = nextSeries
            nextSeries += 1
            tracker.start(series: series, geometry: geometry)
            emit(.seriesStart(SeriesInfo(format: .monitor, series: series, width: image.width, height: image.height,
                                         pixelType: image.pixelType, metadata: ["source": source])))
        }
        let number = tracker.frames + 1
        let index = tracker.count(frame: number, checkingGap: false, emit: emit)
        let frame = FrameDescriptor(series: tracker.open!.series, frameNumber: number, frameIndex: index,
                                    width: image.width, height: image.height, pixelType: image.pixelType,
                                    encoding: .raw, byteCount: image.pixelBytes, complete: true,
                                    bigEndian: image.bigEndian && image.pixelType.bytesPerPixel > 1)
        pixels.withUnsafeBytes { emit(.frame(frame, payload: $0)) }
    }

    /// No new image for the caller's series timeout: ends the open series (the next image starts
    /// a new one, as after a stream's end message).
    public mutating func idle(emit: (StreamEvent) -> Void) {
        tracker.end(emit: emit)
    }

    /// Whether a series is open (the caller watches its idle time only then).
    public var seriesOpen: Bool { tracker.open != nil }
}
