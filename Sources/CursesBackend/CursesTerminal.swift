import CNCursesW
import Platform
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// The terminal, driven through ncurses: the only code in detview that talks to ncurses.
///
/// Owned by the main thread, which creates it, draws with it, reads keys from it and shuts it down;
/// it is deliberately not Sendable. It takes over the terminal in `init` (its own SCREEN via
/// `newterm`, so a missing terminfo entry is an error and not an exit), keeps the last frame drawn
/// and sends only the cells that changed. Colours are degraded to what the terminal shows
/// (`colorMode`). Resizes are handled by calling `resize()` from the viewer's own SIGWINCH handling;
/// ncurses' handler is not relied upon. `shutdown()` gives the terminal back and is idempotent.
public final class CursesTerminal: Backend {
    /// Colours and glyphs, detected from the environment and terminfo (`TerminalProfile.detect`:
    /// `--colors`, `NO_COLOR`, `TERM=linux`, the locale).
    public let profile: TerminalProfile
    /// The colour mode in use (detected, or requested and capped by the terminal).
    public var colorMode: ColorMode { profile.colors.mode }
    /// Whether the locale's character set is UTF-8; when false, nothing but ASCII is printed.
    public var unicode: Bool { profile.unicode }
    /// The terminfo entry in use (`$TERM`, or its "-direct" sibling for 24-bit colour).
    public let terminalName: String
    /// The file descriptor keys arrive on, for the event loop to watch.
    public let inputFileDescriptor: Int32 = 0

    public var glyphs: GlyphSet { profile.glyphs }
    /// Half blocks need colour to mean anything: without colour (or UTF-8) the heatmap uses the ramp.
    public var heatmapGlyphs: HeatmapWidget.Glyphs { profile.heatmapGlyphs }

    private let screen: OpaquePointer
    private let colors: TerminalColorNumbers
    private var pairs: ColorPairCache
    private var colorCache: [Color: Int32] = [:]
    private var previous: Buffer?
    private var ended = false
    private let savedCursor: Int32

    /// Takes over the terminal on stdin/stdout. `colorMode` nil detects it: a direct terminfo entry (or
    /// `COLORTERM=truecolor`/`24bit` with an installed "-direct" sibling of `$TERM`) gives 24-bit
    /// colour, ≥ 256 colours 256, ≥ 8 colours 16, otherwise mono. A requested mode is capped by
    /// what the terminal entry supports (truecolor without a direct entry falls back to 256).
    public init(colorMode requested: ColorMode? = nil) throws(CursesError) {
        setlocale(LC_ALL, "")
        let term = Self.environment("TERM")
        let direct = ColorMode.directTerminfo(term: term, colorTerm: Self.environment("COLORTERM"),
                                              requested: requested, exists: Self.terminfoExists)
        var opened: OpaquePointer?
        var name = term ?? "unknown"
        if let direct {
            opened = newterm(direct, dv_stdout(), dv_stdin())
            if opened != nil { name = direct }
        }
        if opened == nil { opened = newterm(nil, dv_stdout(), dv_stdin()) }
        guard let opened else { throw .newtermFailed(term: name) }
        screen = opened
        terminalName = name
        _ = set_term(opened)

        cbreak()
        noecho()
        nonl()
        keypad(dv_stdscr(), true)
        nodelay(dv_stdscr(), true)
        _ = set_escdelay(25)
        savedCursor = curs_set(0)
        var count: Int32 = 0
        if has_colors() {
            start_color()
            use_default_colors()
            count = dv_colors()
        }
        var environment: [String: String] = [:]
        for name in TerminalProfile.environmentNames { environment[name] = Self.environment(name) }
        profile = TerminalProfile.detect(environment: environment, terminfoColors: Int(count), requested: requested,
                                         codeset: Self.codeset())
        colors = TerminalColorNumbers(mode: profile.colors.mode, paletteSize: Int(count))
        pairs = ColorPairCache(limit: profile.colors.mode == .mono ? 0 : dv_color_pairs() - 1)
    }

    deinit {
        shutdown()
        delscreen(screen)
    }

    public var size: (width: Int, height: Int) {
        (Int(max(0, dv_cols())), Int(max(0, dv_lines())))
    }

    /// Sends the cells that changed since the last frame (all of them after a resize or the first
    /// time), then updates the terminal once.
    public func draw(_ buffer: Buffer) {
        guard !ended else { return }
        if let previous, previous.width == buffer.width, previous.height == buffer.height {
            for change in buffer.diff(from: previous) {
                if put(change.cell, x: change.x, y: change.y) {
                    // Recycled pair numbers recolour cells already on screen: repaint them all.
                    repaint(buffer)
                    break
                }
            }
        } else {
            repaint(buffer)
        }
        previous = buffer
        wnoutrefresh(dv_stdscr())
        // The one call that writes: it blocks while nothing reads the terminal.
        QuitWatchdog.writingTerminal { _ = doupdate() }
    }

    /// Key presses waiting on stdin, oldest first; empty when none (never blocks).
    public func readKeys() -> [Key] {
        guard !ended else { return [] }
        var keys: [Key] = []
        var code: wint_t = 0
        // Bounded, so a flood of input cannot keep the event loop here.
        while keys.count < 4096 {
            let result = wget_wch(dv_stdscr(), &code)
            if result == ERR { break }
            let key = result == KEY_CODE_YES ? CursesKeys.functionKey(Int32(bitPattern: code))
                                              : Key.fromCharacterCode(UInt32(code))
            if let key { keys.append(key) }
        }
        return keys
    }

    /// Adopts the terminal's current size (read from the tty, not from ncurses' cached values) and
    /// makes the next draw repaint everything.
    public func resize() {
        guard !ended else { return }
        guard let size = TerminalControl.size(of: 1) ?? TerminalControl.size(of: 0),
              size.rows > 0, size.columns > 0 else { return }
        resizeterm(Int32(size.rows), Int32(size.columns))
        previous = nil
        clearok(dv_stdscr(), true)
    }

    /// Gives the terminal back (cursor shown, normal mode). Idempotent; does no more than `endwin`,
    /// so it is the call to make on the way out of a failure too.
    public func shutdown() {
        guard !ended else { return }
        ended = true
        QuitWatchdog.writingTerminal {
            curs_set(savedCursor >= 0 ? savedCursor : 1)
            endwin()
        }
    }

    // MARK: - Cells

    private func repaint(_ buffer: Buffer) {
        werase(dv_stdscr())
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                // A reset in the middle would recolour the cells above: start this frame over, once.
                if put(buffer[x, y], x: x, y: y) {
                    for y2 in 0..<buffer.height {
                        for x2 in 0..<buffer.width { _ = put(buffer[x2, y2], x: x2, y: y2) }
                    }
                    return
                }
            }
        }
    }

    /// Writes one cell; returns true when the colour pairs had to be reset to do so.
    private func put(_ cell: Cell, x: Int, y: Int) -> Bool {
        guard x < Int(dv_cols()), y < Int(dv_lines()) else { return false }
        let style = cell.style
        var attrs = dv_a_normal()
        if style.bold { attrs |= dv_a_bold() }
        if style.dim { attrs |= dv_a_dim() }
        if style.reverse { attrs |= dv_a_reverse() }
        if style.underline { attrs |= dv_a_underline() }
        var reset = false
        var pair: Int32 = 0
        if colorMode != .mono {
            let allocation = pairs.pair(fg: number(for: style.fg), bg: number(for: style.bg)) { number, fg, bg in
                init_extended_pair(number, fg, bg)
            }
            pair = allocation.pair
            reset = allocation.reset
        }
        var scalar = cell.symbol
        // Outside UTF-8 a non-ASCII character would print as garbage or nothing.
        if !unicode, scalar.value > 0x7E { scalar = "?" }
        var text: (wchar_t, wchar_t) = (wchar_t(bitPattern: scalar.value), 0)
        var complex = cchar_t()
        withUnsafePointer(to: &text) { pointer in
            pointer.withMemoryRebound(to: wchar_t.self, capacity: 2) { chars in
                _ = setcchar(&complex, chars, attrs, 0, &pair)
            }
        }
        if wmove(dv_stdscr(), Int32(y), Int32(x)) != ERR {
            // Writing the bottom-right cell reports ERR (the cursor cannot advance) but still draws it.
            _ = wadd_wch(dv_stdscr(), &complex)
        }
        return reset
    }

    private func number(for color: Color) -> Int32 {
        switch color {
        case .default: return -1
        case .indexed(let i) where colorMode != .color16: return colors.number(for: .indexed(i))
        default:
            if let known = colorCache[color] { return known }
            if colorCache.count >= 4096 { colorCache.removeAll(keepingCapacity: true) }
            let number = colors.number(for: color)
            colorCache[color] = number
            return number
        }
    }

    // MARK: - Environment

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The C library's character set after `setlocale` (not UTF-8 when the named locale is not installed).
    private static func codeset() -> String? {
        nl_langinfo(nl_item(CODESET)).map { String(cString: $0) }
    }

    /// Whether a terminfo entry is installed where ncurses looks for it.
    private static func terminfoExists(_ name: String) -> Bool {
        guard let first = name.first else { return false }
        var directories: [String] = []
        if let dir = environment("TERMINFO") { directories.append(dir) }
        if let home = environment("HOME") { directories.append(home + "/.terminfo") }
        if let dirs = environment("TERMINFO_DIRS") {
            directories += dirs.split(separator: ":").map(String.init)
        }
        directories += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"]
        return directories.contains { access("\($0)/\(first)/\(name)", R_OK) == 0 }
    }
}
