import TerminalUI

/// How a theme file writes a colour: `"default"` (the terminal's own), one of the 16 ANSI names
/// (`"red"`, `"bright-black"`, …: they follow the user's palette), `"#rrggbb"`, or a palette
/// index 0…255 (an integer). Pure functions.
public enum ThemeColorName {
    /// The 16 ANSI colours by index.
    public static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        + ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"].map { "bright-" + $0 }

    /// The colour a string names, nil when it names none.
    public static func parse(_ text: String) -> Color? {
        let name = text.lowercased()
        if name == "default" { return .default }
        if let index = ansiNames.firstIndex(of: name) { return .indexed(UInt8(index)) }
        guard name.hasPrefix("#"), name.count == 7 else { return nil }
        let digits = Array(name.utf8.dropFirst())
        var channels: [UInt8] = []
        for i in stride(from: 0, to: 6, by: 2) {
            guard let pair = UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            channels.append(pair)
        }
        return .rgb(channels[0], channels[1], channels[2])
    }

    /// The colour as a theme file writes it (the inverse of `parse`, integers as decimal text).
    public static func format(_ color: Color) -> String {
        switch color {
        case .default: return "default"
        case .indexed(let i) where Int(i) < ansiNames.count: return ansiNames[Int(i)]
        case .indexed(let i): return String(i)
        case .rgb(let r, let g, let b):
            return "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// What `parse` accepts, for error messages.
    public static let accepted = "\"default\", an ANSI name (black, red, …, bright-white), \"#rrggbb\" or a palette index 0…255"
}
