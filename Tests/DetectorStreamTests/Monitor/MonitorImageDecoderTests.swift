@testable import DetectorStream
import XCTest

/// Monitor images become the events every stream gives: a series per shape and type, frames
/// numbered by a counter, a bad frame with the reader's reason for a body that is no usable TIFF.
final class MonitorImageDecoderTests: XCTestCase {
    private enum Seen: Equatable {
        case start(series: UInt64, width: Int, height: Int, type: PixelType)
        case frame(series: UInt64, number: UInt64, index: UInt64, bigEndian: Bool, payload: [UInt8])
        case end(series: UInt64, frames: UInt64)
        case bad(String)
    }

    private func feed(_ decoder: inout MonitorImageDecoder, _ bytes: [UInt8]) -> [Seen] {
        var seen: [Seen] = []
        bytes.withUnsafeBytes { body in
            decoder.consume([body]) { event in
                switch event {
                case .seriesStart(let info):
                    XCTAssertEqual(info.format, .monitor)
                    XCTAssertEqual(info.metadata["source"], "http://dcu/monitor/api/1.8.0/images/monitor")
                    seen.append(.start(series: info.series, width: info.width, height: info.height, type: info.pixelType))
                case .frame(let frame, let payload):
                    XCTAssertEqual(frame.encoding, .raw)
                    XCTAssertEqual(frame.byteCount, payload.count)
                    seen.append(.frame(series: frame.series, number: frame.frameNumber, index: frame.frameIndex,
                                       bigEndian: frame.bigEndian, payload: Array(payload)))
                case .seriesEnd(let series, let frames): seen.append(.end(series: series, frames: frames))
                case .bad(let error): seen.append(.bad(error.message))
                case .gap, .pixelMask: XCTFail("unexpected \(event)")
                }
            }
        }
        return seen
    }

    func testASeriesPerShapeAndFramesNumberedByACounter() {
        var decoder = MonitorImageDecoder(maxFrameBytes: 1 << 20, source: "http://dcu/monitor/api/1.8.0/images/monitor")
        let a = TestTiff.uint16([1, 2, 3, 4], width: 2, height: 2).bytes
        let b = TestTiff.uint16([5, 6, 7, 8], width: 2, height: 2, bigEndian: true).bytes
        let wide = TestTiff.uint8([9, 9, 9], width: 3, height: 1).bytes
        XCTAssertEqual(feed(&decoder, a), [.start(series: 1, width: 2, height: 2, type: .uint16),
                                           .frame(series: 1, number: 1, index: 0, bigEndian: false, payload: [1, 0, 2, 0, 3, 0, 4, 0])])
        XCTAssertEqual(feed(&decoder, b), [.frame(series: 1, number: 2, index: 1, bigEndian: true, payload: [0, 5, 0, 6, 0, 7, 0, 8])])
        XCTAssertEqual(feed(&decoder, wide), [.end(series: 1, frames: 2), .start(series: 2, width: 3, height: 1, type: .uint8),
                                              .frame(series: 2, number: 3, index: 0, bigEndian: false, payload: [9, 9, 9])])
    }

    func testIdleEndsTheSeriesAndTheNextImageStartsAnother() {
        var decoder = MonitorImageDecoder(maxFrameBytes: 1 << 20, source: "http://dcu/monitor/api/1.8.0/images/monitor")
        let image = TestTiff.uint8([1, 2], width: 2, height: 1).bytes
        _ = feed(&decoder, image)
        XCTAssertTrue(decoder.seriesOpen)
        var ended: [Seen] = []
        decoder.idle { if case .seriesEnd(let s, let n) = $0 { ended.append(.end(series: s, frames: n)) } }
        XCTAssertEqual(ended, [.end(series: 1, frames: 1)])
        XCTAssertFalse(decoder.seriesOpen)
        XCTAssertEqual(feed(&decoder, image), [.start(series: 2, width: 2, height: 1, type: .uint8),
                                               .frame(series: 2, number: 2, index: 0, bigEndian: false, payload: [1, 2])])
    }

    func testABodyThatIsNoTiffIsABadFrameAndTheSeriesGoesOn() {
        var decoder = MonitorImageDecoder(maxFrameBytes: 1 << 20, source: "http://dcu/monitor/api/1.8.0/images/monitor")
        _ = feed(&decoder, TestTiff.uint8([1, 2], width: 2, height: 1).bytes)
        XCTAssertEqual(feed(&decoder, Array("{\"value\": []}".utf8)),
                       [.bad("monitor image: not a TIFF: it starts with 7b 22 76 61, not II or MM")])
        XCTAssertEqual(feed(&decoder, TestTiff.uint8([3, 4], width: 2, height: 1).bytes),
                       [.frame(series: 1, number: 2, index: 1, bigEndian: false, payload: [3, 4])])
    }

    func testAnImageAboveTheFrameLimitIsABadFrame() {
        var decoder = MonitorImageDecoder(maxFrameBytes: 4, source: "http://dcu/monitor/api/1.8.0/images/monitor")
        XCTAssertEqual(feed(&decoder, TestTiff.uint16([1, 2, 3], width: 3, height: 1).bytes),
                       [.bad("monitor image: TIFF image of 3×1 uint16 exceeds --max-frame-bytes 4")])
    }
}
