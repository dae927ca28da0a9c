import TerminalUI
import Theming
import XCTest

/// Ordered dithering between neighbouring ramp colours (`D`).
final class DitherTests: XCTestCase {
    /// A horizontal gradient, two pixel rows per cell row.
    private func gradient(width: Int = 64, height: Int = 8) -> [Float] {
        (0..<height).flatMap { _ in (0..<width).map { Float($0) / Float(width - 1) } }
    }

    private func render(ramp: ColorRamp, dither: Bool, width: Int = 64, height: Int = 8) -> Buffer {
        var buffer = Buffer(width: width, height: height / 2)
        var widget = HeatmapWidget(pixels: gradient(width: width, height: height), width: width, height: height,
                                   low: 0, high: 1, ramp: ramp)
        widget.dither = dither
        widget.render(in: buffer.area, into: &buffer)
        return buffer
    }

    func testBayerThresholdsAreTheSixtyFourLevelsOnce() {
        XCTAssertEqual(OrderedDither.thresholds.count, 64)
        XCTAssertEqual(OrderedDither.thresholds.sorted(), (0..<64).map { (Float($0) + 0.5) / 64 })
        XCTAssertEqual(OrderedDither.threshold(x: 0, y: 0), 0.5 / 64)
        XCTAssertEqual(OrderedDither.threshold(x: 8, y: 16), OrderedDither.threshold(x: 0, y: 0), "the matrix tiles")
    }

    /// Without dithering a 16-colour gradient is a few flat bands; with it, neighbouring cells in a
    /// column differ inside the bands, and the same input gives the same cells.
    func testDitheringBreaksTheBandsOfA16ColourGradientAndIsDeterministic() {
        let ramp = Colormap.viridis.ramp16
        let plain = render(ramp: ramp, dither: false)
        let dithered = render(ramp: ramp, dither: true)
        func verticalChanges(_ b: Buffer) -> Int {
            (0..<b.width).reduce(0) { sum, x in
                sum + (1..<b.height).filter { b[x, $0].style.fg != b[x, $0 - 1].style.fg }.count
            }
        }
        XCTAssertEqual(verticalChanges(plain), 0, "a horizontal gradient is the same down each column")
        XCTAssertGreaterThan(verticalChanges(dithered), 10)
        XCTAssertEqual(dithered, render(ramp: ramp, dither: true), "deterministic")
        let usedPlain = Set((0..<plain.width).map { plain[$0, 0].style.fg })
        let usedDithered = Set((0..<dithered.width).flatMap { x in (0..<dithered.height).map { dithered[x, $0].style.fg } })
        XCTAssertEqual(usedDithered, usedPlain, "only the ramp's own colours, mixed")
    }

    /// Over one 8×8 tile the share of the upper colour follows the position between two steps.
    func testTheMixFollowsTheValueBetweenTwoSteps() {
        let ramp = ColorRamp(colors: [Color](repeating: .indexed(16), count: 128) + [Color](repeating: .indexed(231), count: 128))
        XCTAssertEqual(ramp.steps, 2)
        // Run centres are 63.5 and 191.5; t at a quarter of the way between them.
        let t = Float(63.5 + 0.25 * 128) / 255
        let upper = (0..<8).flatMap { y in (0..<8).map { x in ramp.ditheredColor(at: t, x: x, y: y) } }
            .filter { $0 == .indexed(231) }.count
        XCTAssertEqual(upper, 16)
        XCTAssertEqual(ramp.ditheredColor(at: 0, x: 3, y: 5), .indexed(16))
        XCTAssertEqual(ramp.ditheredColor(at: 1, x: 3, y: 5), .indexed(231))
        XCTAssertEqual(ramp.ditheredColor(at: .nan, x: 3, y: 5), .indexed(16))
        XCTAssertEqual(ramp.ditheredColor(at: Float(63.5 / 255), x: 7, y: 7), .indexed(16), "at a step's centre: that step")
    }

    /// 24-bit ramps change at every entry: dithering between neighbours is a one-level nudge.
    func testATruecolorRampIsBarelyTouched() {
        let ramp = Colormap.gray.ramp
        XCTAssertEqual(ramp.steps, 256)
        for x in 0..<8 {
            guard case .rgb(let v, _, _) = ramp.ditheredColor(at: 0.5, x: x, y: 1) else { return XCTFail() }
            XCTAssertTrue(v == 127 || v == 128)
        }
    }

    func testTheColourBarDithersLikeTheHeatmap() {
        var plain = Buffer(width: 40, height: 10), dithered = Buffer(width: 40, height: 10)
        let ramp = Colormap.magma.ramp16
        ColorBarWidget(ramp: ramp, low: 0, high: 1).render(in: Rect(x: 0, y: 0, width: 10, height: 10), into: &plain)
        ColorBarWidget(ramp: ramp, low: 0, high: 1, dither: true).render(in: Rect(x: 0, y: 0, width: 10, height: 10), into: &dithered)
        XCTAssertNotEqual(plain, dithered)
        // The bar's two columns differ somewhere only when dithered.
        XCTAssertTrue((0..<10).allSatisfy { plain[0, $0] == plain[1, $0] })
        XCTAssertFalse((0..<10).allSatisfy { dithered[0, $0] == dithered[1, $0] })
    }
}

/// Mono and 16 colours read in order of intensity.
final class IntensityOrderTests: XCTestCase {
    func testTheMonoRampNeverStepsBack() {
        let levels = (0...1000).map { t in AsciiRamp.levels.firstIndex(of: AsciiRamp.symbol(at: Float(t) / 1000))! }
        XCTAssertTrue(zip(levels, levels.dropFirst()).allSatisfy { $1 >= $0 })
        XCTAssertEqual(levels.first, 0)
        XCTAssertEqual(levels.last, AsciiRamp.levels.count - 1)
    }

    func testAMonoHeatmapUsesTheDensityRamp() {
        var buffer = Buffer(width: 10, height: 1)
        HeatmapWidget(pixels: (0..<20).map { Float($0 % 10) / 9 }, width: 10, height: 2, low: 0, high: 1,
                      ramp: Colormap.viridis.ramp, glyphs: .ascii).render(in: buffer.area, into: &buffer)
        XCTAssertEqual(buffer.row(0), " .:-=+*#%@")
    }

    func testThe16ColourHeatmapGetsLighterAlongAGradient() {
        var buffer = Buffer(width: 64, height: 1)
        HeatmapWidget(pixels: (0..<128).map { Float($0 % 64) / 63 }, width: 64, height: 2, low: 0, high: 1,
                      ramp: Colormap.inferno.ramp16).render(in: buffer.area, into: &buffer)
        let lightness = (0..<64).map { x -> Double in
            guard case .indexed(let i) = buffer[x, 0].style.fg else { return -1 }
            return OKLab(Palette.rgb(ofXterm256: i)).L
        }
        XCTAssertTrue(zip(lightness, lightness.dropFirst()).allSatisfy { $1 >= $0 && $0 >= 0 })
    }
}
