/// Finds theme files and makes the themes `--theme` and `T` choose from.
///
/// Directories are searched in order, the first holding NAME.toml wins: `$DETVIEW_THEMES` (a
/// colon-separated list), the source tree's `themes/` (found by walking up from the binary to a
/// directory with Package.swift: a binary run from `.build/`), and `../share/detview/themes` beside
/// the binary (`make install` puts them in `$(PREFIX)/share/detview/themes`). A plain value; used
/// once at start.
public struct ThemeLocator: Sendable {
    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// The standard search path for this process: `themesVariable` is `$DETVIEW_THEMES`,
    /// `executablePath` the running binary (nil: `/proc/self/exe`).
    public static func standard(themesVariable: String?, executablePath: String? = nil) -> ThemeLocator {
        var directories: [String] = []
        if let themesVariable {
            directories += themesVariable.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        if let binary = executablePath ?? ThemeFileSystem.executablePath() {
            let binaryDirectory = ThemeFileSystem.directory(of: binary)
            if let root = sourceRoot(above: binaryDirectory) { directories.append(root + "/themes") }
            directories.append(normalised(binaryDirectory + "/../share/detview/themes"))
        }
        return ThemeLocator(directories: directories)
    }

    /// The nearest directory at or above `start` that holds Package.swift and themes/.
    static func sourceRoot(above start: String) -> String? {
        var directory = start
        while true {
            if ThemeFileSystem.exists(directory + "/Package.swift"), ThemeFileSystem.exists(directory + "/themes") {
                return directory
            }
            let parent = ThemeFileSystem.directory(of: directory)
            if parent == directory || directory.isEmpty || directory == "." { return nil }
            directory = parent
        }
    }

    /// "/a/bin/../share" → "/a/share", so messages name the directory plainly.
    static func normalised(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// Every theme file found, one per name (the first directory wins), "default" first, then by name.
    public func themeFiles() -> [(name: String, path: String)] {
        var seen = Set<String>()
        var files: [(name: String, path: String)] = []
        for directory in directories {
            for path in ThemeFileSystem.tomlFiles(in: directory) {
                let name = ThemeFileSystem.themeName(ofFile: path)
                if seen.insert(name).inserted { files.append((name, path)) }
            }
        }
        return files.sorted { ($0.name == "default" ? 0 : 1, $0.name) < ($1.name == "default" ? 0 : 1, $1.name) }
    }

    /// The themes to start with: `argument` is `--theme`'s value (a name, or a file when it holds a
    /// `/` or ends in `.toml`), nil for the default. The chosen theme must load (its errors are
    /// thrown); another found theme that does not load is left out of the cycle with a warning.
    public func select(_ argument: String?) throws(ThemeError) -> (cycle: ThemeCycle, warnings: [String]) {
        let files = themeFiles()
        var chosenPath: String?
        if let argument {
            if argument.contains("/") || argument.hasSuffix(".toml") {
                chosenPath = argument
            } else if let found = files.first(where: { $0.name == argument }) {
                chosenPath = found.path
            } else {
                throw .notFound(name: argument, found: files.map(\.name), searched: directories)
            }
        } else {
            chosenPath = files.first { $0.name == "default" }?.path
        }
        var warnings: [String] = []
        var themes: [Theme] = []
        if let chosenPath {
            let loaded = try ThemeFile.load(path: chosenPath)
            warnings += loaded.warnings
            themes.append(loaded.theme)
        } else {
            themes.append(.default)
        }
        let chosen = themes[0]
        for file in files where file.path != chosenPath && file.name != chosen.name {
            do {
                let loaded = try ThemeFile.load(path: file.path)
                warnings += loaded.warnings
                themes.append(loaded.theme)
            } catch {
                warnings.append("\(error) (left out of T's themes)")
            }
        }
        if !themes.contains(where: { $0.name == "default" }) { themes.append(.default) }
        // Cycle in the order the files are listed ("default" first), the chosen theme wherever it falls.
        let order = files.map(\.name)
        themes.sort { (order.firstIndex(of: $0.name) ?? -1, $0.name) < (order.firstIndex(of: $1.name) ?? -1, $1.name) }
        return (ThemeCycle(themes: themes, index: themes.firstIndex { $0 == chosen } ?? 0), warnings)
    }
}
