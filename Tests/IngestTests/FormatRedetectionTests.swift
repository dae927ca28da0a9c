import DetectorStream
@testable import Ingest
import XCTest

/// When a detected stream format is detected again: plain events in, the decision out.
final class FormatRedetectionTests: XCTestCase {
    private let start = StreamEvent.seriesStart(seriesInfo(series: 1))
    private let frame = StreamEvent.frame(
        FrameDescriptor(series: 1, frameNumber: 7, frameIndex: 0, width: 4, height: 3, pixelType: .uint16,
                        encoding: .raw, byteCount: 0, complete: true),
        payload: UnsafeRawBufferPointer(start: nil, count: 0))
    private let bad = StreamEvent.bad(StreamError(.missingKey, "sls: frame header has no \"bitmode\""))

    private func decision(forced: Bool = false, after events: [StreamEvent]) -> FormatRedetection {
        var redetection = FormatRedetection(isForced: forced)
        for event in events { redetection.observe(event) }
        return redetection
    }

    func testNothingIsDueWhileTheDecoderAcceptsFrames() {
        XCTAssertNil(decision(after: []).due)
        XCTAssertNil(decision(after: [start, frame, bad, frame, .gap(series: 1, missing: 2), frame]).due)
    }

    func testTheMessageAfterASeriesEndIsDetectedAgain() {
        XCTAssertEqual(decision(after: [start, frame, .seriesEnd(series: 1, frames: 1)]).due, .seriesEnded(1))
    }

    func testASeriesThatStartsRightAfterTheEndIsNotDetectedAgain() {
        // A shape change ends one series and starts the next within one message: same sender.
        XCTAssertNil(decision(after: [start, frame, .seriesEnd(series: 1, frames: 1), start]).due)
    }

    func testFiveRejectionsInARowAreDueFourAreNot() {
        XCTAssertNil(decision(after: [start, frame] + Array(repeating: bad, count: 4)).due)
        XCTAssertEqual(decision(after: [start, frame] + Array(repeating: bad, count: 5)).due, .rejected(5))
        XCTAssertEqual(FormatRedetection.rejectionLimit, 5)
    }

    func testAnAcceptedFrameEndsTheRunOfRejections() {
        let events = Array(repeating: bad, count: 4) + [frame] + Array(repeating: bad, count: 4)
        XCTAssertNil(decision(after: events).due)
        XCTAssertEqual(decision(after: events).rejectedInARow, 4)
    }

    func testRejectionsAfterASeriesEndNameTheRejections() {
        let events = [start, frame, .seriesEnd(series: 1, frames: 1)] + Array(repeating: bad, count: 5)
        XCTAssertEqual(decision(after: events).due, .rejected(5))
    }

    func testAForcedFormatIsNeverDetectedAgain() {
        let events = [start, frame, .seriesEnd(series: 1, frames: 1)] + Array(repeating: bad, count: 20)
        XCTAssertNil(decision(forced: true, after: events).due)
    }

    func testATriedDetectionCountsAfresh() {
        var redetection = decision(after: [start, frame, .seriesEnd(series: 1, frames: 1)] + Array(repeating: bad, count: 5))
        redetection.detectionTried()
        XCTAssertNil(redetection.due, "the detector saw the same format: decode on")
        for _ in 0..<4 { redetection.observe(bad) }
        XCTAssertNil(redetection.due)
        redetection.observe(bad)
        XCTAssertEqual(redetection.due, .rejected(5), "looked at again after another run")
    }
}
