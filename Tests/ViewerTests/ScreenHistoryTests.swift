import SharedMemory
import TerminalUI
import Viewer
import XCTest

/// The history strips and the pause line as drawn.
final class ScreenHistoryTests: XCTestCase {
    private func render(_ state: ViewerState, width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        Screen(state: state, glyphs: .unicode).render(into: &buffer)
        return buffer
    }

    private func row(_ buffer: Buffer, _ y: Int) -> String {
        String(String.UnicodeScalarView((0..<buffer.width).map { buffer[$0, y].symbol }))
    }

    /// 200×60 with the strips on and a minute of samples at 200 frames/s, one second missing.
    private func stripsState() -> ViewerState {
        var state = ViewerState(source: "demo").reduced(.resized(width: 200, height: 60), key("H"))
        var sample = CounterSample(timeNanoseconds: 0)
        sample.ring = SlotOccupancy(free: 16, filled: 16)
        for s: UInt64 in 0...61 where s != 40 {
            sample.timeNanoseconds = s * 1_000_000_000
            sample.received = 200 * s
            state.reduce(.sample(sample))
        }
        state.reduce(.image(rampImage()))
        return state
    }

    func testStripsSitUnderTheHeatmapWithTheirLabelsValuesAndGaps() throws {
        let state = stripsState()
        let buffer = render(state, width: 200, height: 60)
        let layout = ScreenLayout(width: 200, height: 60, stripRows: state.stripRows)
        let strips = try XCTUnwrap(layout.strips)
        XCTAssertEqual(strips.bottom, layout.status.y)
        XCTAssertEqual(layout.heatmap.bottom, strips.y, "the heatmap gives the strips its bottom rows")
        XCTAssertTrue(row(buffer, strips.y).contains("History, last 60 s"))
        let labels = (strips.y + 1..<strips.bottom).map { row(buffer, $0) }
        for (line, label) in zip(labels, ["frames/s", "MB/s", "drops/s", "ring fill", "load"]) {
            XCTAssertTrue(line.hasPrefix(" " + label), line)
        }
        let frames = labels[0]
        XCTAssertTrue(frames.contains("200     200 … 200"), frames)
        XCTAssertTrue(frames.contains("█·█"), "second 40 had no sample: \(frames)")
        XCTAssertTrue(labels[3].contains("50%     50% … 50%"), labels[3])
    }

    func testAt80By24TheStripsDoNotTakeTheHeatmapsRoom() {
        let state = stripsState().reduced(.resized(width: 80, height: 24))
        XCTAssertTrue(state.showsStrips)
        XCTAssertNil(ScreenLayout(width: 80, height: 24, stripRows: state.stripRows).strips)
        XCTAssertEqual(ScreenLayout(width: 80, height: 24, stripRows: state.stripRows).heatmap,
                       ScreenLayout(width: 80, height: 24).heatmap)
        XCTAssertFalse(render(state, width: 80, height: 24).text.contains("History, last"))
    }

    func testPausedTheTitleSaysHowFarBehindAndTheHeatmapKeepsTheHeldImage() {
        var state = ViewerState(source: "demo").reduced(.resized(width: 120, height: 40))
        state.reduce(.sample(CounterSample(timeNanoseconds: 1_000_000_000)))
        state.reduce(.image(rampImage()))
        let live = render(state, width: 120, height: 40)
        state.reduce(key(" "))
        state.reduce(.sample(CounterSample(timeNanoseconds: 4_500_000_000)))
        state.reduce(.image(displayImage([Float](repeating: 3, count: 40 * 30), width: 40, frameNumber: 99)))
        let paused = render(state, width: 120, height: 40)
        XCTAssertTrue(row(paused, 0).hasPrefix(" PAUSED 3.5 s behind, image 1/1  │ detview"), row(paused, 0))
        let interior = ScreenLayout(width: 120, height: 40).heatmapInterior
        for y in interior.y..<interior.bottom {
            XCTAssertEqual((interior.x..<interior.right).map { paused[$0, y] }, (interior.x..<interior.right).map { live[$0, y] },
                           "heatmap row \(y) is the held image's")
        }
    }
}
