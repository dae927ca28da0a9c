import DetectorStream
import Processing
import Viewer
import XCTest

final class ViewerStateEventTests: XCTestCase {
    private let initial = ViewerState(source: "tcp://host:9999")

    func testImageAutoscalesToTheHalfAndNinetyNinePointNinePercentiles() {
        let image = rampImage()
        let state = initial.reduced(.image(image))
        let expected = image.pixels.withUnsafeBufferPointer {
            FrameKernels.percentiles($0, ViewerState.Scale.quantiles)
        }
        XCTAssertEqual(ViewerState.Scale.lowPercentile, 0.5)
        XCTAssertEqual(ViewerState.Scale.highPercentile, 99.9)
        XCTAssertEqual(ViewerState.Scale.quantiles[0], 0.005, accuracy: 1e-12)
        XCTAssertEqual(ViewerState.Scale.quantiles[1], 0.999, accuracy: 1e-12)
        // Not the median and the maximum (what 0.5 and 99.9 passed as fractions gave).
        let finite = image.pixels.filter { !$0.isNaN }.sorted()
        XCTAssertLessThan(state.scale.high, finite[finite.count - 1])
        XCTAssertLessThan(state.scale.low, finite[finite.count / 2])
        XCTAssertEqual(state.scale.low, expected[0])
        XCTAssertEqual(state.scale.high, expected[1])
        XCTAssertEqual(state.image, image)
    }

    func testAutoscaleIgnoresNaNPixels() {
        // Without NaN-skipping the NaN bins would land in the limits.
        var values = [Float](repeating: .nan, count: 400)
        for i in stride(from: 0, to: 400, by: 4) { values[i] = Float(i) }
        let state = initial.reduced(.image(displayImage(values, width: 20)))
        let finite = values.filter { !$0.isNaN }
        let expected = finite.withUnsafeBufferPointer { FrameKernels.percentiles($0, ViewerState.Scale.quantiles) }
        XCTAssertFalse(state.scale.low.isNaN || state.scale.high.isNaN)
        XCTAssertEqual(state.scale.low, expected[0])
        XCTAssertEqual(state.scale.high, expected[1])
    }

    /// With the stream's saturation value known, saturated pixels stay out of autoscale:
    /// otherwise a few of them take the top of the scale and the frame looks black.
    func testSaturatedPixelsAreKeptOutOfAutoscale() {
        var values = (0..<400).map { Float($0 % 10) }
        for i in stride(from: 0, to: 400, by: 50) { values[i] = 65534 }   // 8 saturated pixels
        let info = SeriesInfo(format: .stream2, series: 1, width: 20, height: 20, pixelType: .uint16,
                              detector: .unnamed, metadata: ["saturation_value": "65534"])
        let withSaturation = initial.reduced(.seriesStarted(info)).reduced(.image(displayImage(values, width: 20)))
        XCTAssertLessThan(withSaturation.scale.high, 10, "the top of the scale is the brightest unsaturated pixel")
        let without = initial.reduced(.image(displayImage(values, width: 20)))
        XCTAssertEqual(without.scale.high, 65534, "without a known saturation value, the percentile lands on it")
    }

    func testAllMaskedImageKeepsThePreviousLimits() {
        var state = initial.reduced(.image(rampImage()))
        let before = state.scale
        state.reduce(.image(displayImage([Float](repeating: .nan, count: 16), width: 4)))
        XCTAssertEqual(state.scale, before)
    }

    func testFlatImageGetsAScaleOfWidthOne() {
        let state = initial.reduced(.image(displayImage([Float](repeating: 7, count: 16), width: 4)))
        XCTAssertEqual(state.scale.low, 7)
        XCTAssertEqual(state.scale.high, 8)
    }

    func testSeriesStartSetsTheSeriesAndClearsTheEnd() {
        let ended = initial.reduced(.seriesStarted(seriesInfo(series: 1)), .seriesEnded(series: 1, frames: 30))
        XCTAssertTrue(ended.seriesEnded)
        let state = ended.reduced(.seriesStarted(seriesInfo(series: 2, width: 1024, height: 512)))
        XCTAssertEqual(state.series, seriesInfo(series: 2, width: 1024, height: 512))
        XCTAssertFalse(state.seriesEnded)
        XCTAssertEqual(state.framesInSeries, 0)
        XCTAssertEqual(state.status?.severity, .info)
        XCTAssertEqual(state.status?.text, "series 2 started: 1024×512 uint16")
    }

    func testSeriesEndMarksTheSeriesEndedWithItsFrameCount() {
        let state = initial.reduced(.seriesStarted(seriesInfo(series: 4)), .seriesEnded(series: 4, frames: 300))
        XCTAssertTrue(state.seriesEnded)
        XCTAssertEqual(state.framesInSeries, 300)
        XCTAssertEqual(state.series?.series, 4, "the series stays shown")
        XCTAssertEqual(state.status?.text, "series 4 ended after 300 frames")
    }

    func testBadFrameShowsItsReasonAsAWarning() {
        let state = initial.reduced(.badFrame(reason: "sls: data part is 3 bytes, header says 8"))
        XCTAssertEqual(state.lastBadReason, "sls: data part is 3 bytes, header says 8")
        XCTAssertEqual(state.status?.text, "bad frame: sls: data part is 3 bytes, header says 8")
        XCTAssertEqual(state.status?.severity, .warning)
    }

    func testFrameGapsAddUp() {
        let state = initial.reduced(.frameGap(missing: 1), .frameGap(missing: 4))
        XCTAssertEqual(state.gaps, 5)
        XCTAssertEqual(state.status?.text, "frame gap: 4 frames missing")
        XCTAssertEqual(initial.reduced(.frameGap(missing: 1)).status?.text, "frame gap: 1 frame missing")
    }

    func testWorkerExitCountsARestartOnlyWhenRestarted() {
        let restarted = initial.reduced(.workerExited(index: 1, cause: "killed by Killed", restarted: true))
        XCTAssertEqual(restarted.restarts, 1)
        XCTAssertEqual(restarted.status?.text, "worker 1 killed by Killed; restarted")
        XCTAssertEqual(restarted.status?.severity, .warning)

        let leftDown = restarted.reduced(.workerExited(index: 2, cause: "exited with status 1", restarted: false))
        XCTAssertEqual(leftDown.restarts, 1)
        XCTAssertEqual(leftDown.status?.severity, .error)
        XCTAssertTrue(leftDown.status?.text.hasPrefix("worker 2 exited with status 1; left down") == true)
    }

    func testMessageBecomesTheStatus() {
        let state = initial.reduced(.message("receiver stopped", .error))
        XCTAssertEqual(state.status?.text, "receiver stopped")
        XCTAssertEqual(state.status?.severity, .error)
    }
}
