import TerminalUI
import Theming
import XCTest

final class ColormapTests: XCTestCase {
    func testViridisEndpointsMatchThePublishedMap() {
        XCTAssertTrue(Colormap.viridis.rgb(at: 0) == (68, 1, 84))
        XCTAssertTrue(Colormap.viridis.rgb(at: 1) == (253, 231, 37))
        XCTAssertTrue(Colormap.viridis.rgb(at: -4) == (68, 1, 84))
        XCTAssertTrue(Colormap.viridis.rgb(at: .nan) == (68, 1, 84))
        XCTAssertTrue(Colormap.viridis.rgb(at: 7) == (253, 231, 37))
    }

    func testInterpolatedEntriesStayWithinOneOfThePublishedValues() {
        // Published viridis entry 130 (not an anchor): (0.125394, 0.574318, 0.549086) × 255.
        let entry = Colormap.viridis.table[130]
        XCTAssertLessThanOrEqual(abs(Int(entry.0) - 32), 1)
        XCTAssertLessThanOrEqual(abs(Int(entry.1) - 146), 1)
        XCTAssertLessThanOrEqual(abs(Int(entry.2) - 140), 1)
        // Magma entry 255: (0.987053, 0.991438, 0.749504).
        XCTAssertTrue(Colormap.magma.table[255] == (252, 253, 191))
    }

    func testEveryMapHas256Entries() {
        for map in Colormap.all {
            XCTAssertEqual(map.table.count, 256, map.name)
            XCTAssertEqual(map.ramp.colors.count, 256, map.name)
        }
    }

    func testGrayLuminanceRisesMonotonically() {
        let lum = Colormap.gray.table.map { 0.2126 * Double($0.0) + 0.7152 * Double($0.1) + 0.0722 * Double($0.2) }
        XCTAssertTrue(zip(lum, lum.dropFirst()).allSatisfy { $0 < $1 })
    }

    func testPerceptualMapsGetLighterAlongTheTable() {
        for map in [Colormap.viridis, .magma, .inferno, .cividis] {
            let lum = map.table.map { 0.2126 * Double($0.0) + 0.7152 * Double($0.1) + 0.0722 * Double($0.2) }
            // 8-bit rounding allows tiny dips between neighbours, never over 8 entries.
            XCTAssertTrue(stride(from: 0, to: 248, by: 1).allSatisfy { lum[$0] < lum[$0 + 8] }, map.name)
        }
    }

    func testNamedLookup() {
        XCTAssertEqual(Colormap.named("Magma")?.name, "magma")
        XCTAssertEqual(Colormap.named("grey")?.name, "gray")
        XCTAssertNil(Colormap.named("jet"))
        XCTAssertEqual(Colormap.allNames, ["viridis", "magma", "inferno", "cividis", "gray"])
    }

    func testHeatmapWithColormapPaintsItsColours() {
        var b = Buffer(width: 1, height: 1)
        HeatmapWidget(pixels: [0, 1], width: 1, height: 2, low: 0, high: 1, colormap: .viridis).render(in: b.area, into: &b)
        XCTAssertEqual(b[0, 0].style.fg, .rgb(68, 1, 84))
        XCTAssertEqual(b[0, 0].style.bg, .rgb(253, 231, 37))
    }

    func testThemeDefaultsColourTheMeter() {
        var theme = Theme.default.colors
        theme.meterHigh = .rgb(9, 9, 9)
        XCTAssertEqual(MeterWidget(label: "", fraction: 1).themed(theme).loadColor, .rgb(9, 9, 9))
        XCTAssertNotEqual(Theme.default.colors.gapColour, Colormap.viridis.ramp.colors[0])
    }
}

final class PaletteTests: XCTestCase {
    func testPureColoursMapToTheCubeCorners() {
        XCTAssertEqual(Palette.xterm256Index(r: 255, g: 0, b: 0), 196)
        XCTAssertEqual(Palette.xterm256Index(r: 0, g: 255, b: 0), 46)
        XCTAssertEqual(Palette.xterm256Index(r: 0, g: 0, b: 255), 21)
        XCTAssertEqual(Palette.xterm256Index(r: 0, g: 0, b: 0), 16)
        XCTAssertEqual(Palette.xterm256Index(r: 255, g: 255, b: 255), 231)
    }

    func testGreysMapToTheGreyRamp() {
        XCTAssertEqual(Palette.xterm256Index(r: 128, g: 128, b: 128), 244)
        XCTAssertEqual(Palette.xterm256Index(r: 8, g: 8, b: 8), 232)
        XCTAssertEqual(Palette.xterm256Index(r: 238, g: 238, b: 238), 255)
        XCTAssertEqual(Palette.xterm256Index(r: 95, g: 95, b: 95), 59, "exact cube grey beats the ramp")
    }

    func testEveryIndexMapsBackToItselfThroughItsRGB() {
        for i in 16...255 {
            let c = Palette.rgb(ofXterm256: UInt8(i))
            let back = Palette.xterm256Index(r: c.0, g: c.1, b: c.2)
            XCTAssertTrue(Palette.rgb(ofXterm256: back) == c, "index \(i)")
        }
    }

    func testNearestAnsiColour() {
        XCTAssertEqual(Palette.ansiIndex(r: 255, g: 0, b: 0), 9)
        XCTAssertEqual(Palette.ansiIndex(r: 200, g: 10, b: 0), 1)
        XCTAssertEqual(Palette.ansiIndex(r: 255, g: 255, b: 255), 15)
        XCTAssertEqual(Palette.ansiIndex(r: 255, g: 0, b: 0, count: 8), 1)
    }
}

final class TerminalColorNumbersTests: XCTestCase {
    func testDirectModeSendsRGBAndKeepsAnsiIndices() {
        let n = TerminalColorNumbers(mode: .truecolor)
        XCTAssertEqual(n.number(for: .rgb(1, 2, 3)), 0x010203)
        XCTAssertEqual(n.number(for: .rgb(0, 0, 0)), 8, "0…7 would be read as ANSI colours")
        XCTAssertEqual(n.number(for: .indexed(3)), 3)
        XCTAssertEqual(n.number(for: .indexed(196)), 0xFF0000)
        XCTAssertEqual(n.number(for: .default), -1)
    }

    func testDegradedModes() {
        XCTAssertEqual(TerminalColorNumbers(mode: .color256).number(for: .rgb(255, 0, 0)), 196)
        XCTAssertEqual(TerminalColorNumbers(mode: .color256).number(for: .indexed(77)), 77)
        XCTAssertEqual(TerminalColorNumbers(mode: .color16, paletteSize: 16).number(for: .rgb(255, 0, 0)), 9)
        XCTAssertEqual(TerminalColorNumbers(mode: .color16, paletteSize: 8).number(for: .indexed(12)), 4)
        XCTAssertEqual(TerminalColorNumbers(mode: .color16, paletteSize: 16).number(for: .indexed(196)), 9)
        XCTAssertEqual(TerminalColorNumbers(mode: .mono).number(for: .rgb(255, 0, 0)), -1)
    }
}

final class ColorModeTests: XCTestCase {
    func testCapabilityFromColourCount() {
        XCTAssertEqual(ColorMode.resolve(requested: nil, colors: 1 << 24), .truecolor)
        XCTAssertEqual(ColorMode.resolve(requested: nil, colors: 256), .color256)
        XCTAssertEqual(ColorMode.resolve(requested: nil, colors: 8), .color16)
        XCTAssertEqual(ColorMode.resolve(requested: nil, colors: 0), .mono)
    }

    func testRequestIsCappedByCapability() {
        XCTAssertEqual(ColorMode.resolve(requested: .truecolor, colors: 256), .color256)
        XCTAssertEqual(ColorMode.resolve(requested: .mono, colors: 256), .mono)
        XCTAssertEqual(ColorMode.resolve(requested: .color16, colors: 1 << 24), .color16)
    }

    func testDirectTerminfoIsChosenOnlyWhenWantedAndInstalled() {
        let installed: (String) -> Bool = { ["xterm-direct", "tmux-direct"].contains($0) }
        XCTAssertEqual(ColorMode.directTerminfo(term: "xterm-256color", colorTerm: "truecolor", requested: nil, exists: installed), "xterm-direct")
        XCTAssertEqual(ColorMode.directTerminfo(term: "tmux-256color", colorTerm: nil, requested: .truecolor, exists: installed), "tmux-direct")
        XCTAssertNil(ColorMode.directTerminfo(term: "xterm-256color", colorTerm: nil, requested: nil, exists: installed))
        XCTAssertNil(ColorMode.directTerminfo(term: "xterm-256color", colorTerm: "24bit", requested: .color256, exists: installed))
        XCTAssertNil(ColorMode.directTerminfo(term: "screen-256color", colorTerm: "truecolor", requested: nil, exists: installed))
        XCTAssertNil(ColorMode.directTerminfo(term: "xterm-direct", colorTerm: "truecolor", requested: nil, exists: installed))
        XCTAssertNil(ColorMode.directTerminfo(term: nil, colorTerm: "truecolor", requested: nil, exists: installed))
    }

    func testNames() {
        XCTAssertEqual(ColorMode(name: "24bit"), .truecolor)
        XCTAssertEqual(ColorMode(name: "256"), .color256)
        XCTAssertEqual(ColorMode(name: "16"), .color16)
        XCTAssertEqual(ColorMode(name: "mono"), .mono)
        XCTAssertNil(ColorMode(name: "lots"))
    }
}

final class KeyAndNumberTests: XCTestCase {
    func testControlBytesBecomeNamedKeys() {
        XCTAssertEqual(Key.fromCharacterCode(0x03), .control("c"))
        XCTAssertEqual(Key.fromCharacterCode(0x0D), .enter)
        XCTAssertEqual(Key.fromCharacterCode(0x1B), .escape)
        XCTAssertEqual(Key.fromCharacterCode(0x7F), .backspace)
        XCTAssertEqual(Key.fromCharacterCode(0x09), .tab)
        XCTAssertEqual(Key.fromCharacterCode(0x71), .character("q"))
        XCTAssertEqual(Key.fromCharacterCode(0xE9), .character("é"))
        XCTAssertNil(Key.fromCharacterCode(0xD800))
    }

    func testCompactNumbers() {
        XCTAssertEqual(CompactNumber.format(0), "0")
        XCTAssertEqual(CompactNumber.format(1234), "1234")
        XCTAssertEqual(CompactNumber.format(0.5), "0.5")
        XCTAssertEqual(CompactNumber.format(12.34), "12.3")
        XCTAssertEqual(CompactNumber.format(1.234), "1.23")
        XCTAssertEqual(CompactNumber.format(-42), "-42")
        XCTAssertEqual(CompactNumber.format(123_456), "1.2e5")
        XCTAssertEqual(CompactNumber.format(0.001234), "1.2e-3")
        XCTAssertEqual(CompactNumber.format(99_999.7), "1e5")
        XCTAssertEqual(CompactNumber.format(.nan), "nan")
        XCTAssertEqual(CompactNumber.format(-.infinity), "-inf")
    }
}

final class ColorPairCacheTests: XCTestCase {
    func testPairsAreAllocatedOnceAndDefaultsUsePairZero() {
        var cache = ColorPairCache(limit: 10)
        var defined: [[Int32]] = []
        let define: (Int32, Int32, Int32) -> Void = { defined.append([$0, $1, $2]) }
        XCTAssertEqual(cache.pair(fg: -1, bg: -1, define: define).pair, 0)
        XCTAssertEqual(cache.pair(fg: 3, bg: -1, define: define).pair, 1)
        XCTAssertEqual(cache.pair(fg: 3, bg: 4, define: define).pair, 2)
        XCTAssertEqual(cache.pair(fg: 3, bg: -1, define: define).pair, 1)
        XCTAssertEqual(defined, [[1, 3, -1], [2, 3, 4]])
    }

    func testFullCacheStartsOverAndSaysSo() {
        var cache = ColorPairCache(limit: 2)
        let define: (Int32, Int32, Int32) -> Void = { _, _, _ in }
        XCTAssertFalse(cache.pair(fg: 1, bg: 1, define: define).reset)
        XCTAssertFalse(cache.pair(fg: 2, bg: 2, define: define).reset)
        let third = cache.pair(fg: 3, bg: 3, define: define)
        XCTAssertEqual(third.pair, 1)
        XCTAssertTrue(third.reset)
        // The old assignment is gone: (1,1) gets a fresh number.
        XCTAssertEqual(cache.pair(fg: 1, bg: 1, define: define).pair, 2)
    }

    func testNoPairsMeansPairZero() {
        var cache = ColorPairCache(limit: 0)
        XCTAssertEqual(cache.pair(fg: 1, bg: 2) { _, _, _ in XCTFail("nothing to define") }.pair, 0)
    }
}

/// The colormap registry's cycle (the viewer's `C` key).
final class ColormapCycleTests: XCTestCase {
    func testAfterGoesThroughTheRegistryAndWraps() {
        var name = Colormap.allNames[0]
        var seen: [String] = []
        for _ in Colormap.all {
            name = Colormap.after(name).name
            seen.append(name)
        }
        XCTAssertEqual(seen, Array(Colormap.allNames.dropFirst()) + [Colormap.allNames[0]])
        XCTAssertEqual(Colormap.after("nonexistent").name, Colormap.allNames[0])
        XCTAssertEqual(Colormap.after("Grey").name, Colormap.allNames[0], "the alias of gray, the last, wraps")
    }
}
