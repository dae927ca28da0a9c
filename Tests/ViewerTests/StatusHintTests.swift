import TerminalUI
@testable import Viewer
import XCTest

/// The status line's right part when the line is short: the rates the terminal link carries
/// stay, the key hints go first (a budget-limited screen at ~110 columns used to lose both).
final class StatusHintTests: XCTestCase {
    private let rates = "0.23 MB/s 12.9 p/s (budget: heatmap 2.7/s, colour -3)  │  "

    func testTheRatesStayAndTheKeyHintsGoFirst() {
        XCTAssertEqual(Screen.statusHint(rates: rates, room: 200), rates + Screen.keyHints)
        let short = rates + Screen.shortKeyHints
        XCTAssertEqual(Screen.statusHint(rates: rates, room: short.count), short)
        XCTAssertEqual(Screen.statusHint(rates: rates, room: short.count - 1),
                       "0.23 MB/s 12.9 p/s (budget: heatmap 2.7/s, colour -3) ")
        XCTAssertEqual(Screen.statusHint(rates: rates, room: 10), "")
        XCTAssertEqual(Screen.statusHint(rates: "", room: 20), Screen.shortKeyHints)
        XCTAssertEqual(Screen.statusHint(rates: "", room: 5), "")
    }

    func testA111ColumnScreenWithTheBudgetMarkStillShowsTheRates() {
        var state = ViewerState(source: "demo")
        state.terminalOutput = OutputRate(bytesPerSecond: 230_000, paintsPerSecond: 12.9, heatmapPaintsPerSecond: 2.7,
                                          limited: true, fidelityStepsLowered: 3)
        state.status = ViewerState.Status(text: "series 1 started: 400×400 uint16", severity: .info)
        var buffer = Buffer(width: 111, height: 30)
        Screen(state: state, glyphs: .unicode).render(into: &buffer)
        let status = String(String.UnicodeScalarView((0..<buffer.width).map { buffer[$0, buffer.height - 1].symbol }))
        XCTAssertTrue(status.contains("0.23 MB/s 12.9 p/s (budget: heatmap 2.7/s, colour -3)"), status)
        XCTAssertTrue(status.hasPrefix(" series 1 started"), status)
    }
}
