import TerminalUI
import Viewer
import XCTest

/// The whole screen for fixed states, at the three sizes people use and in every colour depth,
/// compared cell by cell (text and style) with the recorded snapshots in __Snapshots__.
final class ScreenSnapshotTests: XCTestCase {
    private static let sizes = [(80, 24), (120, 40), (200, 60)]
    private static let depths: [(name: String, mode: ColorMode)] =
        [("24bit", .truecolor), ("256", .color256), ("16", .color16), ("mono", .mono)]

    /// The screen as the real viewer draws it for a terminal of that depth: the profile decides
    /// glyphs and heatmap glyphs from the same rules as at start-up (UTF-8 locale).
    private func render(_ state: ViewerState, width: Int, height: Int, mode: ColorMode) -> Buffer {
        let profile = TerminalProfile.detect(environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"],
                                             terminfoColors: 256, requested: mode)
        var buffer = Buffer(width: width, height: height)
        Screen(state: state, glyphs: profile.glyphs, heatmapGlyphs: profile.heatmapGlyphs, colors: profile.colors)
            .render(into: &buffer)
        return buffer
    }

    private func assertScreens(_ makeState: (Int, Int) -> ViewerState, file: StaticString = #filePath,
                               testName: String = #function, line: UInt = #line) {
        for (width, height) in Self.sizes {
            let state = makeState(width, height)
            for depth in Self.depths {
                assertGrid(render(state, width: width, height: height, mode: depth.mode),
                           named: "\(width)x\(height)-\(depth.name)", file: file, testName: testName, line: line)
            }
        }
    }

    func testRawMode() { assertScreens(SnapshotScenes.raw) }
    func testCountingModeWithMarks() { assertScreens(SnapshotScenes.countingWithMarks) }
    func testComposedSumView() { assertScreens(SnapshotScenes.composedSum) }
    func testHelpOverlay() { assertScreens(SnapshotScenes.help) }

    /// The help's last page where it pages (80×24) and where its longest lines wrap (120×40).
    func testHelpOverlayLastPage() {
        for (width, height) in [(80, 24), (120, 40)] {
            assertGrid(render(SnapshotScenes.helpLastPage(width: width, height: height), width: width, height: height, mode: .color256),
                       named: "\(width)x\(height)-256")
        }
    }
    func testStatusWarnings() { assertScreens(SnapshotScenes.warnings) }

    /// The snapshots are worth only as much as their determinism: the same state renders the
    /// same grid twice.
    func testTheSameStateRendersTheSameGrid() {
        let a = render(SnapshotScenes.warnings(width: 120, height: 40), width: 120, height: 40, mode: .color256)
        let b = render(SnapshotScenes.warnings(width: 120, height: 40), width: 120, height: 40, mode: .color256)
        XCTAssertEqual(GridText.render(a), GridText.render(b))
    }
}
