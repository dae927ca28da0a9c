import Ingest
import XCTest

/// The share of a PUSH sender's frames a PULL viewer gets, from the frame numbers it saw.
final class PullShareTests: XCTestCase {
    func testEveryOtherFrameIsAboutHalf() throws {
        var share = PullShare()
        share.seriesStarted(1)
        for frame in stride(from: 0, through: 98, by: 2) { share.received(series: 1, frameNumber: UInt64(frame)) }
        let estimate = try XCTUnwrap(share.estimate)
        XCTAssertEqual(estimate, PullShare.Estimate(series: 1, frames: 50, span: 99))
        XCTAssertEqual(estimate.fraction, 50.0 / 99.0, accuracy: 1e-12)
        XCTAssertEqual(estimate.percentText, "~51%")
    }

    func testTheWholeStreamIsAll() throws {
        var share = PullShare()
        for frame in 1...20 { share.received(series: 3, frameNumber: UInt64(frame)) }
        XCTAssertEqual(try XCTUnwrap(share.estimate).fraction, 1)
        XCTAssertEqual(try XCTUnwrap(share.estimate).percentText, "~100%")
    }

    func testOneFrameSaysNothingYet() {
        var share = PullShare()
        XCTAssertNil(share.estimate)
        share.received(series: 1, frameNumber: 10)
        XCTAssertNil(share.estimate, "one frame has no span to compare with")
    }

    func testFramesOutOfOrderWidenTheSpanBothWays() throws {
        var share = PullShare()
        for frame: UInt64 in [10, 4, 13, 7] { share.received(series: 1, frameNumber: frame) }
        XCTAssertEqual(share.estimate, PullShare.Estimate(series: 1, frames: 4, span: 10))
    }

    func testANewSeriesStartsAfreshAlsoWhenItsStartWentToTheOtherPuller() throws {
        var share = PullShare()
        for frame: UInt64 in [0, 3, 6, 9] { share.received(series: 1, frameNumber: frame) }
        XCTAssertEqual(try XCTUnwrap(share.estimate).frames, 4)
        // No start message: the first frame of series 2 begins it.
        share.received(series: 2, frameNumber: 0)
        share.received(series: 2, frameNumber: 1)
        XCTAssertEqual(share.estimate, PullShare.Estimate(series: 2, frames: 2, span: 2))
        share.seriesStarted(5)
        XCTAssertNil(share.estimate, "the started series has no frames yet")
    }
}
