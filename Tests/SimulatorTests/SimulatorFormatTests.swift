import DetectorStream
import Glibc
import Simulator
import XCTest
import ZeroMQ

/// Every format × encoding × pixel type the simulator sends, over tcp loopback with the real
/// socket types, decoded by the viewer's own decoders: each frame's numbers equal the record.
final class SimulatorFormatTests: XCTestCase {
    private func options(_ detector: SimulationOptions.Detector, _ format: WireFormat, _ encoding: PayloadEncoding,
                         _ type: PixelType? = nil, size: (Int, Int)? = nil, frames: Int = 4) -> SimulationOptions {
        var o = SimulationOptions()
        o.detector = detector
        o.format = format
        o.encoding = encoding
        o.pixelType = type
        o.size = size.map { (width: $0.0, height: $0.1) }
        o.frames = frames
        o.rate = 200
        o.seed = 7
        return o
    }

    /// Runs, then checks every frame against the record, the shape, type, encoding and numbering,
    /// and that FormatDetector names the format from the first message.
    @discardableResult
    private func roundTrip(_ o: SimulationOptions, decoder: inout some StreamDecoder,
                           file: StaticString = #filePath, line: UInt = #line) throws -> SimulatorHarness.Received {
        var o = o
        let record = SimulatorHarness.temporaryPath("rec-\(o.resolvedFormat.name)-\(o.resolvedEncoding.name)-\(o.resolvedPixelType.name).jsonl")
        defer { unlink(record) }
        o.record = record
        let (got, summary) = try SimulatorHarness.run(o, decoder: &decoder)
        let frames = o.frames ?? 0
        XCTAssertEqual(summary.framesSent, UInt64(frames), file: file, line: line)
        XCTAssertEqual(got.bad, [], file: file, line: line)
        XCTAssertEqual(got.frames.count, frames, file: file, line: line)
        let (w, h) = o.resolvedSize
        for f in got.frames {
            XCTAssertEqual(f.descriptor.width, w, file: file, line: line)
            XCTAssertEqual(f.descriptor.height, h, file: file, line: line)
            XCTAssertEqual(f.descriptor.pixelType, o.resolvedPixelType, file: file, line: line)
            XCTAssertEqual(f.descriptor.encoding, o.resolvedEncoding, file: file, line: line)
            XCTAssertEqual(f.descriptor.byteCount, f.payload.count, file: file, line: line)
        }
        let lines = try SimulatorHarness.recordLines(record)
        XCTAssertEqual(lines.map(\.frame), got.frames.map(\.descriptor.frameNumber), file: file, line: line)
        XCTAssertEqual(lines.map(\.statistics), got.frames.map { .init($0.statistics) }, file: file, line: line)
        XCTAssertTrue(got.frames.allSatisfy { $0.statistics.sum > 0 }, "frames are not empty", file: file, line: line)
        let views = got.firstMessage.map { bytes in bytes.withUnsafeBytes { $0 } }
        withExtendedLifetime(got.firstMessage) {
            XCTAssertEqual(FormatDetector.detect(views), o.resolvedFormat, file: file, line: line)
        }
        if o.resolvedFormat != .array {
            XCTAssertEqual(got.ends.count, 1, file: file, line: line)
            XCTAssertEqual(got.ends.first?.1, UInt64(frames), file: file, line: line)
        }
        return got
    }

    func testSimplonBitshuffleUint16WithHeaderDetailAllCarriesTheGapAndHotPixelMask() throws {
        var o = options(.eiger, .simplon, .bitshuffleLZ4, .uint16, size: (512, 512))
        o.headerDetail = .all
        var decoder = SimplonStreamDecoder(maxFrameBytes: 1 << 24)
        let got = try roundTrip(o, decoder: &decoder)
        XCTAssertEqual(got.frames.map(\.descriptor.frameNumber), [0, 1, 2, 3])
        XCTAssertEqual(decoder.pixelMaskShape, [512, 512])
        let scene = EigerScene(options: { var e = EigerScene.Options(); e.seed = 7; e.width = 512; e.height = 512; e.pixelType = .uint16; return e }())
        XCTAssertEqual(decoder.pixelMask, scene.pixelMask)
        XCTAssertEqual(decoder.notes, [])
        XCTAssertEqual(got.starts.first?.detector, .eiger2)
        // Gaps, and the hot pixels outside them, which only the mask marks.
        let masked = Set(scene.maskedIndices).count
        XCTAssertGreaterThan(masked, EigerGeometry(width: 512, height: 512).gapPixelCount)
        XCTAssertTrue(got.frames.allSatisfy { $0.statistics.masked == masked }, "\(got.frames.map(\.statistics.masked)) vs \(masked)")
    }

    func testSimplonLZ4Uint8AndRawUint32Decode() throws {
        var decoder = SimplonStreamDecoder(maxFrameBytes: 1 << 24)
        try roundTrip(options(.eiger, .simplon, .lz4, .uint8, size: (300, 200)), decoder: &decoder)
        var raw = SimplonStreamDecoder(maxFrameBytes: 1 << 24)
        var o = options(.eiger, .simplon, .raw, .uint32, size: (256, 128))
        o.headerDetail = .none
        try roundTrip(o, decoder: &raw)
    }

    func testStream2BitshuffleUint32AndFramedLZ4Uint16AndRawUint8Decode() throws {
        for (encoding, type) in [(PayloadEncoding.bitshuffleLZ4, PixelType.uint32), (.lz4, .uint16), (.raw, .uint8)] {
            var decoder = Stream2Decoder(maxFrameBytes: 1 << 24)
            let got = try roundTrip(options(.eiger, .stream2, encoding, type, size: (320, 240)), decoder: &decoder)
            XCTAssertEqual(got.starts.first?.metadata["image_size_x"], "320")
            XCTAssertEqual(got.starts.first?.metadata["saturation_value"], String(type.allOnes - 1))
            if encoding == .lz4 {
                // Real DECTRIS senders frame lz4 like bslz4: the decoded size comes first.
                let header = got.frames[0].payload.prefix(12)
                XCTAssertEqual(Array(header), [0, 0, 0, 0, 0, 2, 0x58, 0, 0, 0, 0x20, 0])
            }
        }
    }

    func testArrayRawAndBitshuffleDecode() throws {
        var decoder = ArrayStreamDecoder(maxFrameBytes: 1 << 24)
        let got = try roundTrip(options(.eiger, .array, .raw, .uint16, size: (200, 100)), decoder: &decoder)
        XCTAssertEqual(got.frames.map(\.descriptor.frameNumber), [0, 1, 2, 3])
        var bs = ArrayStreamDecoder(maxFrameBytes: 1 << 24)
        try roundTrip(options(.eiger, .array, .bitshuffleLZ4, .uint32, size: (200, 100)), decoder: &bs)
    }

    func testJungfrauInSlsAndStream2AndMoenchInArrayLZ4Decode() throws {
        var sls = SlsStreamDecoder(maxFrameBytes: 1 << 24)
        let got = try roundTrip(options(.jungfrau, .sls, .raw), decoder: &sls)
        XCTAssertEqual(got.starts.first?.detector, .jungfrau)
        XCTAssertEqual(got.frames.map(\.descriptor.frameNumber), [1, 2, 3, 4])
        var s2 = Stream2Decoder(maxFrameBytes: 1 << 24)
        try roundTrip(options(.jungfrau, .stream2, .bitshuffleLZ4, frames: 3), decoder: &s2)
        var array = ArrayStreamDecoder(maxFrameBytes: 1 << 24)
        try roundTrip(options(.moench, .array, .lz4, frames: 3), decoder: &array)
    }

    func testEigerDefaultsToSimplonBitshuffleAndSlsRefusesCompression() throws {
        var o = SimulationOptions()
        o.detector = .eiger
        XCTAssertEqual(o.resolvedFormat, .simplon)
        XCTAssertEqual(o.resolvedEncoding, .bitshuffleLZ4)
        XCTAssertEqual(o.endpoint, "tcp://127.0.0.1:9999")
        XCTAssertEqual(o.resolvedPixelType, .uint16)
        o.size = SimulationOptions.parseSize("4M")
        XCTAssertEqual(o.resolvedPixelType, .uint32)
        XCTAssertEqual(o.resolvedSize.width, 2068)
        o.format = .stream2
        XCTAssertEqual(o.endpoint, "tcp://127.0.0.1:31001")
        var m = SimulationOptions()
        XCTAssertEqual(m.resolvedFormat, .sls)
        XCTAssertEqual(m.resolvedEncoding, .raw)
        m.encoding = .lz4
        XCTAssertThrowsError(try m.validate()) { error in
            XCTAssertTrue("\(error)".contains("the sls format sends raw pixels only"), "\(error)")
        }
        XCTAssertNil(SimulationOptions.parseSize("12x"))
        XCTAssertEqual(SimulationOptions.parseSize("640x480").map { [$0.width, $0.height] }, [640, 480])
    }

    func testStopRequestOnAPushStreamStillSendsTheSeriesEnd() throws {
        let context = try ZMQContext()
        let pull = try ZMQSocket(context, .pull)
        defer { pull.close() }
        try pull.bind("tcp://127.0.0.1:*")
        var o = options(.eiger, .stream2, .bitshuffleLZ4, .uint16, size: (128, 128))
        o.frames = nil
        o.rate = 100
        o.connect = try pull.lastEndpoint
        let stop = StopSignal()
        let outcome = SimulatorHarness.start(o, stop: stop)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { stop.request() }
        var decoder = Stream2Decoder(maxFrameBytes: 1 << 24)
        var frames: UInt64 = 0, ended: UInt64?
        try pull.setReceiveTimeout(milliseconds: 10_000)
        while ended == nil, let message = try pull.receive() {
            let bytes = message.bytes
            bytes.withUnsafeBytes { b in
                decoder.consume([b]) { event in
                    if case .frame = event { frames += 1 }
                    if case .seriesEnd(_, let n) = event { ended = n }
                }
            }
        }
        let summary = try SimulatorHarness.finish(outcome)
        XCTAssertGreaterThan(summary.framesSent, 3)
        XCTAssertEqual(frames, summary.framesSent)
        XCTAssertEqual(ended, summary.framesSent)
    }
}
