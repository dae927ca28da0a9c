@testable import DetectorStream
import XCTest

final class SeriesTrackerTests: XCTestCase {
    private let shape = SeriesGeometry(width: 4, height: 2, pixelType: .uint16)

    /// The events as text, in order (StreamEvent holds payload pointers, so it is not Equatable).
    private func run(_ body: (inout SeriesTracker, (StreamEvent) -> Void) -> Void) -> (SeriesTracker, [String]) {
        var tracker = SeriesTracker()
        var events: [String] = []
        body(&tracker) { event in
            switch event {
            case .seriesEnd(let series, let frames): events.append("end \(series) \(frames)")
            case .gap(let series, let missing): events.append("gap \(series) \(missing)")
            default: events.append("other")
            }
        }
        return (tracker, events)
    }

    func testAJumpInTheFrameNumbersIsAGapBeforeTheFrameAndIndicesCountFromZero() {
        var indices: [UInt64] = []
        let (tracker, events) = run { t, emit in
            t.start(series: 7, geometry: shape)
            for number: UInt64 in [10, 11, 15, 16] { indices.append(t.count(frame: number, checkingGap: true, emit: emit)) }
            t.end(emit: emit)
        }
        XCTAssertEqual(events, ["gap 7 3", "end 7 4"])
        XCTAssertEqual(indices, [0, 1, 2, 3])
        XCTAssertEqual(tracker.frames, 4)
        XCTAssertEqual(tracker.gaps, 3)
        XCTAssertNil(tracker.open)
    }

    func testWithoutGapCheckingJumpsAreNotGapsButTheNumberIsStillTheLast() {
        let (tracker, events) = run { t, emit in
            t.start(series: 1, geometry: shape)
            t.count(frame: 0, checkingGap: false, emit: emit)
            t.count(frame: 9, checkingGap: false, emit: emit)
            XCTAssertEqual(t.open?.lastFrame, 9)
            t.count(frame: 12, checkingGap: true, emit: emit)
        }
        XCTAssertEqual(events, ["gap 1 2"], "only the checked frame's jump from 9 counts")
        XCTAssertEqual(tracker.gaps, 2)
    }

    func testEndingWithNothingOpenEmitsNothingAndANewSeriesCountsAfresh() {
        let (tracker, events) = run { t, emit in
            t.end(emit: emit)
            t.start(series: 1, geometry: shape)
            t.count(frame: 5, checkingGap: true, emit: emit)
            t.end(emit: emit)
            t.end(emit: emit)
            t.start(series: 2, geometry: shape)
            t.count(frame: 0, checkingGap: true, emit: emit)
            XCTAssertEqual(t.open?.frames, 1, "frames per series start at zero")
            t.end(emit: emit)
        }
        XCTAssertEqual(events, ["end 1 1", "end 2 1"], "no gap across series, one end each")
        XCTAssertEqual(tracker.frames, 2, "frames in all series")
    }

    func testCountingWithNoOpenSeriesCountsNothing() {
        let (tracker, events) = run { t, emit in _ = t.count(frame: 3, checkingGap: true, emit: emit) }
        XCTAssertEqual(events, [])
        XCTAssertEqual(tracker.frames, 0)
    }
}
