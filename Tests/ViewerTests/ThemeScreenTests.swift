import TerminalUI
import Theming
import Viewer
import XCTest

/// Themes on the screen: `T` steps through them, the screen takes the current one's colours for
/// the terminal's depth, and the core starts with the theme `--theme` chose.
final class ThemeScreenTests: XCTestCase {
    private var light: Theme {
        var colors = ThemeColors()
        colors.background = .rgb(250, 250, 250)
        colors.value = .rgb(28, 28, 28)
        colors.label = .rgb(95, 95, 95)
        colors.title = .rgb(0, 95, 135)
        colors.statusWarningText = .rgb(1, 2, 3)
        colors.statusWarningBackground = .rgb(4, 5, 6)
        var colors16 = colors
        colors16.title = .indexed(4)
        return Theme(name: "light", colormap: "magma", colors: colors, colors16: colors16)
    }

    private func liveState(themes: ThemeCycle) -> ViewerState {
        var state = ViewerState(source: "tcp://host:9999")
        state.themes = themes
        state.reduce(.resized(width: 120, height: 40))
        state.reduce(.seriesStarted(seriesInfo()))
        state.reduce(.image(rampImage(width: 88, height: 72)))
        return state
    }

    private func render(_ state: ViewerState, colorMode: ColorMode = .color256) -> Buffer {
        var buffer = Buffer(width: 120, height: 40)
        Screen(state: state, glyphs: .unicode, colorMode: colorMode).render(into: &buffer)
        return buffer
    }

    func testCapitalTStepsThroughTheThemesAndTakesTheirColormap() {
        var state = ViewerState(source: "x")
        state.themes = ThemeCycle(themes: [.default, light])
        state.reduce(.key(.character("T")))
        XCTAssertEqual(state.themes.current.name, "light")
        XCTAssertEqual(state.colormap, "magma")
        XCTAssertEqual(state.status?.text, "theme light (2 of 2), colormap magma")
        state.reduce(.key(.character("T")))
        XCTAssertEqual(state.themes.current.name, "default")
        XCTAssertEqual(state.colormap, "viridis")
        XCTAssertEqual(KeyMap.command(for: .character("T")), .nextTheme)
        XCTAssertEqual(KeyMap.command(for: .character("t")), .nextChannel, "t stays the channel key")
    }

    func testTheCoreStartsWithTheChosenThemeAndItsColormap() {
        let harness = CoreHarness(interactive: true) { config in
            config.themes = ThemeCycle(themes: [.default, self.light], index: 1)
        }
        XCTAssertEqual(harness.core.screen.themes.current.name, "light")
        XCTAssertEqual(harness.core.screen.colormap, "magma")
    }

    func testAThemeWithABackgroundGivesItToEveryCellLeftAtTheDefault() {
        let theme = light
        let buffer = render(liveState(themes: ThemeCycle(themes: [theme])))
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                XCTAssertNotEqual(buffer[x, y].style.bg, .default, "cell \(x), \(y)")
                XCTAssertNotEqual(buffer[x, y].style.fg, .default, "cell \(x), \(y)")
            }
        }
        let interior = ScreenLayout(width: 120, height: 40).heatmapInterior
        XCTAssertNotEqual(buffer[interior.x, interior.y].style.bg, theme.colors.background, "heatmap cells keep their colours")
        // The compiled default leaves the terminal's own colours alone.
        let plain = render(liveState(themes: .compiledDefault))
        XCTAssertTrue((0..<plain.width).contains { plain[$0, 39].style.bg == .default })
    }

    func testSixteenColourTerminalsGetTheThemesSixteenColours() {
        let state = liveState(themes: ThemeCycle(themes: [light]))
        XCTAssertEqual(render(state, colorMode: .color256)[0, 0].style.fg, light.colors.title)
        XCTAssertEqual(render(state, colorMode: .color16)[0, 0].style.fg, .indexed(4))
        XCTAssertEqual(render(state, colorMode: .mono)[0, 0].style.fg, .indexed(4))
    }

    func testStatusLineTakesTheThemesStyles() {
        var state = liveState(themes: ThemeCycle(themes: [light]))
        state.reduce(.message("careful", .warning))
        let status = render(state)[2, 39]
        XCTAssertEqual(status.style, light.colors.statusWarningStyle)
        XCTAssertEqual(status.style.bg, .rgb(4, 5, 6))
    }
}
