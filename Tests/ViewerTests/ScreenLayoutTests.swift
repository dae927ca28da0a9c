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

    func testPanelAppearsFromOneHundredColumns() {
        XCTAssertEqual(ScreenLayout.minimumWidthForPanel, 100)
        XCTAssertNotNil(ScreenLayout(width: 100, height: 24).panel)
        XCTAssertEqual(ScreenLayout(width: 100, height: 24).heatmap.width, 100 - ScreenLayout.panelWidth)
        let narrow = ScreenLayout(width: 99, height: 24)
        XCTAssertNil(narrow.panel)
        XCTAssertEqual(narrow.heatmap, Rect(x: 0, y: 1, width: 99, height: 22), "the heatmap takes the whole body")
        XCTAssertEqual(narrow.heatmapInterior, Rect(x: 1, y: 2, width: 97, height: 20))
    }

    func testPanelAndHeatmapDoNotOverlap() throws {
        for width in [100, 120, 200] {
            let layout = ScreenLayout(width: width, height: 30)
            let panel = try XCTUnwrap(layout.panel)
            XCTAssertEqual(layout.heatmap.right, panel.x)
            XCTAssertEqual(panel.right, width)
        }
    }

    /// Which parts show at the sizes people use, with the profile (`|`) and the strips (`H`)
    /// asked for: 80×24 keeps the heatmap, the counters in the title line and the status;
    /// the larger screens add the panel, then the profile, then the strips as room allows.
    func testPanelsChosenByRoomFrom80By24To300By100() {
        let strips = 8
        func parts(_ w: Int, _ h: Int, panel: Bool = true) -> [String] {
            let l = ScreenLayout(width: w, height: h, stripRows: strips, profileRows: ScreenLayout.profileRows, showsPanel: panel)
            return ["heatmap"] + (l.panel != nil ? ["panel"] : []) + (l.profile != nil ? ["profile"] : [])
                + (l.strips != nil ? ["strips"] : [])
        }
        XCTAssertEqual(parts(80, 24), ["heatmap", "profile"])
        XCTAssertEqual(parts(120, 40), ["heatmap", "panel", "profile"], "a minute of strips needs 97 columns beside the panel")
        XCTAssertEqual(parts(120, 40, panel: false), ["heatmap", "profile", "strips"])
        XCTAssertEqual(parts(200, 60), ["heatmap", "panel", "profile", "strips"])
        XCTAssertEqual(parts(300, 100), ["heatmap", "panel", "profile", "strips"])
        XCTAssertEqual(parts(300, 100, panel: false), ["heatmap", "profile", "strips"], "P hides the panel")
        XCTAssertEqual(parts(200, 28), ["heatmap", "panel", "profile"], "the strips give way first")
        // Without profile or strips asked for, 80×24 is heatmap, title and status only.
        let small = ScreenLayout(width: 80, height: 24)
        XCTAssertNil(small.panel)
        XCTAssertNil(small.profile)
        XCTAssertNil(small.strips)
        XCTAssertEqual(small.heatmap, Rect(x: 0, y: 1, width: 80, height: 22))
        // Stacked under the heatmap in order, never overlapping, the heatmap keeping its rows.
        for (w, h) in [(200, 60), (300, 100)] {
            let l = ScreenLayout(width: w, height: h, stripRows: strips, profileRows: ScreenLayout.profileRows)
            let profile = l.profile!, stripArea = l.strips!
            XCTAssertEqual(profile.y, l.heatmap.bottom)
            XCTAssertEqual(stripArea.y, profile.bottom)
            XCTAssertEqual(stripArea.bottom, l.status.y)
            XCTAssertEqual(profile.width, l.heatmap.width)
            XCTAssertGreaterThanOrEqual(l.heatmap.height, ScreenLayout.minimumHeatmapRowsBesideStrips)
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
