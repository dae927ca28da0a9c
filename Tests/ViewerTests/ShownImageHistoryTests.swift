import Viewer
import XCTest

final class ShownImageHistoryTests: XCTestCase {
    private func frame(_ number: UInt64, width: Int = 4, height: Int = 2) -> DisplayImage {
        displayImage([Float](repeating: Float(number), count: width * height), width: width, frameNumber: number)
    }

    private func history(capacity: Int, frames: ClosedRange<UInt64>) -> ShownImageHistory {
        var history = ShownImageHistory(capacity: capacity)
        for n in frames { history.record(frame(n), at: n * 1_000_000) }
        return history
    }

    func testKeepsOnlyTheLastCapacityImagesNewestLast() {
        let history = history(capacity: 3, frames: 1...5)
        XCTAssertEqual(history.count, 3)
        XCTAssertEqual(history.newest?.image.frameNumber, 5)
        XCTAssertEqual(history.newest?.shownAtNanoseconds, 5_000_000)
        var paused = history
        paused.pause()
        paused.stepBack()
        paused.stepBack()
        XCTAssertEqual(paused.shown?.image.frameNumber, 3, "frames 1 and 2 fell out of a history of 3")
        XCTAssertFalse(paused.stepBack(), "no image older than the oldest held")
        XCTAssertEqual(paused.shown?.image.frameNumber, 3)
    }

    func testTheSameFrameReadAgainIsKeptOnce() {
        var history = ShownImageHistory(capacity: 8)
        history.record(frame(7), at: 1)
        history.record(frame(7), at: 2)
        history.record(frame(8), at: 3)
        XCTAssertEqual(history.count, 2)
        XCTAssertEqual(history.newest?.shownAtNanoseconds, 3)
    }

    func testStepsBackAndForwardAndCountsThePlaceFromTheOldest() {
        var history = history(capacity: 64, frames: 1...10)
        XCTAssertNil(history.shown, "live: nothing held")
        XCTAssertFalse(history.stepBack(), "live: the arrows do not step")
        XCTAssertTrue(history.pause())
        XCTAssertEqual(history.shown?.image.frameNumber, 10)
        XCTAssertEqual(history.shownPosition, 10)
        XCTAssertFalse(history.stepForward(), "the newest is already shown")
        for _ in 0..<3 { XCTAssertTrue(history.stepBack()) }
        XCTAssertEqual(history.shown?.image.frameNumber, 7)
        XCTAssertEqual(history.shownPosition, 7)
        XCTAssertTrue(history.stepForward())
        XCTAssertEqual(history.shown?.image.frameNumber, 8)
    }

    func testPausedTheHistoryRecordsNothingSoTheHeldPlaceStays() {
        var history = history(capacity: 4, frames: 1...4)
        history.pause()
        history.stepBack()
        for n: UInt64 in 5...20 { history.record(frame(n), at: n) }
        XCTAssertEqual(history.shown?.image.frameNumber, 3)
        XCTAssertEqual(history.newest?.image.frameNumber, 4)
    }

    func testLiveAgainShowsNothingHeldAndRecordsAgain() {
        var history = history(capacity: 4, frames: 1...4)
        history.pause()
        history.stepBack()
        history.goLive()
        XCTAssertFalse(history.isPaused)
        XCTAssertNil(history.shown)
        XCTAssertNil(history.shownPosition)
        history.record(frame(9), at: 9)
        XCTAssertEqual(history.newest?.image.frameNumber, 9)
        history.pause()
        XCTAssertEqual(history.shown?.image.frameNumber, 9, "a new pause holds the newest image")
    }

    func testNothingToPauseBeforeTheFirstImage() {
        var history = ShownImageHistory()
        XCTAssertEqual(history.capacity, ShownImageHistory.defaultCapacity)
        XCTAssertFalse(history.pause())
        XCTAssertFalse(history.isPaused)
    }

    func testMemoryIsBoundedByCapacityAndDisplaySize() {
        // A 200×60 screen's heatmap: 168 × 112 display pixels.
        var history = ShownImageHistory(capacity: 64)
        for n: UInt64 in 1...200 { history.record(frame(n, width: 168, height: 112), at: n) }
        XCTAssertEqual(history.count, 64)
        XCTAssertEqual(history.bytes, 64 * 168 * 112 * 4)
        let bound = ShownImageHistory.bytesBound(capacity: 64, displayWidth: 168, displayHeight: 112)
        XCTAssertLessThanOrEqual(history.bytes, bound)
        XCTAssertLessThan(bound, 6 << 20, "64 images at 200×60 stay near 5 MB")
    }
}
