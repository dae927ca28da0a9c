import TerminalUI
import Theming
import XCTest

/// The main widgets alone, at a small size, compared with recorded text-and-style grids.
final class WidgetSnapshotTests: XCTestCase {
    private func draw(width: Int, height: Int, _ body: (Rect, inout Buffer) -> Void) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        body(buffer.area, &buffer)
        return buffer
    }

    func testHeatmap() {
        let pixels = SnapshotScenes.starImage(width: 24, height: 16)
        for (name, depth) in [("24bit", ColorDepth.truecolor), ("256", ColorDepth(mode: .color256)),
                              ("16", ColorDepth(mode: .color16))] {
            assertGrid(draw(width: 24, height: 8) { area, buffer in
                var widget = HeatmapWidget(pixels: pixels, width: 24, height: 16, low: 0, high: 12,
                                           ramp: Colormap.viridis.ramp(for: depth))
                widget.marks = [(5, 6)]
                widget.render(in: area, into: &buffer)
            }, named: name)
        }
        assertGrid(draw(width: 24, height: 8) { area, buffer in
            HeatmapWidget(pixels: pixels, width: 24, height: 16, low: 0, high: 12,
                          ramp: Colormap.viridis.ramp(for: ColorDepth(mode: .mono)), glyphs: .ascii)
                .render(in: area, into: &buffer)
        }, named: "mono")
    }

    func testColorBar() {
        assertGrid(draw(width: 12, height: 10) { area, buffer in
            ColorBarWidget(ramp: Colormap.magma.ramp, low: 0, high: 1500, logScale: true).render(in: area, into: &buffer)
        }, named: "vertical-log")
        assertGrid(draw(width: 30, height: 2) { area, buffer in
            ColorBarWidget(ramp: Colormap.viridis.ramp256, low: 0, high: 12, orientation: .horizontal)
                .render(in: area, into: &buffer)
        }, named: "horizontal-256")
    }

    func testKeyValuePanel() {
        assertGrid(draw(width: 26, height: 5) { area, buffer in
            KeyValueWidget(rows: [.counter("received", 81_920), .counter("dropped", 250, alert: Style().foreground(.indexed(9))),
                                  .counter("bad", 0), KeyValueWidget.Row(label: "rate", value: "204.8 f/s")],
                           labelStyle: Style().dimmed(), valueStyle: Style().bolded())
                .render(in: area, into: &buffer)
        }, named: "counters")
    }

    func testMeters() {
        assertGrid(draw(width: 24, height: 4) { area, buffer in
            for (i, fraction) in [0.05, 0.5, 0.83, 1.4].enumerated() {
                MeterWidget(label: "w\(i)", fraction: fraction, labelWidth: 3)
                    .render(in: Rect(x: 0, y: i, width: area.width, height: 1), into: &buffer)
            }
        }, named: "loads")
    }

    func testSparkline() {
        let values = (0..<30).map { i in Double((i * 7) % 11) + (i == 12 ? 40 : 0) }
        assertGrid(draw(width: 30, height: 3) { area, buffer in
            SparklineWidget(values: values, style: Style().foreground(.rgb(90, 200, 120))).render(in: area, into: &buffer)
        }, named: "rates")
    }
}
