import TerminalUI
@testable import Theming
import XCTest

/// Theme files: the shipped ones, the compiled-in default, and what a bad file says.
final class ThemeFileTests: XCTestCase {
    /// The package root's themes/ and this target's fixtures, found from this file.
    static let testDirectory = ThemeFileSystem.directory(of: #filePath)
    static let packageRoot = ThemeFileSystem.directory(of: ThemeFileSystem.directory(of: testDirectory))
    static let themesDirectory = packageRoot + "/themes"
    static let fixtures = testDirectory + "/Fixtures"

    func testEveryShippedThemeLoadsWithoutWarnings() throws {
        let files = ThemeLocator(directories: [Self.themesDirectory]).themeFiles()
        XCTAssertEqual(files.map(\.name), ["default", "high-contrast", "light", "mono", "solarized"])
        for file in files {
            let loaded = try ThemeFile.load(path: file.path)
            XCTAssertEqual(loaded.warnings, [], file.path)
            XCTAssertEqual(loaded.theme.name, file.name)
            XCTAssertNotNil(Colormap.named(loaded.theme.colormap), file.path)
        }
    }

    func testCompiledDefaultEqualsDefaultFile() throws {
        let loaded = try ThemeFile.load(path: Self.themesDirectory + "/default.toml")
        XCTAssertEqual(loaded.theme, Theme.default)
        // Every key is written out there, so a new key without a line in default.toml fails here.
        let text = try ThemeFileSystem.readText(Self.themesDirectory + "/default.toml")
        for entry in ThemeFile.colorKeys {
            let leaf = entry.key.split(separator: ".").last.map(String.init) ?? entry.key
            XCTAssertTrue(text.contains("\n\(leaf) = "), "default.toml lists colors.\(entry.key)")
        }
    }

    func testThemesDifferFromEachOther() throws {
        let themes = try ThemeLocator(directories: [Self.themesDirectory]).themeFiles().map { try ThemeFile.load(path: $0.path).theme }
        for (i, a) in themes.enumerated() {
            for b in themes[(i + 1)...] { XCTAssertNotEqual(a.colors, b.colors, "\(a.name) vs \(b.name)") }
        }
    }

    func testMonoThemeUsesNoColour() throws {
        let mono = try ThemeFile.load(path: Self.themesDirectory + "/mono.toml").theme
        for colors in [mono.colors, mono.colors16] {
            for entry in ThemeFile.colorKeys { XCTAssertEqual(colors[keyPath: entry.field], .default, entry.key) }
        }
        XCTAssertEqual(mono.colormap, "gray")
        XCTAssertTrue(mono.colors.statusWarningStyle.reverse, "with no colour, a warning still stands out")
        XCTAssertTrue(mono.colors.statusErrorStyle.bold)
    }

    func testUnknownKeysAreWarnedWithTheirPath() throws {
        let path = Self.fixtures + "/unknown-keys.toml"
        let loaded = try ThemeFile.load(path: path)
        XCTAssertEqual(loaded.warnings, ["\(path): unknown key colors.heatmap.foo",
                                         "\(path): unknown key colors16.meter.medium",
                                         "\(path): unknown key colour"])
        // The known keys beside them still count.
        XCTAssertEqual(loaded.theme.colormap, "magma")
        XCTAssertEqual(loaded.theme.colors.title, .indexed(4))
        XCTAssertEqual(loaded.theme.colors.markColour, .rgb(0, 255, 0))
    }

    func testSyntaxErrorNamesFileAndLine() {
        let path = Self.fixtures + "/syntax-error.toml"
        XCTAssertThrowsError(try ThemeFile.load(path: path)) { error in
            guard case .syntax(let file, let line, let column, let message)? = error as? ThemeError else {
                return XCTFail("not a syntax error: \(error)")
            }
            XCTAssertEqual(file, path)
            XCTAssertEqual(line, 4)
            XCTAssertGreaterThan(column, 0)
            XCTAssertFalse(message.isEmpty)
            XCTAssertTrue("\(error)".hasPrefix("theme \(path):4:"), "\(error)")
        }
    }

    func testWrongTypeNamesTheKey() {
        assertInvalid("[colors.status]\nwarning-text = true\n", key: "colors.status.warning-text", saying: "not a bool")
        assertInvalid("[colors]\nheatmap = \"red\"\n", key: "colors.heatmap", saying: "must be a table")
        assertInvalid("colors = 3\n", key: "colors", saying: "must be a table")
        assertInvalid("colormap = 1\n", key: "colormap", saying: "not a int")
        assertInvalid("[colors16]\nerror = \"purpel\"\n", key: "colors16.error", saying: "\"purpel\", not a colour")
        assertInvalid("[colors]\nerror = 256\n", key: "colors.error", saying: "0…255")
    }

    func testUnknownColormapNamesTheValidOnes() {
        XCTAssertThrowsError(try ThemeFile.parse("colormap = \"jet\"\n", path: "x.toml", name: "x")) { error in
            XCTAssertEqual(error as? ThemeError, .unknownColormap(path: "x.toml", name: "jet", valid: Colormap.allNames))
            XCTAssertTrue("\(error)".contains(Colormap.allNames.joined(separator: ", ")))
        }
    }

    func testColourForms() throws {
        let text = "[colors]\nbackground = \"#0A0b0c\"\ntext = 42\nlabel = \"bright-black\"\naccent = \"default\"\nborder = \"WHITE\"\n"
        let colors = try ThemeFile.parse(text, path: "x.toml", name: "x").theme.colors
        XCTAssertEqual(colors.background, .rgb(10, 11, 12))
        XCTAssertEqual(colors.value, .indexed(42))
        XCTAssertEqual(colors.label, .indexed(8))
        XCTAssertEqual(colors.title, .default)
        XCTAssertEqual(colors.border, .indexed(7))
        for color: Color in [.default, .indexed(3), .indexed(14), .rgb(1, 2, 255)] {
            XCTAssertEqual(ThemeColorName.parse(ThemeColorName.format(color)), color, "\(color)")
        }
        XCTAssertEqual(ThemeColorName.format(.indexed(200)), "200", "written as TOML writes a palette index")
        XCTAssertNil(ThemeColorName.parse("#12345"))
        XCTAssertNil(ThemeColorName.parse("#12345g"))
    }

    func testColors16ReplacesOnlyWhatItNames() throws {
        let text = "[colors]\naccent = \"#102030\"\nwarning = \"#ffaa00\"\n[colors16]\nwarning = \"yellow\"\n"
        let theme = try ThemeFile.parse(text, path: "x.toml", name: "x").theme
        XCTAssertEqual(theme.colors(for: .truecolor).warning, .rgb(255, 170, 0))
        XCTAssertEqual(theme.colors(for: .color256).warning, .rgb(255, 170, 0))
        XCTAssertEqual(theme.colors(for: .color16).warning, .indexed(3))
        XCTAssertEqual(theme.colors(for: .color16).title, .rgb(16, 32, 48), "what [colors16] leaves out comes from [colors]")
    }

    func testEmptyFileIsTheCompiledDefault() throws {
        let loaded = try ThemeFile.parse("", path: "empty.toml", name: "default")
        XCTAssertEqual(loaded.theme, Theme.default)
        XCTAssertEqual(loaded.warnings, [])
    }

    private func assertInvalid(_ text: String, key: String, saying part: String, line: UInt = #line) {
        XCTAssertThrowsError(try ThemeFile.parse(text, path: "x.toml", name: "x"), line: line) { error in
            guard case .invalidValue(let path, let named, let message)? = error as? ThemeError else {
                return XCTFail("not a value error: \(error)", line: line)
            }
            XCTAssertEqual(path, "x.toml", line: line)
            XCTAssertEqual(named, key, line: line)
            XCTAssertTrue(message.contains(part), "\(message)", line: line)
            XCTAssertTrue("\(error)".hasPrefix("theme x.toml: \(key) "), "\(error)", line: line)
        }
    }
}
