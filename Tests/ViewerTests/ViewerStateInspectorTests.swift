import Processing
import SharedMemory
import TerminalUI
import XCTest
@testable import Viewer

/// The pixel inspector's keys on plain values: `i` shows a cursor at the view's centre, arrows
/// move it by one shown pixel and Shift+arrows by ten, clamped to the frame; `i` or Escape hide it.
final class ViewerStateInspectorTests: XCTestCase {
    /// A 120 × 40 terminal (an 88 × 72 pixel heatmap) showing a 1024 × 512 series: fitted,
    /// one display pixel covers 1024/88 ≈ 11.6 detector pixels, so a shown pixel is 12.
    private let ready = ViewerState(source: "tcp://host:9999")
        .reduced(.resized(width: 120, height: 40), .seriesStarted(seriesInfo(width: 1024, height: 512)))

    func testIShowsTheCursorAtTheViewsCentreAndArrowsMoveItInsteadOfPanning() throws {
        let on = ready.reduced(key("i"))
        XCTAssertTrue(on.inspecting)
        XCTAssertEqual(on.cursorPixel?.x, 512)
        XCTAssertEqual(on.cursorPixel?.y, 256)
        let step = on.cursorStep
        XCTAssertEqual(step, Int((1024.0 / 88).rounded()), "one shown pixel of the fitted view")
        let moved = on.reduced(.key(.right), .key(.right), .key(.down))
        XCTAssertEqual(moved.cursorPixel?.x, 512 + 2 * step)
        XCTAssertEqual(moved.cursorPixel?.y, 256 + step)
        XCTAssertEqual(moved.viewport, on.viewport, "the arrows did not pan")
        XCTAssertEqual(moved.status?.text, "cursor \(512 + 2 * step),\(256 + step)")
    }

    func testShiftArrowsMoveTheCursorByTenShownPixels() {
        let on = ready.reduced(key("i"))
        let step = on.cursorStep
        let moved = on.reduced(.key(.shiftLeft), .key(.shiftUp))
        XCTAssertEqual(moved.cursorPixel?.x, 512 - 10 * step)
        XCTAssertEqual(moved.cursorPixel?.y, 256 - 10 * step)
        let back = moved.reduced(.key(.shiftRight), .key(.shiftDown))
        XCTAssertEqual(back.cursorPixel?.x, 512)
        XCTAssertEqual(back.cursorPixel?.y, 256)
    }

    func testZoomedInAShownPixelIsOneDetectorPixel() {
        // Three zooms: 8 display pixels per detector pixel at 88/1024 fitted.
        let zoomed = ready.reduced(key("z"), key("z"), key("z"), key("z"), key("z"), key("z"))
        XCTAssertGreaterThanOrEqual(zoomed.viewGeometry!.scale, 1)
        let on = zoomed.reduced(key("i"))
        let start = on.cursorPixel!
        let region = zoomed.viewGeometry!.region
        XCTAssertEqual(start.x, region.x0 + region.width / 2, "the centre of the zoomed view")
        XCTAssertEqual(on.reduced(.key(.left)).cursorPixel!.x, start.x - 1)
        XCTAssertEqual(on.reduced(.key(.shiftRight)).cursorPixel!.x, start.x + 10)
    }

    func testTheCursorStaysInsideTheFrame() {
        var state = ready.reduced(key("i"))
        for _ in 0..<20 { state.reduce(.key(.shiftRight)) }
        for _ in 0..<20 { state.reduce(.key(.shiftDown)) }
        XCTAssertEqual(state.cursorPixel?.x, 1023)
        XCTAssertEqual(state.cursorPixel?.y, 511)
        for _ in 0..<20 { state.reduce(.key(.shiftLeft)) }
        for _ in 0..<20 { state.reduce(.key(.shiftUp)) }
        XCTAssertEqual(state.cursorPixel?.x, 0)
        XCTAssertEqual(state.cursorPixel?.y, 0)
    }

    func testIAgainOrEscapeHidesTheCursorAndArrowsPanAgain() {
        let on = ready.reduced(key("z"), key("i"))
        for hidden in [on.reduced(key("i")), on.reduced(.key(.escape))] {
            XCTAssertFalse(hidden.inspecting)
            XCTAssertNil(hidden.cursor)
            XCTAssertEqual(hidden.status?.text, "inspector off")
            let panned = hidden.reduced(.key(.right))
            XCTAssertNotEqual(panned.viewGeometry?.region, hidden.viewGeometry?.region, "arrows pan again")
        }
        XCTAssertFalse(ready.reduced(.key(.escape)).inspecting, "Escape with no inspector does nothing")
    }

    func testShiftArrowsWithoutTheInspectorSayHowToShowIt() {
        let state = ready.reduced(.key(.shiftLeft))
        XCTAssertNil(state.cursor)
        XCTAssertEqual(state.status?.text, "i shows the inspector's cursor first")
    }

    func testBeforeAnyFrameIExplains() {
        let state = ViewerState(source: "x").reduced(.resized(width: 120, height: 40), key("i"))
        XCTAssertFalse(state.inspecting)
        XCTAssertEqual(state.status?.text, "no frame yet to inspect")
    }

    func testTheNewestReadoutOfTheCursorsPixelIsKept() {
        var state = ready.reduced(key("i"))
        func readout(sequence: UInt64, x: Int32, y: Int32, raw: Float) -> FrameReadout {
            var r = PixelReadout()
            r.x = x
            r.y = y
            r.raw[4] = raw
            var frame = FrameReadout(timeNanoseconds: 1)
            frame.inspection = InspectedFrame(sequence: sequence, frameNumber: sequence, readout: r)
            return frame
        }
        state.reduce(.readout(readout(sequence: 5, x: 512, y: 256, raw: 42)))
        state.reduce(.readout(readout(sequence: 4, x: 512, y: 256, raw: 7)))
        XCTAssertEqual(state.currentInspection?.readout.raw[4], 42, "an older frame does not replace a newer one")
        state.reduce(.key(.right))
        XCTAssertNil(state.currentInspection, "a readout of a pixel the cursor left is not shown")
    }

    func testTheCursorGoesToTheWorkersThroughTheControlBlock() {
        var h = CoreHarness(interactive: true)
        h.feed(.resized(width: 120, height: 40))
        h.feed(.ingest([.seriesStarted(seriesInfo(width: 1024, height: 512))], h.counters(received: 0)))
        XCTAssertNil(h.core.control.inspectedPixel)
        let shown = h.feed(.key(.character("i"))).controls
        XCTAssertEqual(shown.last?.inspectX, 512)
        XCTAssertEqual(shown.last?.inspectY, 256)
        XCTAssertNil(h.feed(.key(.escape)).controls.last?.inspectedPixel)
    }

    func testHeadlessInspectGoesToTheWorkersAndIntoEveryFrameLine() throws {
        var settings = headless()
        settings.inspect = (3, 2)
        var h = CoreHarness(headless: settings)
        let written = h.feed(.started).controls
        XCTAssertEqual(written.first?.inspectX, 3)
        XCTAssertEqual(written.first?.inspectY, 2)
        var result = frameResults(1...1)[0]
        result.inspect.x = 3
        result.inspect.y = 2
        for i in 0..<9 { result.inspect.raw[i] = Float(10 + i) }
        for i in 0..<9 { result.inspect.value[i] = Float(10 + i) }
        result.inspect.raw[4] = 65535
        result.inspect.value[4] = .nan
        result.inspect.reasons[4] = PixelReadout.Reason.allOnes.rawValue
        let line = try XCTUnwrap(h.feed(.results([result], lost: 0, h.counters(received: 1))).lines.first)
        XCTAssertTrue(line.contains(#""inspect":{"x":3,"y":2,"raw":65535,"value":null,"masked":true,"reason":"all-ones","neighbours":[[10,11,12],[13,65535,15],[16,17,18]]}"#), line)
    }
}
