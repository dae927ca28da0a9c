import DetectorStream
import XCTest

/// The stream v2 start message's `pixel_mask`: its shown channel's mask is emitted once per
/// series, after the start and before the first frame; a mask that cannot be used is named in
/// the series metadata and never fails the series.
final class Stream2PixelMaskTests: XCTestCase {
    private let series = Stream2Encoder.Series(width: 4, height: 3, pixelType: .uint16)

    private func image(_ id: UInt64) -> [UInt8] {
        let pixels = [UInt8](repeating: 1, count: 4 * 3 * 2)
        return pixels.withUnsafeBytes {
            Stream2Encoder.image(series, imageID: id, payload: $0, encoding: .raw, startTime: 0, stopTime: 1)
        }
    }

    private func masks(_ events: [Recorded]) -> [(Int, UInt64, PixelMask)] {
        events.enumerated().compactMap { i, e in
            if case .pixelMask(let s, let m) = e { return (i, s, m) }
            return nil
        }
    }

    func testTheStartMessagesMaskIsEmittedOnceBeforeTheFirstFrame() {
        var flags = [UInt32](repeating: 0, count: 12)
        flags[0] = 1
        flags[7] = 0x10
        flags[11] = 0x8000_0000
        var d = Stream2Decoder(maxFrameBytes: 1 << 20)
        let events = feed(&d, [[Stream2Encoder.start(series, pixelMask: flags)], [image(0)], [image(1)]])
        let found = masks(events)
        XCTAssertEqual(found.count, 1, "\(events)")
        XCTAssertEqual(found.first?.1, series.seriesID)
        XCTAssertEqual(found.first?.2, PixelMask(width: 4, height: 3, indices: [0, 7, 11]))
        XCTAssertNotNil(events[0].seriesInfo, "series start first")
        XCTAssertEqual(found.first?.0, 1, "the mask right after the start, before any frame")
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 2)
    }

    func testAMaskOfTheWrongSizeIsNamedAndTheSeriesGoesOn() {
        var start = Stream2Encoder.start(series, pixelMask: [UInt32](repeating: 1, count: 12))
        // Claim a [3, 5] shape for the 12-element mask: dims [3, 4] (0x82 0x03 0x04) become [3, 5].
        let dims: [UInt8] = [0x82, 0x03, 0x04]
        let at = try! XCTUnwrap(lastRange(of: dims, in: start))
        start[at + 2] = 0x05
        var d = Stream2Decoder(maxFrameBytes: 1 << 20)
        let events = feed(&d, [[start], [image(0)]])
        XCTAssertTrue(masks(events).isEmpty)
        let note = events.first?.seriesInfo?.metadata["pixel_mask"] ?? ""
        XCTAssertTrue(note.hasPrefix("not used:") && note.contains("pixel_mask threshold_1"), note)
        XCTAssertEqual(d.bad, 0)
        XCTAssertEqual(events.compactMap(\.frameDescriptor).count, 1)
    }

    private func lastRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).last { Array(haystack[$0..<$0 + needle.count]) == needle }
    }
}
