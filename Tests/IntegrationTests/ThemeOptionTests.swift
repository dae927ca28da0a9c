import Foundation
import XCTest

/// `--theme` on the real binary: a name not found is refused with the themes found, a bad file with
/// its line, and an unknown key is a warning in the headless output. (`T` in a terminal:
/// `TerminalTests.testThemeOptionStartsWithTheThemeAndCapitalTCyclesThem`.)
final class ThemeOptionTests: XCTestCase {
    private let themeDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("detview-themes-\(UUID().uuidString)")

    override func setUpWithError() throws {
        try FileManager.default.createDirectory(at: themeDirectory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: themeDirectory)
    }

    func testUnknownThemeNameFailsListingTheThemesFound() throws {
        let process = try DetviewProcess(["view", "--demo", "--headless", "--theme", "nosuch"])
        XCTAssertEqual(process.waitForExit(timeout: 10), 2)
        let line = process.standardError.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(line.hasPrefix("detview: no theme named \"nosuch\"; found themes: default, high-contrast, light, mono, solarized"),
                      process.standardError)
        XCTAssertTrue(process.outputLines.isEmpty, "nothing started")
    }

    func testThemeFileWithASyntaxErrorFailsNamingFileAndLine() throws {
        let file = themeDirectory.appendingPathComponent("broken.toml").path
        try "colormap = \"magma\"\n\n[colors\n".write(toFile: file, atomically: true, encoding: .utf8)
        let process = try DetviewProcess(["view", "--demo", "--headless", "--theme", file])
        XCTAssertEqual(process.waitForExit(timeout: 10), 2)
        XCTAssertTrue(process.standardError.hasPrefix("detview: theme \(file):3:"), process.standardError)
    }

    func testUnknownKeyIsAWarningInTheHeadlessOutputAndTheViewerRuns() throws {
        try "[colors.heatmap]\nfoo = \"red\"\n".write(toFile: themeDirectory.appendingPathComponent("mine.toml").path,
                                                   atomically: true, encoding: .utf8)
        let process = try DetviewProcess(["view", "--demo", "--headless", "--workers", "1", "--exit-after-frames", "3",
                                          "--theme", "mine"],
                                         environment: ["DETVIEW_THEMES": themeDirectory.path])
        XCTAssertEqual(process.waitForExit(timeout: 30), 0, process.standardError)
        let expected = "\(themeDirectory.path)/mine.toml: unknown key colors.heatmap.foo"
        XCTAssertTrue(process.standardError.contains("detview: warning: \(expected)"), process.standardError)
        XCTAssertEqual(process.events("warning").first?["message"] as? String, expected)
    }
}
