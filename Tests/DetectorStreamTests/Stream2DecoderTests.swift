import DetectorStream
import XCTest

/// Hand-made stream v2 messages, built with `CBORTestItem`.
final class Stream2DecoderTests: XCTestCase {
    static func start(series: UInt64 = 7, width: Int = 3, height: Int = 2, dtype: String = "uint16",
                      channels: [String] = ["threshold_1"]) -> [UInt8] {
        CBORTestItem.tag(55799, .map([
            ("type", .text("start")), ("series_id", .u(series)), ("series_unique_id", .text("U\(series)")),
            ("image_size_x", .u(UInt64(width))), ("image_size_y", .u(UInt64(height))), ("image_dtype", .text(dtype)),
            ("number_of_images", .u(10)), ("count_time", .f64(0.001)), ("beam_center_x", .f64(512.5)),
            ("incident_wavelength", .f64(1.0)), ("channels", .array(channels.map { .text($0) })),
            ("threshold_energy", .map(channels.map { ($0, .f64(6000)) })),
            ("pixel_mask", .map(channels.map { ($0, .tag(40, .array([.array([.u(UInt64(height)), .u(UInt64(width))]),
                                                                        .tag(70, .bytes([UInt8](repeating: 0, count: width * height * 4)))]))) })),
            ("series_date", .tag(0, .text("2023-02-09T13:37:11+01:00"))),
            ("unknown_future_key", .array([.map([("x", .bytes([1]))])])),
        ])).encoded
    }

    static func pixels(_ width: Int, _ height: Int, seed: Int = 1) -> [UInt8] {
        (0..<(width * height)).flatMap { i -> [UInt8] in let v = UInt16(truncatingIfNeeded: i &* 37 &+ seed); return [UInt8(v & 0xFF), UInt8(v >> 8)] }
    }

    static func rawArray(_ width: Int, _ height: Int, tag: UInt64 = 69, bytes: [UInt8]? = nil, seed: Int = 1) -> CBORTestItem {
        .tag(40, .array([.array([.u(UInt64(height)), .u(UInt64(width))]), .tag(tag, .bytes(bytes ?? pixels(width, height, seed: seed)))]))
    }

    static func image(series: UInt64 = 7, id: UInt64, channels: [(String, CBORTestItem)], extra: [(String, CBORTestItem)] = []) -> [UInt8] {
        CBORTestItem.tag(55799, .map([
            ("type", .text("image")), ("series_id", .u(series)), ("series_unique_id", .text("U\(series)")), ("image_id", .u(id)),
            ("real_time", .array([.u(1000), .u(1_000_000)])), ("data", .map(channels)),
        ] + extra)).encoded
    }

    static func end(series: UInt64 = 7) -> [UInt8] {
        CBORTestItem.map([("type", .text("end")), ("series_id", .u(series)), ("series_unique_id", .text("U\(series)"))]).encoded
    }

    private func decoder(channel: String? = nil) -> Stream2Decoder { Stream2Decoder(maxFrameBytes: 1 << 20, channel: channel) }

    func testStartAnnouncesTheSeriesWithItsScalarMetadata() {
        var d = decoder()
        let events = feed(&d, [[Self.start()]])
        guard events.count == 1, case .seriesStart(let info) = events[0] else { return XCTFail("\(events)") }
        XCTAssertEqual(info.format, .stream2)
        XCTAssertEqual(info.series, 7)
        XCTAssertEqual([info.width, info.height], [3, 2])
        XCTAssertEqual(info.pixelType, .uint16)
        XCTAssertEqual(info.metadata["series_unique_id"], "U7")
        XCTAssertEqual(info.metadata["number_of_images"], "10")
        XCTAssertEqual(info.metadata["count_time"], "0.001")
        XCTAssertEqual(info.metadata["beam_center_x"], "512.5")
        XCTAssertEqual(info.metadata["channels"], "threshold_1")
        XCTAssertEqual(info.metadata["threshold_energy.threshold_1"], "6000.0")
        XCTAssertEqual(info.metadata["series_date"], "2023-02-09T13:37:11+01:00")
        XCTAssertNil(info.metadata["pixel_mask"])
        XCTAssertNil(info.metadata["pixel_mask.threshold_1"])
        XCTAssertNil(info.metadata["type"])
        XCTAssertNil(info.metadata["unknown_future_key"])
    }

    func testRawLittleEndianUInt16ImageIsPassedOnAsItsOwnBytes() {
        var d = decoder()
        let events = feed(&d, [[Self.start()], [Self.image(id: 0, channels: [("threshold_1", Self.rawArray(3, 2))])], [Self.end()]])
        XCTAssertEqual(events.count, 3, "\(events)")
        XCTAssertEqual(events[1], .frame(FrameDescriptor(series: 7, frameNumber: 0, frameIndex: 0, width: 3, height: 2, pixelType: .uint16,
                                                         encoding: .raw, byteCount: 12, complete: true), payload: Self.pixels(3, 2)))
        XCTAssertEqual(events[2], .seriesEnd(series: 7, frames: 1))
        XCTAssertEqual(d.frames, 1)
        XCTAssertEqual(d.bad, 0)
    }

    func testTypedArrayTagGivesThePixelType() {
        let cases: [(UInt64, PixelType, Int)] = [(64, .uint8, 1), (68, .uint8, 1), (69, .uint16, 2), (70, .uint32, 4)]
        for (tag, type, size) in cases {
            var d = decoder()
            let array = Self.rawArray(4, 2, tag: tag, bytes: [UInt8](repeating: 3, count: 8 * size))
            let frames = feed(&d, [[Self.image(id: 5, channels: [("t", array)])]]).compactMap(\.frameDescriptor)
            XCTAssertEqual(frames.map(\.pixelType), [type], "tag \(tag)")
            XCTAssertEqual(frames.map(\.byteCount), [8 * size])
        }
    }

    func testHalfAndQuadPrecisionFloatsAreReportedByName() {
        for (tag, name, size) in [(UInt64(84), "float16", 2), (80, "big-endian float16", 2), (87, "float128", 16), (83, "big-endian float128", 16)] {
            var d = decoder()
            let events = feed(&d, [[Self.image(id: 0, channels: [("t", Self.rawArray(2, 2, tag: tag, bytes: [UInt8](repeating: 0, count: 4 * size)))])]])
            XCTAssertEqual(events.map(\.badError?.kind), [.unsupported], "tag \(tag)")
            XCTAssertTrue(events.first?.badError?.message.contains("pixel type \(name) not supported") == true, "\(events)")
        }
    }

    func testCompressedChannelKeepsItsPayloadEncodedAndChecksTheDecodedSize() {
        var header = [UInt8](repeating: 0, count: 12)
        header[7] = 24    // 3 × 2 × uint32
        header[10] = 0x20 // block size 8192
        let payload = header + [9, 8, 7, 6]
        for (algorithm, size, encoding) in [("bslz4", UInt64(4), PayloadEncoding.bitshuffleLZ4), ("lz4", 0, .lz4)] {
            var d = decoder()
            let array: CBORTestItem = .tag(40, .array([.array([.u(2), .u(3)]), .tag(70, .tag(56500, .array([.text(algorithm), .u(size), .bytes(payload)])))]))
            let events = feed(&d, [[Self.image(id: 1, channels: [("t", array)])]])
            XCTAssertEqual(events.last, .frame(FrameDescriptor(series: 7, frameNumber: 1, frameIndex: 1, width: 3, height: 2, pixelType: .uint32,
                                                               encoding: encoding, byteCount: 16, complete: true), payload: payload), algorithm)
        }
    }

    func testChannelParameterChoosesTheFrameAndChannelsAreListed() {
        let channels: [(String, CBORTestItem)] = [("threshold_1", Self.rawArray(3, 2, seed: 1)), ("threshold_2", Self.rawArray(3, 2, seed: 2)),
                                                  ("difference", Self.rawArray(3, 2, seed: 3))]
        for (choice, seed) in [(nil, 1), ("threshold_1", 1), ("threshold_2", 2), ("difference", 3)] as [(String?, Int)] {
            var d = decoder(channel: choice)
            let events = feed(&d, [[Self.image(id: 0, channels: channels)]])
            guard case .seriesStart(let info) = events.first, case .frame(_, let payload) = events.last else { return XCTFail("\(events)") }
            XCTAssertEqual(info.metadata["channels"], "threshold_1,threshold_2,difference")
            XCTAssertEqual(payload, Self.pixels(3, 2, seed: seed), "\(String(describing: choice))")
        }
        var d = decoder(channel: "threshold_9")
        let error = feed(&d, [[Self.image(id: 0, channels: channels)]]).first?.badError
        XCTAssertEqual(error?.kind, .missingData)
        XCTAssertTrue(error?.message.contains("threshold_1, threshold_2, difference") == true, "\(String(describing: error))")
    }

    func testLateJoinerStartsASeriesFromTheImageAlone() {
        var d = decoder()
        let events = feed(&d, [[Self.image(series: 3, id: 41, channels: [("t", Self.rawArray(5, 4))])],
                               [Self.image(series: 3, id: 42, channels: [("t", Self.rawArray(5, 4))])]])
        guard events.count == 3, case .seriesStart(let info) = events[0] else { return XCTFail("\(events)") }
        XCTAssertEqual([info.series, UInt64(info.width), UInt64(info.height)], [3, 5, 4])
        XCTAssertEqual(info.metadata["late_join"], "true")
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.frameNumber), [41, 42])
        var idleEvents: [Recorded] = []
        d.idle { idleEvents.append(Recorded($0)) }
        XCTAssertEqual(idleEvents, [.seriesEnd(series: 3, frames: 2)])
        d.idle { idleEvents.append(Recorded($0)) }
        XCTAssertEqual(idleEvents.count, 1, "a second idle has nothing to end")
    }

    func testImageOfAnotherSeriesEndsTheOpenOne() {
        var d = decoder()
        let events = feed(&d, [[Self.start(series: 1)], [Self.image(series: 1, id: 0, channels: [("t", Self.rawArray(3, 2))])],
                               [Self.image(series: 2, id: 0, channels: [("t", Self.rawArray(3, 2))])], [Self.end(series: 2)], [Self.end(series: 2)]])
        let summary = events.map { e -> String in
            switch e {
            case .seriesStart(let i): "start \(i.series)"
            case .frame(let f, _): "frame \(f.series)"
            case .seriesEnd(let s, let n): "end \(s) \(n)"
            default: "\(e)"
            }
        }
        XCTAssertEqual(summary, ["start 1", "frame 1", "end 1 1", "start 2", "frame 2", "end 2 1"])
    }

    func testShapeChangeWithinASeriesRestartsIt() {
        var d = decoder()
        let events = feed(&d, [[Self.start()], [Self.image(id: 0, channels: [("t", Self.rawArray(4, 4))])]])
        XCTAssertEqual(events.count, 4, "\(events)")
        XCTAssertEqual(events[1], .seriesEnd(series: 7, frames: 0))
        guard case .seriesStart(let info) = events[2] else { return XCTFail() }
        XCTAssertEqual([info.width, info.height], [4, 4])
        XCTAssertEqual(info.metadata["number_of_images"], "10", "the start's metadata is kept")
    }

    func testStartWithoutShapeDefersTheSeriesStartToTheFirstImageWhichUsesItsDtype() {
        var d = decoder()
        let start = CBORTestItem.map([("type", .text("start")), ("series_id", .u(4)), ("image_dtype", .text("uint32"))]).encoded
        let bare = CBORTestItem.tag(40, .array([.array([.u(1), .u(2)]), .bytes([1, 0, 0, 0, 2, 0, 0, 0])]))
        let events = feed(&d, [[start], [Self.image(series: 4, id: 0, channels: [("t", bare)])]])
        XCTAssertEqual(events.count, 2, "\(events)")
        XCTAssertEqual(events.last?.frameDescriptor?.pixelType, .uint32)
        XCTAssertEqual(events.last?.frameDescriptor?.width, 2)
    }

    func testChunkedPayloadIsJoinedForTheFrame() {
        var d = decoder()
        let px = Self.pixels(3, 2)
        let chunked = CBORTestItem.raw([0x5F]) // indefinite byte string
        var raw: [UInt8] = []
        chunked.write(into: &raw)
        CBORTestItem.bytes(Array(px[0..<5])).write(into: &raw)
        CBORTestItem.bytes(Array(px[5...])).write(into: &raw)
        raw.append(0xFF)
        let array = CBORTestItem.tag(40, .array([.array([.u(2), .u(3)]), .tag(69, .raw(raw))]))
        let events = feed(&d, [[Self.image(id: 0, channels: [("t", array)])]])
        guard case .frame(let f, let payload)? = events.last else { return XCTFail("\(events)") }
        XCTAssertEqual(payload, px)
        XCTAssertEqual(f.byteCount, 12)
    }
}
