/// What the screen may use, decided once at start from the environment and the terminfo entry:
/// colours (`--colors`, else `NO_COLOR`, else what terminfo says), the glyphs of the text and the
/// glyphs of the heatmap.
///
/// A pure function of its inputs, so every rule is tested with explicit environments; the curses
/// backend feeds it `getenv`, ncurses' colour count and `nl_langinfo(CODESET)`.
/// - `--colors` (`requested`) wins over detection, capped by what the terminfo entry can show.
/// - `NO_COLOR` set to any non-empty value (https://no-color.org) means mono unless `--colors` says
///   otherwise.
/// - The locale is UTF-8 when the first of `LC_ALL`, `LC_CTYPE`, `LANG` that is set names a UTF-8
///   codeset and the C library agrees (`codeset`: a locale that is named but not installed leaves
///   the C library in ASCII, and ncurses would print garbage). Otherwise everything is ASCII,
///   the heatmap included (the " .:-=+*#%@" ramp, coloured when there is colour).
/// - `TERM=linux` (the text console): its terminfo says 8 colours, so ramps are mapped onto ANSI
///   0–7; its font has the CP437 block characters but not the eighth blocks, ◆ or ✗, so text uses
///   ASCII and the heatmap keeps the half block "▀" (two pixels per cell) when the locale is UTF-8.
/// - Mono: the heatmap is the ASCII density ramp whatever the locale (ten levels, where the shade
///   blocks ░▒▓█ give five, and every terminal font has them).
public struct TerminalProfile: Hashable, Sendable {
    public var colors: ColorDepth
    /// Whether the locale's character set is UTF-8 (what the backend may print at all).
    public var unicode: Bool
    public var glyphs: GlyphSet
    public var heatmapGlyphs: HeatmapWidget.Glyphs

    /// The environment variables `detect` reads.
    public static let environmentNames = ["TERM", "NO_COLOR", "LC_ALL", "LC_CTYPE", "LANG"]

    public static func detect(environment: [String: String], terminfoColors: Int, requested: ColorMode?,
                              codeset: String? = nil) -> TerminalProfile {
        let mode: ColorMode
        if requested == nil, let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            mode = .mono
        } else {
            mode = ColorMode.resolve(requested: requested, colors: terminfoColors)
        }
        let unicode = localeIsUTF8(environment: environment) && (codeset.map(isUTF8Codeset) ?? true)
        let console = isLinuxConsole(term: environment["TERM"])
        return TerminalProfile(
            colors: ColorDepth(mode: mode, ansiColors: min(terminfoColors, 16)),
            unicode: unicode,
            glyphs: unicode && !console ? .unicode : .ascii,
            heatmapGlyphs: unicode && mode != .mono ? .halfBlocks : .ascii)
    }

    /// POSIX precedence: `LC_ALL` over `LC_CTYPE` over `LANG`; empty counts as unset; none set is
    /// the C locale (ASCII).
    public static func localeIsUTF8(environment: [String: String]) -> Bool {
        let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? "C"
        guard let dot = name.firstIndex(of: ".") else { return false }
        let codeset = name[name.index(after: dot)...].prefix { $0 != "@" }
        return isUTF8Codeset(String(codeset))
    }

    /// "UTF-8", "utf8", "UTF8" (what `nl_langinfo(CODESET)` and locale names spell).
    public static func isUTF8Codeset(_ name: String) -> Bool {
        name.uppercased().filter { $0 != "-" } == "UTF8"
    }

    /// The Linux text console (`linux`, `linux-16color`, …).
    public static func isLinuxConsole(term: String?) -> Bool {
        guard let term else { return false }
        return term == "linux" || term.hasPrefix("linux-")
    }
}
