import Foundation
import SnapshotTesting
import TerminalUI
import XCTest

/// A `Buffer` as text a person can read in a diff: the characters row by row, then the styles,
/// each row run-length coded with a short code per distinct style, then what each code means.
///
/// Why not the cells as one long dump: a change of one colour in one widget then shows as one
/// changed run in one row plus (at most) one legend line, so a reviewer sees where and what.
/// Codes are given in order of first appearance (row-major), so the same screen always gets the
/// same codes and an unchanged part of a screen keeps its codes.
enum GridText {
    static func render(_ buffer: Buffer) -> String {
        var lines = ["grid \(buffer.width)x\(buffer.height)", "text:"]
        for y in 0..<buffer.height {
            var row = String.UnicodeScalarView()
            for x in 0..<buffer.width { row.append(buffer[x, y].symbol) }
            lines.append("|" + String(row) + "|")
        }
        var codes: [Style: String] = [:]
        var legend: [String] = []
        func code(_ style: Style) -> String {
            if let known = codes[style] { return known }
            let new = name(legend.count)
            codes[style] = new
            legend.append("\(new) = \(describe(style))")
            return new
        }
        lines.append("style:")
        for y in 0..<buffer.height {
            var runs: [String] = []
            var x = 0
            while x < buffer.width {
                let style = buffer[x, y].style
                var end = x + 1
                while end < buffer.width, buffer[end, y].style == style { end += 1 }
                let length = end - x
                runs.append(length == 1 ? code(style) : "\(code(style))*\(length)")
                x = end
            }
            lines.append(String(format: "%3d ", y) + runs.joined(separator: " "))
        }
        lines.append("legend:")
        lines += legend
        return lines.joined(separator: "\n") + "\n"
    }

    /// 0 → "a", 25 → "z", 26 → "A", 52 → "ba", …: short and free of the separators used above.
    private static func name(_ index: Int) -> String {
        let digits = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var n = index, out = ""
        repeat {
            out = String(digits[n % digits.count]) + out
            n = n / digits.count - 1
        } while n >= 0
        return out
    }

    private static func describe(_ style: Style) -> String {
        var parts = ["fg \(describe(style.fg))", "bg \(describe(style.bg))"]
        if style.bold { parts.append("bold") }
        if style.dim { parts.append("dim") }
        if style.reverse { parts.append("reverse") }
        if style.underline { parts.append("underline") }
        return parts.joined(separator: " ")
    }

    private static func describe(_ color: Color) -> String {
        switch color {
        case .default: "default"
        case .indexed(let i): "\(i)"
        case .rgb(let r, let g, let b): String(format: "#%02x%02x%02x", r, g, b)
        }
    }
}

extension Snapshotting where Value == Buffer, Format == String {
    /// The text-and-style grid of a buffer (`GridText`), stored as `.txt`.
    static var grid: Snapshotting {
        var strategy = SimplySnapshotting.lines.pullback(GridText.render)
        strategy.pathExtension = "txt"
        return strategy
    }
}

/// How a missing or different snapshot is handled. Never recording is the default, so a test
/// run (CI included) fails on a snapshot that is missing instead of writing it and passing on
/// the next try; `SNAPSHOT_TESTING_RECORD=missing|all|failed` records (see README, Tests).
let snapshotRecordMode: SnapshotTestingConfiguration.Record =
    ProcessInfo.processInfo.environment["SNAPSHOT_TESTING_RECORD"].flatMap { .init(rawValue: $0) } ?? .never

/// Compares `buffer` with the snapshot named `name` next to the calling test file.
func assertGrid(_ buffer: Buffer, named name: String, file: StaticString = #filePath,
                testName: String = #function, line: UInt = #line) {
    withSnapshotTesting(record: snapshotRecordMode) {
        assertSnapshot(of: buffer, as: .grid, named: name, file: file, testName: testName, line: line)
    }
}
