import DetectorStream
import XCTest

final class SimplonStreamDecoderTests: XCTestCase {
    private func decoder() -> SimplonStreamDecoder { SimplonStreamDecoder(maxFrameBytes: 1 << 20) }

    func testBitshuffleFramePassesItsStillEncodedPayloadThrough() {
        var d = decoder()
        let p = Simplon.bitshufflePayload
        let events = feed(&d, [[Simplon.dheader(detail: "none")],
                               [Simplon.dimage(frame: 0), Simplon.dimageD(encoding: "bs16-lz4<", size: p.count), p, Simplon.dconfig]])
        XCTAssertEqual(events.count, 2, "\(events)")
        XCTAssertEqual(events.first?.seriesInfo?.series, 7)
        XCTAssertEqual(events.first?.seriesInfo?.format, .simplon)
        XCTAssertEqual(events.last, .frame(FrameDescriptor(series: 7, frameNumber: 0, frameIndex: 0, width: 4, height: 3,
                                                           pixelType: .uint16, encoding: .bitshuffleLZ4, byteCount: 21, complete: true),
                                           payload: p))
        XCTAssertEqual(Array(events.last?.framePayload?.prefix(12) ?? []), [0, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0x20, 0])
    }

    func testEveryEncodingNameMapsToItsPayloadEncoding() {
        let cases: [(String, PayloadEncoding, PixelType)] = [
            ("<", .raw, .uint16), ("lz4<", .lz4, .uint16), ("bs8-lz4<", .bitshuffleLZ4, .uint8),
            ("bs16-lz4<", .bitshuffleLZ4, .uint16), ("bs32-lz4<", .bitshuffleLZ4, .uint32),
        ]
        for (name, encoding, type) in cases {
            var d = decoder()
            let data = name == "<" ? payload(count: 24) : Simplon.bitshufflePayload
            let events = feed(&d, [[Simplon.dimage(frame: 3), Simplon.dimageD(type: type.name, encoding: name, size: data.count), data, Simplon.dconfig]])
            XCTAssertEqual(events.compactMap(\.frameDescriptor).first?.encoding, encoding, name)
            XCTAssertEqual(events.compactMap(\.frameDescriptor).first?.pixelType, type, name)
        }
    }

    func testBareLZ4BlockIsAcceptedWithoutASizePrefix() {
        var d = decoder()
        let block: [UInt8] = [0x1F, 0x07, 0x01, 0x00, 0x0F, 0x50, 0x07, 0x07, 0x07, 0x07, 0x07]
        let events = feed(&d, [[Simplon.dimage(frame: 0), Simplon.dimageD(encoding: "lz4<", size: block.count), block, Simplon.dconfig]])
        XCTAssertEqual(events.compactMap(\.framePayload), [block])
        XCTAssertEqual(d.bad, 0)
    }

    func testHeaderDetailBasicPutsTheConfigIntoTheSeriesInfo() {
        var d = decoder()
        let events = feed(&d, [[Simplon.dheader(detail: "basic"), Simplon.config], Simplon.rawImage(frame: 0)])
        let info = events.first?.seriesInfo
        XCTAssertEqual(info?.detector, .eiger2)
        XCTAssertEqual(info?.metadata["detector_number"], "E-08-0123")
        XCTAssertEqual(info?.metadata["nimages"], "100")
        XCTAssertEqual(info?.metadata["beam_center_y"], "1101.25")
        XCTAssertEqual(info?.metadata["header_detail"], "basic")
        XCTAssertEqual(d.bad, 0)
    }

    func testHeaderDetailNoneStartsTheSeriesAtTheFirstImage() {
        var d = decoder()
        let header = feed(&d, [[Simplon.dheader(detail: "none")]])
        XCTAssertEqual(header, [], "no geometry yet: the series starts with its first image")
        let events = feed(&d, [Simplon.rawImage(frame: 0)])
        XCTAssertEqual(events.first?.seriesInfo?.metadata["header_detail"], "none")
        XCTAssertEqual(events.first?.seriesInfo?.detector, .unnamed)
    }

    func testHeaderDetailAllKeepsAPixelMaskThatFitsItsShape() {
        var d = decoder()
        let events = feed(&d, [Simplon.headerAll(), Simplon.rawImage(frame: 0)])
        XCTAssertEqual(d.bad, 0, "\(events)")
        XCTAssertEqual(d.pixelMask, Simplon.maskValues)
        XCTAssertEqual(d.pixelMaskShape, [4, 3])
        XCTAssertEqual(d.notes, [])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 1)
    }

    func testTheMaskIsEmittedAfterTheSeriesStartAsMaskedIndices() {
        var d = decoder()
        let events = feed(&d, [Simplon.headerAll(), Simplon.rawImage(frame: 0), [Simplon.seriesEnd],
                               Simplon.headerAll(series: 8), Simplon.rawImage(series: 8, frame: 0)])
        let masks = events.enumerated().compactMap { i, e -> (Int, UInt64, PixelMask)? in
            if case .pixelMask(let s, let m) = e { return (i, s, m) }
            return nil
        }
        XCTAssertEqual(masks.map(\.1), [7, 8], "one mask per series, tagged with it")
        // maskValues flags pixel 1 (gap) and pixel 10 (noisy) of a 4×3 frame.
        XCTAssertEqual(masks.first?.2, PixelMask(width: 4, height: 3, indices: [1, 10]))
        for (index, series, _) in masks {
            XCTAssertEqual(events[index - 1].seriesInfo?.series, series, "the mask follows its series start")
        }
    }

    func testAPixelMaskOfFlagsOfTheWrongCountIsNoMask() {
        XCTAssertNil(PixelMask(width: 4, height: 3, flags: [1, 0]))
        XCTAssertNil(PixelMask(width: -2, height: -3, flags: [0, 0, 0, 0, 0, 0]))
        XCTAssertEqual(PixelMask(width: 2, height: 1, flags: [0, 7])?.indices, [1])
    }

    func testHeaderDetailAllWithAnAppendixPartIsAccepted() {
        var d = decoder()
        _ = feed(&d, [Simplon.headerAll() + [bytes("{\"user\":\"appendix\"}")]])
        XCTAssertEqual(d.bad, 0)
        XCTAssertEqual(d.pixelMask, Simplon.maskValues)
    }

    func testPlaceholderDetailPartsAreIgnoredWithOneNoteEach() {
        var d = decoder()
        _ = feed(&d, [Simplon.headerAll(mask: bytes("pixel_mask"), flatfield: bytes("flatfield")), Simplon.rawImage(frame: 0),
                      [Simplon.seriesEnd],
                      Simplon.headerAll(series: 8, mask: bytes("pixel_mask"), flatfield: bytes("flatfield")), Simplon.rawImage(series: 8, frame: 0)])
        XCTAssertEqual(d.bad, 0)
        XCTAssertNil(d.pixelMask)
        XCTAssertEqual(d.notes.count, 2, "\(d.notes)")
        XCTAssertTrue(d.notes.contains { $0.contains("pixel mask") && $0.contains("10 bytes") }, "\(d.notes)")
        XCTAssertTrue(d.notes.contains { $0.contains("flatfield") }, "\(d.notes)")
        XCTAssertEqual(d.frames, 2)
    }

    func testPixelMaskOfAnotherShapeThanTheImagesIsDropped() {
        var d = decoder()
        let bigMask = [UInt8](repeating: 0, count: 8 * 3 * 4)
        var header = Simplon.headerAll()
        header[4] = bytes("{\"htype\":\"dpixelmask-1.0\",\"shape\":[8,3],\"type\":\"uint32\"}")
        header[5] = bigMask
        _ = feed(&d, [header])
        XCTAssertEqual(d.pixelMaskShape, [8, 3])
        _ = feed(&d, [Simplon.rawImage(frame: 0)])
        XCTAssertNil(d.pixelMask)
        XCTAssertEqual(d.notes.count, 1)
        XCTAssertTrue(d.notes[0].contains("8×3") && d.notes[0].contains("4×3"), d.notes[0])
    }

    func testHeaderAndConfigAsSeparateSinglePartMessagesMatchMultipart() {
        var multi = decoder(), separate = decoder()
        let multiEvents = feed(&multi, [[Simplon.dheader(detail: "basic"), Simplon.config], Simplon.rawImage(frame: 0), [Simplon.seriesEnd]])
        let separateEvents = feed(&separate, [[Simplon.dheader(detail: "basic")], [Simplon.config], Simplon.rawImage(frame: 0), [Simplon.seriesEnd]])
        XCTAssertEqual(multiEvents, separateEvents)
        XCTAssertEqual(separateEvents.first?.seriesInfo?.detector, .eiger2)
        XCTAssertEqual(separate.bad, 0)
    }

    func testHeaderDetailAllAsSeparateSinglePartMessagesKeepsTheMask() {
        var d = decoder()
        let parts = Simplon.headerAll()
        _ = feed(&d, parts.map { [$0] })
        XCTAssertEqual(d.bad, 0)
        XCTAssertEqual(d.pixelMask, Simplon.maskValues)
        XCTAssertEqual(feed(&d, [Simplon.rawImage(frame: 0)]).first?.seriesInfo?.detector, .eiger2)
    }

    func testLateJoinerWithoutHeaderStillGetsFramesFromTheImageDescriptor() {
        var d = decoder()
        let events = feed(&d, [Simplon.rawImage(frame: 500), Simplon.rawImage(frame: 501)])
        let info = events.first?.seriesInfo
        XCTAssertEqual(info?.series, 7)
        XCTAssertEqual(info?.width, 4)
        XCTAssertEqual(info?.height, 3)
        XCTAssertEqual(info?.pixelType, .uint16)
        XCTAssertEqual(info?.metadata["header_detail"], "missed (joined late)")
        XCTAssertEqual(events.compactMap(\.frameDescriptor).map(\.frameNumber), [500, 501])
        XCTAssertEqual(d.gaps, 0, "the first frame seen is not a gap")
    }

    func testSeriesEndClosesTheSeriesWithItsFrameCount() {
        var d = decoder()
        let events = feed(&d, [[Simplon.dheader(detail: "none")], Simplon.rawImage(frame: 0), Simplon.rawImage(frame: 1),
                               [Simplon.seriesEnd], [Simplon.seriesEnd]])
        XCTAssertEqual(events.compactMap(\.seriesEnd), [[7, 2]], "a repeated end is harmless")
    }

    func testIdleEndsAnOpenSeriesOnce() {
        var d = decoder()
        _ = feed(&d, [Simplon.rawImage(frame: 0)])
        var ended: [StreamEvent] = []
        d.idle { ended.append($0) }
        d.idle { ended.append($0) }
        XCTAssertEqual(ended.map(Recorded.init), [.seriesEnd(series: 7, frames: 1)])
    }

    func testANewHeaderEndsASeriesWhoseEndWasLost() {
        var d = decoder()
        let events = feed(&d, [Simplon.rawImage(frame: 0), [Simplon.dheader(series: 8, detail: "none")], Simplon.rawImage(series: 8, frame: 0)])
        XCTAssertEqual(events.compactMap(\.seriesEnd), [[7, 1]])
        XCTAssertEqual(events.compactMap(\.seriesInfo).map(\.series), [7, 8])
    }

    func testShapeChangeStartsANewSeries() {
        var d = decoder()
        let wide = [Simplon.dimage(frame: 1), Simplon.dimageD(shape: "[6,2]", size: 24), payload(count: 24), Simplon.dconfig]
        let events = feed(&d, [Simplon.rawImage(frame: 0), wide])
        XCTAssertEqual(events.compactMap(\.seriesEnd), [[7, 1]])
        XCTAssertEqual(events.compactMap(\.seriesInfo).map(\.width), [4, 6])
    }

    func testKeysInAnyOrderWithAndWithoutSpacesDecodeAlike() {
        var plain = decoder(), spaced = decoder()
        let plainEvents = feed(&plain, [Simplon.rawImage(frame: 2)])
        let spacedMessage = [
            bytes("{ \"hash\" : \"d41d8cd98f00b204e9800998ecf8427e\", \"frame\": 2, \"series\": 7,\n \"htype\": \"dimage-1.0\" }"),
            bytes("{\"size\": 24, \"encoding\": \"<\", \"type\": \"uint16\", \"shape\": [ 4, 3 ], \"htype\": \"dimage_d-1.0\"}"),
            payload(count: 24),
            bytes("{\"real_time\": 10000000, \"stop_time\": 11000000, \"start_time\": 1000000, \"htype\": \"dconfig-1.0\"}"),
        ]
        let spacedEvents = feed(&spaced, [spacedMessage])
        XCTAssertEqual(plainEvents, spacedEvents)
        XCTAssertEqual(spaced.bad, 0)
    }

    func testImageWithAnAppendixPartDecodes() {
        var d = decoder()
        let events = feed(&d, [Simplon.rawImage(frame: 0) + [bytes("appendix text")]])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 1)
        XCTAssertEqual(d.bad, 0)
    }

    func testFrameJumpIsReportedAsAGap() {
        var d = decoder()
        let events = feed(&d, [Simplon.rawImage(frame: 0), Simplon.rawImage(frame: 4)])
        XCTAssertTrue(events.contains(.gap(series: 7, missing: 3)), "\(events)")
        XCTAssertEqual(d.gaps, 3)
    }

    func testBitshuffleElementSizeOverridesAMislabelledTypeWithANote() {
        var d = decoder()
        let p = Simplon.bitshufflePayload
        let events = feed(&d, [[Simplon.dimage(frame: 0), Simplon.dimageD(type: "uint16", encoding: "bs32-lz4<", size: p.count), p, Simplon.dconfig]])
        XCTAssertEqual(events.compactMap(\.frameDescriptor).first?.pixelType, .uint32)
        XCTAssertEqual(d.notes.count, 1)
        XCTAssertTrue(d.notes[0].contains("uint16") && d.notes[0].contains("uint32"), d.notes[0])
    }
}
