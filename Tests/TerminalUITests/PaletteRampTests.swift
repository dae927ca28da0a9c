import TerminalUI
import Theming
import XCTest

/// The colormaps on terminal palettes: lightness that never turns back, an error close to the best
/// the palette allows, and only the palette entries a user cannot have redefined.
final class PaletteRampTests: XCTestCase {
    private func lab(ofXterm index: UInt8) -> OKLab { OKLab(Palette.rgb(ofXterm256: index)) }

    private func indices(_ ramp: ColorRamp, _ file: StaticString = #filePath, _ line: UInt = #line) -> [UInt8] {
        ramp.colors.map { color in
            guard case .indexed(let i) = color else {
                XCTFail("not a palette colour: \(color)", file: file, line: line)
                return 0
            }
            return i
        }
    }

    /// The Done-when check of issue 10: for every colormap, the 256-colour ramp's OKLab lightness
    /// never goes against the map's own direction, and its mean OKLab error is within 15% of the
    /// mean error of the nearest palette entry chosen for each step alone.
    func test256ColourRampIsMonotoneInLightnessAndWithin15PercentOfTheBestEntry() {
        for map in Colormap.all {
            let chosen = indices(map.ramp256)
            XCTAssertEqual(chosen.count, 256, map.name)
            let lightness = chosen.map { lab(ofXterm: $0).L }
            let steps = zip(lightness, lightness.dropFirst()).map { $1 - $0 }
            if map.isReversed {
                XCTAssertTrue(steps.allSatisfy { $0 <= 0 }, "\(map.name): lightness rises somewhere")
            } else {
                XCTAssertTrue(steps.allSatisfy { $0 >= 0 }, "\(map.name): lightness falls somewhere")
            }
            var chosenError = 0.0, bestError = 0.0
            for (entry, index) in zip(map.table, chosen) {
                let target = OKLab(entry)
                chosenError += target.distance(to: lab(ofXterm: index))
                bestError += PaletteRamp.xterm256Candidates.map { target.distance(to: lab(ofXterm: $0)) }.min()!
            }
            XCTAssertLessThanOrEqual(chosenError, 1.15 * bestError,
                                     "\(map.name): mean error \(chosenError / 256) vs best \(bestError / 256)")
        }
    }

    func test256ColourRampNeverUsesTheRedefinableAnsiEntries() {
        for map in Colormap.all {
            XCTAssertTrue(indices(map.ramp256).allSatisfy { $0 >= 16 }, map.name)
        }
    }

    func test16And8ColourRampsUseOnlyTheirAnsiEntriesAndRiseInLightness() {
        for map in Colormap.families {
            for (ramp, count) in [(map.ramp16, 16), (map.ramp8, 8)] {
                let chosen = indices(ramp)
                XCTAssertTrue(chosen.allSatisfy { Int($0) < count }, "\(map.name) \(count)")
                let lightness = chosen.map { lab(ofXterm: $0).L }
                XCTAssertTrue(zip(lightness, lightness.dropFirst()).allSatisfy { $1 >= $0 }, "\(map.name) \(count)")
                XCTAssertGreaterThan(ramp.steps, 2, "\(map.name) \(count): more than two steps")
            }
        }
        XCTAssertEqual(Colormap.gray.ramp16.colors.first, .indexed(0))
        XCTAssertEqual(Colormap.gray.ramp16.colors.last, .indexed(15))
    }

    /// Plain ΔE_OK would paint the gray map's mid-greys ANSI cyan; weighting hue keeps them grey.
    func testGrayOn16ColoursUsesOnlyTheGreyAnsiEntries() {
        XCTAssertEqual(Set(indices(Colormap.gray.ramp16)), [0, 8, 7, 15])
        let unweighted = PaletteRamp.indices(for: Colormap.gray.table, candidates: PaletteRamp.ansiCandidates(count: 16))
        XCTAssertTrue(unweighted.contains(6), "premise: without the weight a grey goes cyan")
    }

    func testRampForEachColourDepth() {
        let map = Colormap.magma
        XCTAssertEqual(map.ramp(for: .truecolor), map.ramp)
        XCTAssertEqual(map.ramp(for: ColorDepth(mode: .color256)), map.ramp256)
        XCTAssertEqual(map.ramp(for: ColorDepth(mode: .color16, ansiColors: 16)), map.ramp16)
        XCTAssertEqual(map.ramp(for: ColorDepth(mode: .color16, ansiColors: 8)), map.ramp8)
        XCTAssertEqual(map.ramp(for: ColorDepth(mode: .mono)), map.ramp)
    }

    /// A map whose lightness goes up and down keeps nearest-entry mapping (no constraint to keep).
    func testNonMonotoneTableIsMappedEntryByEntry() {
        let table: [(UInt8, UInt8, UInt8)] = [(0, 0, 0), (255, 255, 255), (0, 0, 0)]
        XCTAssertEqual(PaletteRamp.indices(for: table, candidates: PaletteRamp.xterm256Candidates), [16, 231, 16])
    }
}

final class OKLabTests: XCTestCase {
    /// Reference values of Ottosson's definition for the sRGB primaries and white.
    func testPrimariesAndWhite() {
        let white = OKLab(r: 255, g: 255, b: 255)
        XCTAssertEqual(white.L, 1, accuracy: 1e-4)
        XCTAssertEqual(white.a, 0, accuracy: 1e-4)
        XCTAssertEqual(white.b, 0, accuracy: 1e-4)
        let red = OKLab(r: 255, g: 0, b: 0)
        XCTAssertEqual(red.L, 0.62796, accuracy: 1e-3)
        XCTAssertEqual(red.a, 0.22486, accuracy: 1e-3)
        XCTAssertEqual(red.b, 0.12585, accuracy: 1e-3)
        let blue = OKLab(r: 0, g: 0, b: 255)
        XCTAssertEqual(blue.L, 0.45201, accuracy: 1e-3)
        XCTAssertEqual(blue.a, -0.03246, accuracy: 1e-3)
        XCTAssertEqual(blue.b, -0.31153, accuracy: 1e-3)
        XCTAssertEqual(OKLab(r: 0, g: 0, b: 0).L, 0, accuracy: 1e-9)
    }

    func testGreysHaveNoHueAndRiseInLightness() {
        let greys = (0...255).map { OKLab(r: UInt8($0), g: UInt8($0), b: UInt8($0)) }
        XCTAssertTrue(greys.allSatisfy { abs($0.a) < 1e-4 && abs($0.b) < 1e-4 })
        XCTAssertTrue(zip(greys, greys.dropFirst()).allSatisfy { $1.L > $0.L })
    }

    func testDistanceIsEuclidean() {
        XCTAssertEqual(OKLab(L: 0, a: 0, b: 0).distance(to: OKLab(L: 0.3, a: 0.4, b: 0)), 0.5, accuracy: 1e-12)
    }
}

/// The backend's degrade of single 24-bit colours (theme, gap and mark colours).
final class PerceptualNearestTests: XCTestCase {
    /// Viridis entry 35, a dark violet: by RGB distance the nearest entry was the greyish blue 60
    /// (95,95,135), lighter than what entry 45 then got (24, (0,95,135)): the dark-light-dark band.
    /// By OKLab it is the violet 54 (95,0,135).
    func testViridisDarkVioletIsNotTheLighterGreyishBlue() {
        XCTAssertEqual(Palette.xterm256Index(r: 70, g: 48, b: 126), 54)
        XCTAssertGreaterThan(Palette.oklab[60].L, Palette.oklab[24].L, "premise: 60 is lighter than 24")
    }

    func testGreysStayGreyOnTheAnsiColours() {
        for v: UInt8 in [60, 128, 180, 240] {
            XCTAssertTrue([0, 7, 8, 15].contains(Palette.ansiIndex(r: v, g: v, b: v)), "grey \(v)")
        }
    }
}
