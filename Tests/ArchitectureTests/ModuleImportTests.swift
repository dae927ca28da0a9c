import Foundation
import XCTest

/// Checks every `import` under `Sources/` against the module table of docs/ARCHITECTURE.md
/// (its "may import" column), so a layering rule is broken only by changing the table too.
final class ModuleImportTests: XCTestCase {
    /// Imports that break the table today and wait for a migration, by module. Empty since the
    /// session and the receiver moved to Platform; a new entry needs a reason and an owner.
    static let pendingMigrations: [String: Set<String>] = [:]

    /// Modules of the toolchain, allowed everywhere.
    static let toolchainModules: Set<String> = [
        "Glibc", "Musl", "Darwin", "Foundation", "FoundationEssentials", "Synchronization", "Dispatch", "_Concurrency",
    ]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// module → what it may import (nil: everything), from the table.
    static func moduleTable() throws -> [String: Set<String>?] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("| module |") }) else {
            struct MissingTable: Error {}
            throw MissingTable()
        }
        let columns = cells(lines[header])
        guard let mayImport = columns.firstIndex(of: "may import") else { return [:] }
        var table: [String: Set<String>?] = [:]
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            let row = cells(line)
            guard row.count > mayImport else { continue }
            let allowed: Set<String>? = row[mayImport] == "everything" ? nil : Set(backticked(row[mayImport]))
            for module in backticked(row[0]) { table[module] = allowed }
        }
        return table
    }

    private static func cells(_ line: String) -> [String] {
        line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private static func backticked(_ cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// The modules a Swift file imports (`import X`, `@testable import X`, `import struct X.Y`).
    static func imports(in text: String) -> Set<String> {
        var found: Set<String> = []
        for line in text.split(separator: "\n") {
            var words = line.split(separator: " ").map(String.init)
            while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
            guard words.first == "import", words.count >= 2 else { continue }
            let kinds: Set<String> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
            let path = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
            found.insert(String(path.split(separator: ".").first ?? ""))
        }
        return found
    }

    /// module directory name → the modules its Swift files import, with the file that does.
    static func sourceImports() throws -> [String: [String: String]] {
        let sources = root.appendingPathComponent("Sources")
        var result: [String: [String: String]] = [:]
        for module in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() {
            let directory = sources.appendingPathComponent(module)
            guard let walker = FileManager.default.enumerator(atPath: directory.path) else { continue }
            var imported: [String: String] = [:]
            for case let file as String in walker where file.hasSuffix(".swift") {
                let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                for name in imports(in: text) where imported[name] == nil { imported[name] = "\(module)/\(file)" }
            }
            result[module] = imported
        }
        return result
    }

    func testEveryImportIsAllowedByTheArchitectureTable() throws {
        let table = try Self.moduleTable()
        XCTAssertFalse(table.isEmpty, "docs/ARCHITECTURE.md has a module table with a 'may import' column")
        var violations: [String] = []
        for (module, imported) in try Self.sourceImports() {
            guard let allowed = table[module] else {
                if !imported.isEmpty { violations.append("\(module): a Swift module missing from the table") }
                continue
            }
            guard let allowed else { continue }   // everything
            let pending = Self.pendingMigrations[module] ?? []
            for (name, file) in imported.sorted(by: { $0.key < $1.key })
            where !allowed.contains(name) && !Self.toolchainModules.contains(name) && !pending.contains(name) {
                violations.append("\(file) imports \(name), which the table does not allow for \(module)")
            }
        }
        XCTAssertEqual(violations.sorted(), [], "imports against docs/ARCHITECTURE.md")
    }

    func testOnlyPlatformAndSharedMemoryImportCLinux() throws {
        let importers = try Self.sourceImports().filter { $0.value["CLinux"] != nil }.map(\.key)
        let pending = Self.pendingMigrations.filter { $0.value.contains("CLinux") }.map(\.key)
        XCTAssertEqual(Set(importers).subtracting(pending), ["Platform", "SharedMemory"])
    }

    func testPendingMigrationsAreStillNeeded() throws {
        // An entry nothing needs any more must go, so the list only shrinks.
        let imports = try Self.sourceImports()
        for (module, names) in Self.pendingMigrations {
            guard let imported = imports[module] else { continue }   // Ingest before it lands
            for name in names.sorted() {
                XCTAssertNotNil(imported[name], "\(module) no longer imports \(name): remove it from pendingMigrations")
            }
        }
    }

    func testTheImportParserSeesEveryForm() {
        let text = "import A\n@testable import B\nimport struct C.D\n@_exported import E\n// import F\nlet importX = 1\n"
        XCTAssertEqual(Self.imports(in: text), ["A", "B", "C", "E"])
    }
}
