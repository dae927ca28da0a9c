import Glibc
@testable import Theming
import XCTest

/// Where `--theme NAME` looks, in which order, and what `T` cycles through.
final class ThemeLocatorTests: XCTestCase {
    private var scratch = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/detview-themes-XXXXXX".utf8CString)
        scratch = try XCTUnwrap(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
    }

    override func tearDown() {
        for directory in ["a", "b", ""] {
            let path = directory.isEmpty ? scratch : scratch + "/" + directory
            for file in ThemeFileSystem.tomlFiles(in: path) { unlink(file) }
            rmdir(path)
        }
    }

    @discardableResult
    private func write(_ text: String, to relative: String) -> String {
        let path = scratch + "/" + relative
        mkdir(ThemeFileSystem.directory(of: path), 0o700)
        let file = fopen(path, "w")!
        fputs(text, file)
        fclose(file)
        return path
    }

    func testFirstDirectoryHoldingTheNameWins() throws {
        write("colormap = \"magma\"\n", to: "a/x.toml")
        write("colormap = \"inferno\"\n", to: "b/x.toml")
        write("colormap = \"cividis\"\n", to: "b/y.toml")
        let locator = ThemeLocator(directories: [scratch + "/a", scratch + "/b"])
        XCTAssertEqual(locator.themeFiles().map(\.path), [scratch + "/a/x.toml", scratch + "/b/y.toml"])
        XCTAssertEqual(try locator.select("x").cycle.current.colormap, "magma")
        let reversed = ThemeLocator(directories: [scratch + "/b", scratch + "/a"])
        XCTAssertEqual(try reversed.select("x").cycle.current.colormap, "inferno")
    }

    func testStandardSearchPathIsVariableThenSourceTreeThenShare() {
        let root = ThemeFileTests.packageRoot
        let fromBuild = ThemeLocator.standard(themesVariable: "/one:/two", executablePath: root + "/.build/debug/detview")
        XCTAssertEqual(fromBuild.directories, ["/one", "/two", root + "/themes", root + "/.build/share/detview/themes"])
        let installed = ThemeLocator.standard(themesVariable: nil, executablePath: "/opt/detview/bin/detview")
        XCTAssertEqual(installed.directories, ["/opt/detview/share/detview/themes"])
    }

    func testUnknownNameListsTheFoundThemesAndWhereItLooked() {
        let locator = ThemeLocator(directories: [ThemeFileTests.themesDirectory, scratch + "/none"])
        XCTAssertThrowsError(try locator.select("nosuch")) { error in
            XCTAssertEqual(error as? ThemeError, .notFound(name: "nosuch",
                                                           found: ["default", "high-contrast", "light", "mono", "solarized"],
                                                           searched: locator.directories))
            XCTAssertTrue("\(error)".contains("found themes: default, high-contrast, light, mono, solarized"), "\(error)")
        }
    }

    func testSelectStartsAtTheChosenThemeAndCyclesThroughAll() throws {
        let (cycle, warnings) = try ThemeLocator(directories: [ThemeFileTests.themesDirectory]).select("light")
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(cycle.themes.map(\.name), ["default", "high-contrast", "light", "mono", "solarized"])
        XCTAssertEqual(cycle.current.name, "light")
        var next = cycle
        next.advance(); next.advance(); next.advance()
        XCTAssertEqual(next.current.name, "default", "wraps round")
        XCTAssertEqual(try ThemeLocator(directories: [ThemeFileTests.themesDirectory]).select(nil).cycle.current.name, "default")
    }

    func testNoThemeFilesGiveTheCompiledDefault() throws {
        let (cycle, warnings) = try ThemeLocator(directories: [scratch + "/none"]).select(nil)
        XCTAssertEqual(cycle, .compiledDefault)
        XCTAssertEqual(warnings, [])
    }

    func testAFileOutsideTheDirectoriesJoinsTheCycleAndABrokenOtherIsLeftOut() throws {
        let mine = write("colormap = \"magma\"\n[colors]\nextra = 1\n", to: "mine.toml")
        let broken = write("[colors\n", to: "a/broken.toml")
        write("colormap = \"gray\"\n", to: "a/fine.toml")
        let (cycle, warnings) = try ThemeLocator(directories: [scratch + "/a"]).select(mine)
        XCTAssertEqual(cycle.current.name, "mine")
        XCTAssertEqual(Set(cycle.themes.map(\.name)), ["mine", "fine", "default"])
        XCTAssertEqual(warnings.count, 2, "\(warnings)")
        XCTAssertTrue(warnings.contains("\(mine): unknown key colors.extra"))
        XCTAssertTrue(warnings.contains { $0.hasPrefix("theme \(broken):1:") && $0.hasSuffix("(left out of T's themes)") }, "\(warnings)")
    }

    func testTheChosenThemesErrorIsThrown() {
        let broken = write("[colors]\naccent = false\n", to: "a/broken.toml")
        XCTAssertThrowsError(try ThemeLocator(directories: [scratch + "/a"]).select("broken")) { error in
            XCTAssertEqual(error as? ThemeError, .invalidValue(path: broken, key: "colors.accent",
                                                               message: "must be a colour (\(ThemeColorName.accepted)), not a bool"))
        }
    }
}
