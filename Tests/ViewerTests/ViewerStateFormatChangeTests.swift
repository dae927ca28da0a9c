import DetectorStream
import Viewer
import XCTest

/// The status line after the stream's format was detected again: the receiver's info line is
/// replaced at once by the new series' start, so that start names the change.
final class ViewerStateFormatChangeTests: XCTestCase {
    private let initial = ViewerState(source: "tcp://host:30001")

    func testASeriesOfAnotherFormatSaysTheFormatChanged() {
        var array = seriesInfo(series: 2, width: 512, height: 512)
        array.format = .array
        let state = initial.reduced(.seriesStarted(seriesInfo(series: 1)), .seriesEnded(series: 1, frames: 12),
                                    .message("stream format: array (detected again after sls series 1 ended)", .info),
                                    .seriesStarted(array))
        XCTAssertEqual(state.status?.text, "series 2 started: 512×512 uint16; stream format now array (was sls)")
        XCTAssertEqual(state.series?.format, .array)
    }

    func testASeriesOfTheSameFormatSaysNothingOfFormats() {
        let state = initial.reduced(.seriesStarted(seriesInfo(series: 1)), .seriesStarted(seriesInfo(series: 2)))
        XCTAssertEqual(state.status?.text, "series 2 started: 400×200 uint16")
    }

    func testTheFirstSeriesSaysNothingOfFormats() {
        XCTAssertEqual(initial.reduced(.seriesStarted(seriesInfo(series: 1))).status?.text, "series 1 started: 400×200 uint16")
    }
}
