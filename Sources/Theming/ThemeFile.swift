import TerminalUI
import TOMLKit

/// Reads a theme from TOML text (`themes/*.toml`): every key optional, its default the compiled-in
/// theme's; unknown keys warned about with their key path; a syntax error or a wrong type is an
/// error naming the file (and the line, or the key). Pure apart from `load(path:)`'s read.
///
/// ```toml
/// colormap = "viridis"          # a name in the colormap registry
/// [colors]                      # 256 colours and more
/// accent = "cyan"
/// [colors.heatmap]
/// gap = "#3a3a3a"
/// [colors16]                    # 16-colour terminals: replaces what it names
/// ```
public enum ThemeFile {
    /// A theme read from a file and what was wrong with it short of an error.
    public struct Loaded: Sendable, Equatable {
        public var theme: Theme
        /// "themes/x.toml: unknown key colors.heatmap.foo", one per unknown key.
        public var warnings: [String]
    }

    /// Reads and parses the file; the theme is named after the file (without `.toml`).
    public static func load(path: String) throws(ThemeError) -> Loaded {
        let text = try ThemeFileSystem.readText(path)
        return try parse(text, path: path, name: ThemeFileSystem.themeName(ofFile: path))
    }

    /// Parses theme text; `path` is only for messages.
    public static func parse(_ text: String, path: String, name: String) throws(ThemeError) -> Loaded {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(path: path, line: error.source.begin.line, column: error.source.begin.column,
                          message: error.description)
        } catch {
            throw .syntax(path: path, line: 0, column: 0, message: "\(error)")
        }
        var reader = Reader(path: path)
        var theme = Theme(name: name)
        for key in root.keys.sorted() {
            guard let value = root[key] else { continue }
            switch key {
            case "colormap":
                theme.colormap = try reader.colormap(value, key: key)
            case "colors":
                theme.colors = try reader.colors(value, key: key, over: Theme.default.colors)
            case "colors16":
                break   // read below, over the colours just read
            default:
                reader.warnUnknown(key)
            }
        }
        theme.colors16 = theme.colors
        if let value = root["colors16"] {
            theme.colors16 = try reader.colors(value, key: "colors16", over: theme.colors)
        }
        // In key-path order, whatever order the tables were read in.
        return Loaded(theme: theme, warnings: reader.warnings.sorted())
    }

    /// The colour keys under `[colors]` and `[colors16]`, as key paths below them, and where each
    /// goes. The one list the reader, the tests and the theme files agree on.
    static var colorKeys: [(key: String, field: WritableKeyPath<ThemeColors, Color>)] {
        [("background", \.background), ("text", \.value), ("label", \.label), ("accent", \.title),
         ("border", \.border), ("warning", \.warning), ("error", \.error),
         ("status.text", \.statusText), ("status.background", \.statusBackground),
         ("status.warning-text", \.statusWarningText), ("status.warning-background", \.statusWarningBackground),
         ("status.error-text", \.statusErrorText), ("status.error-background", \.statusErrorBackground),
         ("heatmap.gap", \.gapColour), ("heatmap.photon", \.markColour), ("heatmap.peak", \.peakMarkColour),
         ("heatmap.roi1", \.roi1Colour), ("heatmap.roi2", \.roi2Colour), ("heatmap.roi3", \.roi3Colour),
         ("heatmap.roi4", \.roi4Colour),
         ("meter.low", \.meterLow), ("meter.mid", \.meterMid), ("meter.high", \.meterHigh)]
    }

    /// The sub-tables of a colour table (`[colors.status]`, …).
    static var colorSections: Set<String> {
        Set(colorKeys.compactMap { entry in
            entry.key.firstIndex(of: ".").map { String(entry.key[..<$0]) }
        })
    }

    /// Walks the tables, collecting warnings; throws at the first bad value.
    private struct Reader {
        let path: String
        var warnings: [String] = []

        mutating func warnUnknown(_ keyPath: String) {
            warnings.append("\(path): unknown key \(keyPath)")
        }

        func colormap(_ value: TOMLValueConvertible, key: String) throws(ThemeError) -> String {
            guard let name = value.string else {
                throw .invalidValue(path: path, key: key, message: "must be a colormap name (a string), not a \(value.type)")
            }
            guard let map = Colormap.named(name) else {
                throw .unknownColormap(path: path, name: name, valid: Colormap.allNames)
            }
            return map.name
        }

        mutating func colors(_ value: TOMLValueConvertible, key: String, over base: ThemeColors) throws(ThemeError) -> ThemeColors {
            guard let table = value.table else {
                throw .invalidValue(path: path, key: key, message: "must be a table ([\(key)]), not a \(value.type)")
            }
            var colors = base
            var leaves: [(String, TOMLValueConvertible)] = []
            for name in table.keys.sorted() {
                guard let child = table[name] else { continue }
                if ThemeFile.colorSections.contains(name) {
                    guard let section = child.table else {
                        throw .invalidValue(path: path, key: "\(key).\(name)",
                                            message: "must be a table ([\(key).\(name)]), not a \(child.type)")
                    }
                    for inner in section.keys.sorted() {
                        if let leaf = section[inner] { leaves.append(("\(name).\(inner)", leaf)) }
                    }
                } else {
                    leaves.append((name, child))
                }
            }
            for (relative, leaf) in leaves {
                let full = "\(key).\(relative)"
                if let field = ThemeFile.colorKeys.first(where: { $0.key == relative })?.field {
                    colors[keyPath: field] = try color(leaf, key: full)
                } else {
                    warnUnknown(full)
                }
            }
            return colors
        }

        func color(_ value: TOMLValueConvertible, key: String) throws(ThemeError) -> Color {
            if let text = value.string {
                guard let color = ThemeColorName.parse(text) else {
                    throw .invalidValue(path: path, key: key,
                                        message: "is \"\(text)\", not a colour: give \(ThemeColorName.accepted)")
                }
                return color
            }
            if let index = value.int {
                guard (0...255).contains(index) else {
                    throw .invalidValue(path: path, key: key, message: "is \(index): a palette index is 0…255")
                }
                return .indexed(UInt8(index))
            }
            throw .invalidValue(path: path, key: key,
                                message: "must be a colour (\(ThemeColorName.accepted)), not a \(value.type)")
        }
    }
}
