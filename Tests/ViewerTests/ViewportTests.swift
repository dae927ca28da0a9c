import Processing
import XCTest
@testable import Viewer

/// The viewport's arithmetic on plain values: which region of the frame each zoom level
/// shows, and into which image, with square display pixels and the frame's edges respected.
final class ViewportTests: XCTestCase {
    private func geometry(_ v: Viewport, frame: (Int, Int), area: (Int, Int)) -> Viewport.Geometry {
        v.geometry(frameWidth: frame.0, frameHeight: frame.1, areaWidth: area.0, areaHeight: area.1)!
    }

    private func zoom(_ v: Viewport, _ steps: Int, around point: Viewport.Point? = nil,
                      frame: (Int, Int), area: (Int, Int)) -> Viewport {
        v.zoomed(by: steps, around: point, frameWidth: frame.0, frameHeight: frame.1, areaWidth: area.0, areaHeight: area.1)
    }

    private func pan(_ v: Viewport, _ dx: Int, _ dy: Int, frame: (Int, Int), area: (Int, Int)) -> Viewport {
        v.panned(dx: dx, dy: dy, frameWidth: frame.0, frameHeight: frame.1, areaWidth: area.0, areaHeight: area.1)
    }

    func testTheFittedViewIsTheWholeFrameAsTheWorkersFitIt() {
        let g = geometry(Viewport(), frame: (2068, 2162), area: (176, 92))
        XCTAssertEqual(g.region, .whole(width: 2068, height: 2162))
        let fit = FrameKernels.fitSize(frameWidth: 2068, frameHeight: 2162, areaWidth: 176, areaHeight: 92)
        XCTAssertEqual(g.imageWidth, fit.width)
        XCTAssertEqual(g.imageHeight, fit.height)
        XCTAssertEqual(g.zoom, 1)
        XCTAssertNil(Viewport().geometry(frameWidth: 0, frameHeight: 10, areaWidth: 10, areaHeight: 10), "no frame yet")
    }

    func testEachLevelDoublesTheScaleStartingAboveTheFittedScale() {
        // Fitted at 1/16 (64 rows of 1024): the levels are 1/8, 1/4, 1/2, 1, 2, … 16.
        let frame = (1024, 1024), area = (128, 64)
        var v = Viewport()
        var scales: [Double] = []
        for _ in 0..<12 {
            v = zoom(v, 1, frame: frame, area: area)
            scales.append(geometry(v, frame: frame, area: area).scale)
        }
        XCTAssertEqual(scales, [0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 16, 16, 16, 16], "capped at 16 × 16 display pixels a pixel")
        let first = geometry(zoom(Viewport(), 1, frame: frame, area: area), frame: frame, area: area)
        XCTAssertEqual(first.zoom, 2)
        XCTAssertEqual(first.region, PixelRegion(x0: 0, y0: 256, x1: 1024, y1: 768), "8 × 8 pixels per bin, centred")
        XCTAssertEqual(first.imageWidth, 128)
        XCTAssertEqual(first.imageHeight, 64)
    }

    func testDisplayPixelsStaySquareAndBeyondOnePixelEachBecomesABlock() {
        let frame = (1030, 514), area = (176, 92)
        var v = Viewport()
        for _ in 0..<9 {
            v = zoom(v, 1, frame: frame, area: area)
            let g = geometry(v, frame: frame, area: area)
            XCTAssertLessThanOrEqual(g.imageWidth, area.0)
            XCTAssertLessThanOrEqual(g.imageHeight, area.1)
            // The same scale on both axes, within the rounding of an edge that the frame cuts.
            XCTAssertEqual(Double(g.imageWidth), Double(g.region.width) * g.scale, accuracy: 0.5)
            XCTAssertEqual(Double(g.imageHeight), Double(g.region.height) * g.scale, accuracy: 0.5)
            if g.scale >= 1 {
                XCTAssertEqual(g.imageWidth, g.region.width * Int(g.scale), "whole blocks of \(g.scale) display pixels")
                XCTAssertEqual(g.imageHeight, g.region.height * Int(g.scale))
            }
        }
        XCTAssertEqual(geometry(v, frame: frame, area: area).scale, 16)
    }

    func testZoomingWithoutAPointKeepsTheViewsCentre() {
        let frame = (2000, 1000), area = (100, 100)
        var v = pan(zoom(Viewport(), 3, frame: frame, area: area), 2, 1, frame: frame, area: area)
        let before = geometry(v, frame: frame, area: area).centre
        v = zoom(v, 1, frame: frame, area: area)
        let after = geometry(v, frame: frame, area: area).centre
        XCTAssertEqual(after.x, before.x, accuracy: 1)
        XCTAssertEqual(after.y, before.y, accuracy: 1)
    }

    func testZoomingAroundAPointKeepsItWhereItIsOnTheScreen() {
        let frame = (2000, 2000), area = (100, 100)
        let v = zoom(Viewport(), 4, frame: frame, area: area)
        let g = geometry(v, frame: frame, area: area)
        // A point a quarter of the way into the shown region.
        let point = Viewport.Point(x: Double(g.region.x0) + Double(g.region.width) / 4,
                                   y: Double(g.region.y0) + Double(g.region.height) * 3 / 4)
        let zoomed = geometry(zoom(v, 1, around: point, frame: frame, area: area), frame: frame, area: area)
        XCTAssertEqual(zoomed.scale, g.scale * 2)
        XCTAssertEqual((point.x - Double(zoomed.region.x0)) / Double(zoomed.region.width), 0.25, accuracy: 0.02)
        XCTAssertEqual((point.y - Double(zoomed.region.y0)) / Double(zoomed.region.height), 0.75, accuracy: 0.02)
    }

    func testPanningStopsAtTheFramesEdgesAndComesBackAtOnce() {
        let frame = (1000, 800), area = (100, 80)
        var v = zoom(Viewport(), 3, frame: frame, area: area)
        for _ in 0..<50 { v = pan(v, 1, 1, frame: frame, area: area) }
        let corner = geometry(v, frame: frame, area: area)
        XCTAssertEqual(corner.region.x1, 1000)
        XCTAssertEqual(corner.region.y1, 800)
        let back = geometry(pan(v, -1, 0, frame: frame, area: area), frame: frame, area: area)
        XCTAssertEqual(back.region.x1, 1000 - corner.region.width / 4, "the first key back moves")
        for _ in 0..<50 { v = pan(v, -1, -1, frame: frame, area: area) }
        XCTAssertEqual(geometry(v, frame: frame, area: area).region.x0, 0)
        XCTAssertEqual(geometry(v, frame: frame, area: area).region.y0, 0)
    }

    func testZoomingOutReachesTheFitAndPanningThereDoesNothing() {
        let frame = (1000, 800), area = (100, 80)
        let v = zoom(zoom(Viewport(), 3, frame: frame, area: area), -5, frame: frame, area: area)
        XCTAssertTrue(v.isFitted)
        XCTAssertEqual(pan(v, 1, 0, frame: frame, area: area), v)
        XCTAssertEqual(geometry(v, frame: frame, area: area).region, .whole(width: 1000, height: 800))
    }

    func testAFrameSmallerThanTheAreaZoomsFromItsWholeFactor() {
        // 20 × 10 fits 6× into 128 × 64; the next level is 8×, showing 16 × 8 pixels.
        let frame = (20, 10), area = (128, 64)
        XCTAssertEqual(geometry(Viewport(), frame: frame, area: area).imageWidth, 120)
        let g = geometry(zoom(Viewport(), 1, frame: frame, area: area), frame: frame, area: area)
        XCTAssertEqual(g.scale, 8)
        XCTAssertEqual(g.region, PixelRegion(x0: 2, y0: 1, x1: 18, y1: 9))
        XCTAssertEqual(g.imageWidth, 128)
        XCTAssertEqual(g.imageHeight, 64)
    }
}
