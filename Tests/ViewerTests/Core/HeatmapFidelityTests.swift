import TerminalUI
@testable import Viewer
import XCTest

/// The heatmap's colour fidelity under the byte budget: lowered a step at a time while the
/// budget cannot buy the wanted heatmap rate, raised back when it can (injected clock).
final class HeatmapFidelityTests: XCTestCase {
    let second: UInt64 = 1_000_000_000

    func testFidelityStepsDownWhileTheBudgetIsShortAndBackUpWhenItAllows() {
        var fidelity = HeatmapFidelity()
        XCTAssertEqual(fidelity.threshold, 0.02, "full fidelity: one just-noticeable difference")
        // 250 KB/s for paints of 215 KB: 1.2 a second, fewer than the 2.5 wanted.
        fidelity.update(heatmapCost: 215_000, spareRate: 250_000, at: 0)
        XCTAssertEqual(fidelity.stepsLowered, 1)
        fidelity.update(heatmapCost: 215_000, spareRate: 250_000, at: second / 4)
        XCTAssertEqual(fidelity.stepsLowered, 1, "half a second between steps, so the cost is the new step's")
        fidelity.update(heatmapCost: 150_000, spareRate: 250_000, at: second)
        XCTAssertEqual(fidelity.stepsLowered, 2)
        XCTAssertGreaterThan(fidelity.threshold, 0.02)
        // 90 KB: 2.8 a second, enough; not yet twice the wanted rate: it stays.
        fidelity.update(heatmapCost: 90_000, spareRate: 250_000, at: 2 * second)
        fidelity.update(heatmapCost: 90_000, spareRate: 250_000, at: 3 * second)
        XCTAssertEqual(fidelity.stepsLowered, 2, "no bouncing between two steps")
        // The scene calms down: 40 KB, 6 a second. The finer steps cost too much a moment ago,
        // so they are tried again once that is older than `memory`, a step at a time.
        fidelity.update(heatmapCost: 40_000, spareRate: 250_000, at: 4 * second)
        XCTAssertEqual(fidelity.stepsLowered, 2, "150 KB at step 1 three seconds ago")
        fidelity.update(heatmapCost: 40_000, spareRate: 250_000, at: 12 * second)
        XCTAssertEqual(fidelity.stepsLowered, 1)
        fidelity.update(heatmapCost: 40_000, spareRate: 250_000, at: 13 * second)
        XCTAssertEqual(fidelity.stepsLowered, 0)
        XCTAssertEqual(fidelity.threshold, 0.02)
    }

    func testAFinerStepTheBudgetCouldNotAffordIsNotRetriedAtOnce() {
        // Combined frames: 150 KB at full fidelity, 20 KB one step down (noise below 0.08).
        var fidelity = HeatmapFidelity()
        fidelity.update(heatmapCost: 150_000, spareRate: 250_000, at: 0)
        XCTAssertEqual(fidelity.stepsLowered, 1)
        for tick in 1...8 {
            fidelity.update(heatmapCost: 20_000, spareRate: 250_000, at: UInt64(tick) * second)
            XCTAssertEqual(fidelity.stepsLowered, 1, "full fidelity cost 150 KB a moment ago: no bouncing (\(tick) s)")
        }
        fidelity.update(heatmapCost: 20_000, spareRate: 250_000, at: 11 * second)
        XCTAssertEqual(fidelity.stepsLowered, 0, "after a while the scene may have calmed down: tried again")
    }

    func testFidelityNeverGoesBelowTheLastStepAndIsFullWithoutABudget() {
        var fidelity = HeatmapFidelity()
        for step in 0..<20 { fidelity.update(heatmapCost: 1_000_000, spareRate: 250_000, at: UInt64(step) * second) }
        XCTAssertEqual(fidelity.stepsLowered, HeatmapFidelity.thresholds.count - 1)
        fidelity.update(heatmapCost: 1_000_000, spareRate: nil, at: 30 * second)
        XCTAssertEqual(fidelity.stepsLowered, 0, "--max-rate 0: nothing to save")
    }

    func testEachStepIsCoarserThanTheOneBefore() {
        XCTAssertEqual(HeatmapFidelity.thresholds.first, PerceptualTolerance.invisible.threshold)
        XCTAssertEqual(HeatmapFidelity.thresholds, HeatmapFidelity.thresholds.sorted())
        XCTAssertEqual(Set(HeatmapFidelity.thresholds).count, HeatmapFidelity.thresholds.count)
    }

    /// The core at 250 KB/s with heatmap paints whose cost falls with the threshold, as a noisy
    /// scene's does: `cost(threshold)` bytes a heatmap paint, 1 KB a panel paint.
    private func run(_ h: inout CoreHarness, seconds: Double, cost: (Float) -> Int)
        -> (heatmapPerSecond: Double, bytesPerSecond: Double, steps: Int) {
        let start = h.now
        let painted = h.paintLoop(seconds: seconds) { withHeatmap, core in
            withHeatmap ? cost(core.heatmapTolerance.threshold) : 1000
        }
        let elapsed = Double(h.now - start) / 1e9
        return (Double(painted.heatmap) / elapsed, Double(painted.bytes) / elapsed,
                h.core.screen.terminalOutput?.fidelityStepsLowered ?? -1)
    }

    func testTheScheduleLowersFidelityToKeepTwoHeatmapUpdatesASecondAndRaisesItAgain() {
        var h = CoreHarness(interactive: true) { $0.maxBytesPerSecond = 250_000 }
        h.feed(.started)
        h.feed(.rendered(bytes: 215_000))
        // A noisy 24-bit scene: 215 KB at full fidelity, less the coarser the threshold.
        let noisy: (Float) -> Int = { Int(215_000 * (0.02 / $0).squareRoot()) }
        _ = run(&h, seconds: 8, cost: noisy)   // settling
        let short = run(&h, seconds: 10, cost: noisy)
        XCTAssertGreaterThanOrEqual(short.heatmapPerSecond, 2, "the goal at 250k")
        XCTAssertLessThanOrEqual(short.bytesPerSecond, 250_000 * 1.05, "within the budget")
        XCTAssertGreaterThan(short.steps, 0, "the status line is told the fidelity was lowered")
        XCTAssertTrue(h.core.screen.terminalOutput?.limited ?? false)

        // The scene goes quiet: a tenth of the bytes. Full fidelity comes back.
        let quiet: (Float) -> Int = { noisy($0) / 10 }
        _ = run(&h, seconds: 16, cost: quiet)
        let calm = run(&h, seconds: 3, cost: quiet)
        XCTAssertEqual(calm.steps, 0, "full fidelity when the budget allows")
        XCTAssertEqual(h.core.heatmapTolerance, .invisible)
    }

    func testNoBudgetKeepsFullFidelity() {
        var h = CoreHarness(interactive: true) { $0.maxBytesPerSecond = 0 }
        h.feed(.started)
        h.feed(.rendered(bytes: 215_000))
        let unlimited = run(&h, seconds: 3) { _ in 215_000 }
        XCTAssertEqual(unlimited.steps, 0)
        XCTAssertEqual(h.core.heatmapTolerance, .invisible)
    }

    func testTheStatusLineMarksLoweredFidelity() {
        var state = ViewerState(source: "demo")
        state.terminalOutput = OutputRate(bytesPerSecond: 240_000, paintsPerSecond: 12, heatmapPaintsPerSecond: 2.4,
                                          limited: true, fidelityStepsLowered: 2)
        XCTAssertTrue(Screen(state: state, glyphs: .unicode).terminalOutputText.contains("(budget: heatmap 2.4/s, colour -2)"),
                      Screen(state: state, glyphs: .unicode).terminalOutputText)
        state.terminalOutput?.fidelityStepsLowered = 0
        XCTAssertTrue(Screen(state: state, glyphs: .unicode).terminalOutputText.contains("(budget: heatmap 2.4/s)"))
        state.terminalOutput?.limited = false
        XCTAssertFalse(Screen(state: state, glyphs: .unicode).terminalOutputText.contains("budget"))
    }
}
