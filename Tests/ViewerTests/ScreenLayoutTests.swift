import TerminalUI
import Viewer
import XCTest

final class ScreenLayoutTests: XCTestCase {
    func testWideScreenHasTitleHeatmapPanelAndStatus() throws {
        let layout = ScreenLayout(width: 120, height: 40)
        XCTAssertEqual(layout.title, Rect(x: 0, y: 0, width: 120, height: 1))
        XCTAssertEqual(layout.status, Rect(x: 0, y: 39, width: 120, height: 1))
        let panel = try XCTUnwrap(layout.panel)
        XCTAssertEqual(panel, Rect(x: 90, y: 1, width: ScreenLayout.panelWidth, height: 38))
        XCTAssertEqual(layout.heatmap, Rect(x: 0, y: 1, width: 90, height: 38))
        XCTAssertEqual(layout.heatmapInterior, Rect(x: 1, y: 2, width: 88, height: 36))
    }

    func testPanelAppearsFromSixtyFourColumns() {
        XCTAssertEqual(ScreenLayout.minimumWidthForPanel, 64)
        XCTAssertNotNil(ScreenLayout(width: 64, height: 24).panel)
        XCTAssertEqual(ScreenLayout(width: 64, height: 24).heatmap.width, 64 - ScreenLayout.panelWidth)
        let narrow = ScreenLayout(width: 63, height: 24)
        XCTAssertNil(narrow.panel)
        XCTAssertEqual(narrow.heatmap, Rect(x: 0, y: 1, width: 63, height: 22), "the heatmap takes the whole body")
        XCTAssertEqual(narrow.heatmapInterior, Rect(x: 1, y: 2, width: 61, height: 20))
    }

    func testPanelAndHeatmapDoNotOverlap() throws {
        for width in [64, 80, 200] {
            let layout = ScreenLayout(width: width, height: 30)
            let panel = try XCTUnwrap(layout.panel)
            XCTAssertEqual(layout.heatmap.right, panel.x)
            XCTAssertEqual(panel.right, width)
        }
    }

    func testTinyAndDegenerateSizesNeverGiveNegativeRectangles() {
        for (w, h) in [(0, 0), (1, 1), (2, 2), (3, 3), (10, 3), (1, 100), (100, 1), (-5, -3), (64, 2)] {
            let layout = ScreenLayout(width: w, height: h)
            var rects = [layout.title, layout.heatmap, layout.heatmapInterior, layout.status]
            if let panel = layout.panel { rects.append(panel) }
            for r in rects {
                XCTAssertGreaterThanOrEqual(r.width, 0, "\(w)×\(h): \(r)")
                XCTAssertGreaterThanOrEqual(r.height, 0, "\(w)×\(h): \(r)")
                guard !r.isEmpty else { continue }   // an empty rectangle draws nothing, wherever it is
                XCTAssertGreaterThanOrEqual(r.x, 0, "\(w)×\(h): \(r)")
                XCTAssertGreaterThanOrEqual(r.y, 0, "\(w)×\(h): \(r)")
                XCTAssertLessThanOrEqual(r.right, max(0, w), "\(w)×\(h): \(r)")
                XCTAssertLessThanOrEqual(r.bottom, max(0, h), "\(w)×\(h): \(r)")
            }
        }
    }

    func testScreenOfTwoRowsHasNoBodyAndThreeRowsHasNoInterior() {
        XCTAssertEqual(ScreenLayout(width: 80, height: 2).heatmap.height, 0)
        XCTAssertEqual(ScreenLayout(width: 80, height: 2).status, Rect(x: 0, y: 1, width: 80, height: 1))
        let three = ScreenLayout(width: 10, height: 3)
        XCTAssertEqual(three.heatmap.height, 1)
        XCTAssertEqual(three.heatmapInterior.width * three.heatmapInterior.height, 0)
    }
}
