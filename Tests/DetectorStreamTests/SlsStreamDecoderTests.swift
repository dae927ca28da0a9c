import DetectorStream
import XCTest

final class SlsStreamDecoderTests: XCTestCase {
    private let endHeader = SlsHeader.endOfAcquisition(jsonVersion: 5).encoded(jsonVersion: 5)

    private func frameMessage(_ h: SlsHeader, seed: UInt8 = 7) -> [[UInt8]] {
        [h.encoded(jsonVersion: 5), payload(count: h.size, seed: seed)]
    }

    private func decoder() -> SlsStreamDecoder { SlsStreamDecoder(maxFrameBytes: 1 << 20) }

    func testMultipartFrameStartsASeriesAndCarriesItsPayload() {
        var d = decoder()
        let h = frameHeader(frameNumber: 41, frameIndex: 0)
        let events = feed(&d, [frameMessage(h)])
        XCTAssertEqual(events.count, 2)
        guard case .seriesStart(let info) = events[0] else { return XCTFail("\(events)") }
        XCTAssertEqual(info.series, 1)
        XCTAssertEqual(info.format, .sls)
        XCTAssertEqual(info.width, 4)
        XCTAssertEqual(info.height, 3)
        XCTAssertEqual(info.pixelType, .uint16)
        XCTAssertEqual(info.detector, .moench)
        XCTAssertEqual(info.metadata["fname"], "/data/run")
        XCTAssertEqual(events[1], .frame(FrameDescriptor(series: 1, frameNumber: 41, frameIndex: 0, width: 4, height: 3,
                                                         pixelType: .uint16, encoding: .raw, byteCount: 24, complete: true,
                                                         module: ModulePosition(row: 0, column: 0, gridColumns: 1, gridRows: 1,
                                                                                detectorType: 5)),
                                         payload: payload(count: 24)))
        XCTAssertEqual(d.frames, 1)
    }

    func testSeparateSinglePartHeaderAndDataGiveTheSameEventsAsMultipart() {
        var multi = decoder(), separate = decoder()
        let headers = (0..<3).map { frameHeader(frameNumber: 10 + UInt64($0), frameIndex: UInt64($0)) }
        let multiEvents = feed(&multi, headers.map { frameMessage($0) } + [[endHeader]])
        let separateEvents = feed(&separate, headers.flatMap { frameMessage($0).map { [$0] } } + [[endHeader]])
        XCTAssertEqual(multiEvents, separateEvents)
        XCTAssertEqual(separateEvents.compactMap(\.frameDescriptor).count, 3)
        XCTAssertEqual(separateEvents.last, .seriesEnd(series: 1, frames: 3))
        XCTAssertEqual(separate.bad, 0)
    }

    func testEndHeaderWithAllDefaultsIsAcceptedAndEndsTheSeries() {
        var d = decoder()
        let events = feed(&d, [frameMessage(frameHeader(frameNumber: 5, frameIndex: 0)), [endHeader]])
        XCTAssertEqual(events.last, .seriesEnd(series: 1, frames: 1))
        XCTAssertEqual(d.bad, 0, "bitmode 0 / shape [0, 0] / size 0 of the end header must not be validated")
    }

    func testRepeatedEndHeadersAreHarmless() {
        var d = decoder()
        let events = feed(&d, [frameMessage(frameHeader(frameNumber: 5, frameIndex: 0)), [endHeader], [endHeader], [endHeader]])
        XCTAssertEqual(events.filter { if case .seriesEnd = $0 { true } else { false } }.count, 1)
        XCTAssertEqual(events.filter { if case .seriesStart = $0 { true } else { false } }.count, 1)
        XCTAssertEqual(d.bad, 0)
    }

    func testEndHeaderSentWithDataFlagOnlyIsAccepted() {
        var d = decoder()
        let events = feed(&d, [frameMessage(frameHeader(frameNumber: 5, frameIndex: 0)), [bytes("{\"data\":0}")]])
        XCTAssertEqual(events.last, .seriesEnd(series: 1, frames: 1))
    }

    func testSeriesIsWhatLiesBetweenEndHeadersWhileFrameNumbersKeepCounting() {
        var d = decoder()
        var messages: [[[UInt8]]] = []
        for i in 0..<3 { messages.append(frameMessage(frameHeader(frameNumber: 100 + UInt64(i), frameIndex: UInt64(i)))) }
        messages.append([endHeader])
        for i in 0..<2 { messages.append(frameMessage(frameHeader(frameNumber: 103 + UInt64(i), frameIndex: UInt64(i)))) }
        messages.append([endHeader])
        let events = feed(&d, messages)
        let starts = events.compactMap { if case .seriesStart(let info) = $0 { info.series } else { nil } }
        XCTAssertEqual(starts, [1, 2])
        let ends = events.compactMap { if case .seriesEnd(let s, let n) = $0 { [s, n] } else { nil } }
        XCTAssertEqual(ends, [[1, 3], [2, 2]])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.series), [1, 1, 1, 2, 2])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.frameNumber), [100, 101, 102, 103, 104])
    }

    func testFrameIndexRestartingAtZeroStartsANewSeriesWhenTheEndHeaderWasLost() {
        var d = decoder()
        let events = feed(&d, [
            frameMessage(frameHeader(frameNumber: 1, frameIndex: 0)),
            frameMessage(frameHeader(frameNumber: 2, frameIndex: 1)),
            frameMessage(frameHeader(frameNumber: 3, frameIndex: 0)),
        ])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.series), [1, 1, 2])
        XCTAssertTrue(events.contains(.seriesEnd(series: 1, frames: 2)))
    }

    func testFrameIndexJumpIsReportedAsAGapWithTheMissingCount() {
        var d = decoder()
        let events = feed(&d, [0, 1, 5, 6, 9].map { frameMessage(frameHeader(frameNumber: 50 + $0, frameIndex: $0)) })
        let gaps = events.compactMap { if case .gap(_, let n) = $0 { n } else { nil } }
        XCTAssertEqual(gaps, [3, 2])
        XCTAssertEqual(d.gaps, 5)
        XCTAssertEqual(d.frames, 5)
    }

    func testIncompleteImageIsCountedAndFlagged() {
        var d = decoder()
        let events = feed(&d, [
            frameMessage(frameHeader(frameNumber: 1, frameIndex: 0, complete: false)),
            frameMessage(frameHeader(frameNumber: 2, frameIndex: 1)),
        ])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.complete), [false, true])
        XCTAssertEqual(d.incomplete, 1)
    }

    func testBitmodes8And16And32GivePixelTypesAndPayloadSizes() {
        for (bitmode, type, bytes) in [(8, PixelType.uint8, 12), (16, .uint16, 24), (32, .uint32, 48)] {
            var d = decoder()
            let events = feed(&d, [frameMessage(frameHeader(frameNumber: 1, frameIndex: 0, bitmode: bitmode))])
            let frame = events.compactMap(\.frameDescriptor).first
            XCTAssertEqual(frame?.pixelType, type)
            XCTAssertEqual(frame?.byteCount, bytes)
            XCTAssertEqual(d.bad, 0)
        }
    }

    /// Bitmode 4: two pixels per byte; the frame is uint8 to be unpacked by the workers.
    func testBitmode4IsAPackedUint8FrameOfHalfTheBytes() {
        var d = decoder()
        var h = frameHeader(frameNumber: 1, frameIndex: 0, width: 5, height: 3, bitmode: 4)
        h.size = 8   // 15 pixels, the last byte half used
        let events = feed(&d, [frameMessage(h)])
        let frame = events.compactMap(\.frameDescriptor).first
        XCTAssertEqual(frame?.pixelType, .uint8)
        XCTAssertEqual(frame?.encoding, .packed4)
        XCTAssertEqual(frame?.byteCount, 8)
        XCTAssertEqual(frame?.width, 5)
        XCTAssertEqual(d.bad, 0)
    }

    func testBitmode4WithTheUnpackedSizeIsASizeMismatch() {
        var d = decoder()
        var h = frameHeader(frameNumber: 1, frameIndex: 0, width: 4, height: 3, bitmode: 4)
        h.size = 12
        let events = feed(&d, [frameMessage(h)])
        guard case .bad(let error)? = events.first else { return XCTFail("\(events)") }
        XCTAssertEqual(error.kind, .sizeMismatch)
    }

    func testDataPartSizeMismatchIsBadWithBothSizes() {
        var d = decoder()
        var h = frameHeader(frameNumber: 1, frameIndex: 0, width: 400, height: 400)
        h.size = 320_000
        let events = feed(&d, [[h.encoded(jsonVersion: 5), payload(count: 80_000)]])
        XCTAssertEqual(events, [.bad(StreamError(.sizeMismatch, "sls: data part is 80000 bytes, header says 320000"))])
        XCTAssertEqual(d.bad, 1)
    }

    func testHeaderSizeDisagreeingWithShapeIsBad() {
        var d = decoder()
        var h = frameHeader(frameNumber: 1, frameIndex: 0)
        h.size = 20
        let events = feed(&d, [[h.encoded(jsonVersion: 5), payload(count: 20)]])
        XCTAssertEqual(events.first?.badError?.kind, .sizeMismatch)
        XCTAssertEqual(events.first?.badError?.message, "sls: size 20 does not match shape [4, 3] × 2 bytes = 24")
    }

    func testShapeBeyondMaxFrameBytesIsBadWithoutAllocating() {
        var d = SlsStreamDecoder(maxFrameBytes: 64 << 20)
        var h = frameHeader(frameNumber: 1, frameIndex: 0)
        h.shape = [100_000, 100_000]
        h.size = 2_000_000
        let events = feed(&d, [[h.encoded(jsonVersion: 5), payload(count: 16)]])
        XCTAssertEqual(events, [.bad(StreamError(.tooLarge, "sls: shape [100000, 100000] × 2 bytes exceeds the 64 MiB frame limit (--max-frame-bytes)"))])
    }

    func testOverflowingShapeIsBadNotATrap() {
        var d = decoder()
        let text = "{\"bitmode\":32, \"shape\":[9223372036854775807, 9223372036854775807], \"size\":4, \"data\":1}"
        let events = feed(&d, [[bytes(text), payload(count: 4)]])
        XCTAssertEqual(events.first?.badError?.kind, .tooLarge)
    }

    func testDataWithNoHeaderIsBad() {
        var d = decoder()
        let events = feed(&d, [[payload(count: 24)]])
        XCTAssertEqual(events, [.bad(StreamError(.unexpectedData, "sls: 24-byte data message with no header before it"))])
    }

    func testHeaderWithNoDataIsBadWhenTheNextHeaderArrives() {
        var d = decoder()
        let first = frameHeader(frameNumber: 7, frameIndex: 0)
        let second = frameHeader(frameNumber: 8, frameIndex: 1)
        let events = feed(&d, [[first.encoded(jsonVersion: 5)], frameMessage(second)])
        XCTAssertEqual(events.first, .bad(StreamError(.missingData, "sls: header of frame 7 came without its data")))
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.frameNumber), [8])
    }

    func testHeaderWithNoDataIsBadWhenTheEndHeaderArrives() {
        var d = decoder()
        let events = feed(&d, [frameMessage(frameHeader(frameNumber: 1, frameIndex: 0)),
                               [frameHeader(frameNumber: 2, frameIndex: 1).encoded(jsonVersion: 5)], [endHeader]])
        XCTAssertEqual(events.suffix(2), [.bad(StreamError(.missingData, "sls: header of frame 2 came without its data")),
                                          .seriesEnd(series: 1, frames: 1)])
    }

    func testPendingHeaderTakesItsDataEvenWhenTheDataStartsWithABrace() {
        var d = decoder()
        let h = frameHeader(frameNumber: 1, frameIndex: 0)
        var data = payload(count: h.size)
        data[0] = UInt8(ascii: "{")
        let events = feed(&d, [[h.encoded(jsonVersion: 5)], [data]])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 1)
        XCTAssertEqual(d.bad, 0)
    }

    func testIdleEndsTheOpenSeriesAndDropsAPendingHeader() {
        var d = decoder()
        _ = feed(&d, [frameMessage(frameHeader(frameNumber: 1, frameIndex: 0)), [frameHeader(frameNumber: 2, frameIndex: 1).encoded(jsonVersion: 5)]])
        var events: [Recorded] = []
        d.idle { events.append(Recorded($0)) }
        XCTAssertEqual(events, [.bad(StreamError(.missingData, "sls: header of frame 2 came without its data")),
                                .seriesEnd(series: 1, frames: 1)])
        events = []
        d.idle { events.append(Recorded($0)) }
        XCTAssertEqual(events, [], "a second idle has nothing to end")
    }

    func testGeometryChangeStartsANewSeries() {
        var d = decoder()
        let events = feed(&d, [frameMessage(frameHeader(frameNumber: 1, frameIndex: 0)),
                               frameMessage(frameHeader(frameNumber: 2, frameIndex: 1, width: 8, height: 8))])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.series), [1, 2])
    }

    func testMalformedHeadersAreBadWithClearMessages() {
        let cases: [(String, StreamError.Kind, String)] = [
            ("{\"data\":1, \"size\"", .truncated, "sls: JSON ends at byte 17 inside ':'"),
            ("{\"data\" 1}", .notJSON, "sls: expected ':' at byte 8, found '1'"),
            ("{\"bitmode\":16, \"shape\":[4, 3], \"data\":1}", .missingKey, "sls: frame header has no \"size\""),
            ("{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}", .tooDeep,
             "sls: nesting deeper than 8 at byte 12"),
        ]
        for (text, kind, message) in cases {
            var d = decoder()
            let events = feed(&d, [[bytes(text), payload(count: 24)]])
            XCTAssertEqual(events, [.bad(StreamError(kind, message))], text)
        }
    }

    func testNotJSONSingleMessageIsBad() {
        var d = decoder()
        let events = feed(&d, [[bytes("{not json at all")]])
        XCTAssertEqual(events.first?.badError?.kind, .notJSON)
        XCTAssertEqual(d.bad, 1)
    }

    func testUnescapedStringWithBackslashAndQuoteIsRead() {
        var d = decoder()
        var h = frameHeader(frameNumber: 1, frameIndex: 0)
        h.fname = "D:\\beam \"time\"\\run"
        let events = feed(&d, [frameMessage(h)])
        guard case .seriesStart(let info) = events.first else { return XCTFail("\(events)") }
        XCTAssertEqual(info.metadata["fname"], "D:\\beam \"time\"\\run")
    }

    func testThreePartMessageIsBad() {
        var d = decoder()
        let h = frameHeader(frameNumber: 1, frameIndex: 0)
        let events = feed(&d, [frameMessage(h) + [[1, 2, 3]]])
        XCTAssertEqual(events, [.bad(StreamError(.unexpectedData, "sls: message has 3 parts, expected header and data"))])
    }

    func testRowColumnDetshapeAndFlipRowsBecomeTheFramesModulePosition() {
        var d = decoder()
        var h = frameHeader(frameNumber: 3, frameIndex: 0)
        (h.row, h.column, h.detShape, h.flipRows, h.quad, h.detType, h.modId) = (1, 2, [4, 2], 1, 1, 1, 6)
        let events = feed(&d, [frameMessage(h)])
        XCTAssertEqual(events.last?.frameDescriptor?.module,
                       ModulePosition(row: 1, column: 2, gridColumns: 4, gridRows: 2, flipRows: true, quad: true,
                                      detectorType: 1, moduleID: 6))
    }
}
