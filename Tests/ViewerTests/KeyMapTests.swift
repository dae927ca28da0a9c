import Foundation
import Processing
import TerminalUI
import Theming
import Viewer
import XCTest

/// The key map is the one list of keys: the README's table, the help overlay and `view --help`
/// show it, and the reducer acts on what it says.
final class KeyMapTests: XCTestCase {
    /// The README's "## Keys" table as (key names, description) rows: backticks dropped,
    /// "`1`…`9`" read as the one name "1…9".
    private func readmeKeyTable() throws -> [(names: [String], help: String)] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let section = text.range(of: "\n## Keys\n") else {
            XCTFail("README.md has no \"## Keys\" section")
            return []
        }
        let lines = text[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.hasPrefix("## ") }
        let rows = lines.filter { $0.hasPrefix("| ") && !$0.hasPrefix("| key ") }
        return rows.map { row in
            // A `|` key is written `\|` in the table (Markdown would end the cell there).
            let cells = row.dropFirst(2).dropLast(2).replacingOccurrences(of: "\\|", with: "|")
                .components(separatedBy: " | ")
            let names = cells[0].replacingOccurrences(of: "`", with: "").components(separatedBy: ", ")
            return (names, cells.count > 1 ? cells[1] : "")
        }
    }

    func testTheReadmesKeyTableIsTheKeyMap() throws {
        let table = try readmeKeyTable()
        XCTAssertEqual(table.map(\.names), KeyMap.bindings.map(\.names))
        XCTAssertEqual(table.map(\.help), KeyMap.bindings.map(\.help))
    }

    func testEveryModeHasItsDigitAndNoKeyIsBoundTwice() {
        for mode in ProcessingMode.allCases {
            XCTAssertEqual(KeyMap.command(for: .character(mode.digit)), .selectMode(mode), mode.name)
        }
        let keys = KeyMap.bindings.flatMap { $0.commands.map(\.key) }
        XCTAssertEqual(Set(keys).count, keys.count)
        XCTAssertNil(KeyMap.command(for: .character("j")))
    }

    func testEveryNamedKeyIsBound() {
        for binding in KeyMap.bindings {
            for name in binding.names where name.count == 1 {
                XCTAssertNotNil(KeyMap.command(for: .character(Character(name))), "\(name) is shown but not bound")
            }
        }
        XCTAssertEqual(KeyMap.command(for: .control("c")), .quit)
        XCTAssertEqual(KeyMap.command(for: .function(1)), .toggleHelp)
        XCTAssertEqual(KeyMap.command(for: .character("=")), .raiseThreshold, "+ without Shift")
    }

    func testHelpOverlayAndViewHelpListTheKeyMap() {
        XCTAssertEqual(HelpText.keys.map(\.description), KeyMap.bindings.map(\.help))
        XCTAssertEqual(HelpText.keys.first?.key, "q  Ctrl-C")
        XCTAssertTrue(KeyMap.briefList.hasPrefix("q/Ctrl-C quit, ?/h/F1 help, l log scale, "), KeyMap.briefList)
        XCTAssertTrue(KeyMap.briefList.contains("m/1…9/0 processing mode"), KeyMap.briefList)
        XCTAssertEqual(KeyMap.briefList.components(separatedBy: ", ").count, KeyMap.bindings.count)
    }

    func testTheColormapKeyNamesEveryColormapFamilyAndTheReversedForms() {
        let help = KeyMap.bindings.first { $0.names == ["C"] }?.help ?? ""
        for map in Colormap.families { XCTAssertTrue(help.contains(map.name), map.name) }
        XCTAssertTrue(help.contains("reversed"), help)
    }
}
