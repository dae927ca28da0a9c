import TerminalUI
import XCTest

/// Colour and glyph detection as a pure function of explicit environments.
final class TerminalProfileTests: XCTestCase {
    private let utf8 = ["TERM": "xterm-256color", "LANG": "en_US.UTF-8"]

    private func detect(_ environment: [String: String], colors: Int = 256, requested: ColorMode? = nil,
                        codeset: String? = "UTF-8") -> TerminalProfile {
        TerminalProfile.detect(environment: environment, terminfoColors: colors, requested: requested, codeset: codeset)
    }

    func testAUTF8XtermGets256ColoursAndUnicode() {
        let profile = detect(utf8)
        XCTAssertEqual(profile.colors, ColorDepth(mode: .color256))
        XCTAssertTrue(profile.unicode)
        XCTAssertEqual(profile.glyphs, .unicode)
        XCTAssertEqual(profile.heatmapGlyphs, .halfBlocks)
    }

    func testNoColorWithAnyNonEmptyValueMeansMono() {
        for value in ["1", "0", "yes", "false"] {
            let profile = detect(utf8.merging(["NO_COLOR": value]) { $1 })
            XCTAssertEqual(profile.colors.mode, .mono, value)
            XCTAssertEqual(profile.heatmapGlyphs, .ascii, "half blocks mean nothing without colour")
            XCTAssertEqual(profile.glyphs, .unicode, "NO_COLOR is about colour, not characters")
        }
    }

    func testAnEmptyNoColorIsIgnored() {
        XCTAssertEqual(detect(utf8.merging(["NO_COLOR": ""]) { $1 }).colors.mode, .color256)
    }

    func testColorsOptionOverridesNoColorAndDetectionCappedByTerminfo() {
        let noColor = utf8.merging(["NO_COLOR": "1"]) { $1 }
        XCTAssertEqual(detect(noColor, requested: .color256).colors.mode, .color256)
        XCTAssertEqual(detect(noColor, requested: .color16).colors.mode, .color16)
        XCTAssertEqual(detect(utf8, requested: .truecolor).colors.mode, .color256, "terminfo has 256")
        XCTAssertEqual(detect(utf8, colors: 1 << 24, requested: .mono).colors.mode, .mono)
    }

    func testTheLinuxConsoleGetsEightColoursAsciiTextAndHalfBlocks() {
        let console = ["TERM": "linux", "LANG": "C.UTF-8"]
        let profile = detect(console, colors: 8)
        XCTAssertEqual(profile.colors, ColorDepth(mode: .color16, ansiColors: 8))
        XCTAssertEqual(profile.glyphs, .ascii)
        XCTAssertEqual(profile.heatmapGlyphs, .halfBlocks)
        XCTAssertTrue(profile.unicode, "the backend may still print the half block")
        let latin1 = detect(["TERM": "linux", "LANG": "de_DE.ISO-8859-1"], colors: 8, codeset: "ISO-8859-1")
        XCTAssertEqual(latin1.heatmapGlyphs, .ascii)
        XCTAssertEqual(detect(["TERM": "linux-16color", "LANG": "C.UTF-8"], colors: 16).glyphs, .ascii)
    }

    func testWithoutAUTF8LocaleEverythingIsAscii() {
        for environment in [["TERM": "xterm-256color"], ["TERM": "xterm-256color", "LANG": "C"],
                            ["TERM": "xterm-256color", "LANG": "POSIX"],
                            ["TERM": "xterm-256color", "LANG": "en_US.UTF-8", "LC_ALL": "C"],
                            ["TERM": "xterm-256color", "LANG": "en_US.UTF-8", "LC_CTYPE": "en_US.ISO-8859-15"]] {
            let profile = detect(environment, codeset: nil)
            XCTAssertFalse(profile.unicode, "\(environment)")
            XCTAssertEqual(profile.glyphs, .ascii, "\(environment)")
            XCTAssertEqual(profile.heatmapGlyphs, .ascii, "\(environment)")
            XCTAssertEqual(profile.colors.mode, .color256, "colour does not depend on the locale")
        }
    }

    func testLocalePrecedenceIsLcAllThenLcCtypeThenLang() {
        XCTAssertTrue(TerminalProfile.localeIsUTF8(environment: ["LANG": "C", "LC_CTYPE": "C.utf8"]))
        XCTAssertTrue(TerminalProfile.localeIsUTF8(environment: ["LC_CTYPE": "C", "LC_ALL": "en_GB.UTF-8"]))
        XCTAssertTrue(TerminalProfile.localeIsUTF8(environment: ["LC_ALL": "", "LANG": "sr_RS.UTF-8@latin"]),
                      "empty counts as unset; a modifier follows the codeset")
        XCTAssertFalse(TerminalProfile.localeIsUTF8(environment: [:]))
    }

    /// A UTF-8 locale that is not installed leaves the C library in ASCII: believe the library.
    func testACodesetThatIsNotUTF8WinsOverTheLocaleName() {
        XCTAssertFalse(detect(utf8, codeset: "ANSI_X3.4-1968").unicode)
        XCTAssertTrue(detect(utf8, codeset: "utf-8").unicode)
    }
}
