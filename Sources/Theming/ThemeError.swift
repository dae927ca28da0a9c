/// Why a theme could not be had: each case names the file (and line, or key) so the user can
/// mend it. Thrown at start, where it ends the viewer with a non-zero status.
public enum ThemeError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// TOML that does not parse; line and column as TOMLKit's parser reports them.
    case syntax(path: String, line: Int, column: Int, message: String)
    /// A known key holding the wrong type or an unusable value.
    case invalidValue(path: String, key: String, message: String)
    case unknownColormap(path: String, name: String, valid: [String])
    /// `--theme NAME` when no directory searched has NAME.toml.
    case notFound(name: String, found: [String], searched: [String])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "theme \(path): cannot read it: \(reason)"
        case .syntax(let path, let line, let column, let message):
            return "theme \(path):\(line):\(column): TOML syntax error: \(message)"
        case .invalidValue(let path, let key, let message):
            return "theme \(path): \(key) \(message)"
        case .unknownColormap(let path, let name, let valid):
            return "theme \(path): colormap \"\(name)\" is not one of \(valid.joined(separator: ", "))"
        case .notFound(let name, let found, let searched):
            let list = found.isEmpty ? "none" : found.joined(separator: ", ")
            return "no theme named \"\(name)\"; found themes: \(list) (searched \(searched.isEmpty ? "nowhere" : searched.joined(separator: ", ")))"
        }
    }
}
