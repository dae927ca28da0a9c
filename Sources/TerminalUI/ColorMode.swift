/// How many colours the terminal can show, from none to 24-bit.
///
/// Chosen once at start by the backend (detected, or forced with `--colors`, since `COLORTERM` does
/// not survive SSH or sudo). Ordered: a forced mode is capped by what the terminal can do.
public enum ColorMode: Int, Comparable, CaseIterable, Sendable {
    case mono
    case color16
    case color256
    case truecolor

    public static func < (a: ColorMode, b: ColorMode) -> Bool { a.rawValue < b.rawValue }

    /// Parses the names the command line accepts: truecolor/24bit/direct, 256, 16/8, mono/none.
    public init?(name: String) {
        switch name.lowercased() {
        case "truecolor", "24bit", "direct", "rgb": self = .truecolor
        case "256", "color256", "256color": self = .color256
        case "16", "8", "color16", "ansi": self = .color16
        case "mono", "none", "0", "2": self = .mono
        default: return nil
        }
    }

    /// What a terminal reporting `colors` colours (terminfo `colors`, ncurses `COLORS`) can show.
    public static func capability(colors: Int) -> ColorMode {
        if colors >= 1 << 24 { return .truecolor }
        if colors >= 256 { return .color256 }
        if colors >= 8 { return .color16 }
        return .mono
    }

    /// The mode to use: the request capped by the capability, or the capability when nothing was asked.
    public static func resolve(requested: ColorMode?, colors: Int) -> ColorMode {
        let capability = capability(colors: colors)
        guard let requested else { return capability }
        return min(requested, capability)
    }

    /// The "-direct" terminfo entry of the same terminal family to start with instead of `$TERM`, when
    /// 24-bit colour is wanted (asked for, or announced by `COLORTERM`) and `$TERM` is not already a
    /// direct entry; nil when `$TERM` should be used as it is. `exists` says whether a terminfo entry
    /// is installed (ncurses-term ships xterm-direct, tmux-direct, vte-direct, …).
    public static func directTerminfo(term: String?, colorTerm: String?, requested: ColorMode?,
                                      exists: (String) -> Bool) -> String? {
        guard let term, !term.isEmpty, !term.hasSuffix("-direct") else { return nil }
        let announced = ["truecolor", "24bit"].contains(colorTerm?.lowercased() ?? "")
        let wanted = requested == .truecolor || (requested == nil && announced)
        guard wanted, let family = term.split(separator: "-").first, !family.isEmpty else { return nil }
        let candidate = "\(family)-direct"
        return exists(candidate) ? candidate : nil
    }
}
