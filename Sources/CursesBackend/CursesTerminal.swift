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
/// `newterm`, so a missing terminfo entry is an error and not an exit), keeps what is on the screen
/// and sends only the cells that changed visibly (`Buffer.visibleChanges`: a colour change below
/// `colorTolerance` is not worth its bytes). ncurses writes into `TerminalOutputPump`, which counts
/// the bytes that reach the terminal (`bytesWritten`, the renderer's budget is held on it). A paint is
/// bracketed by synchronized output when the terminal said at start that it supports it. Colours
/// are degraded to what the terminal shows (`colorMode`). Resizes are handled by calling `resize()`
/// from the viewer's own SIGWINCH handling; ncurses' handler is not relied upon. `shutdown()` gives
/// the terminal back and is idempotent.
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

    /// Whether each paint is bracketed by synchronized output (the terminal said so at start).
    public let synchronizedOutput: Bool
    /// How pictures are drawn (`draw(_:picture:)`); nil: they are not, the heatmap stays text.
    public private(set) var graphics: GraphicsProtocol?
    /// A cell's size in pixels, for the picture's resolution (set when `graphics` is).
    public private(set) var cellPixels: TerminalProbe.PixelSize?
    /// The sixel colour registers a picture may use (the terminal's XTSMGRAPHICS answer, else 256).
    public private(set) var colorRegisters = 256
    /// Inside tmux that allows it: pictures go wrapped to the terminal outside (`TmuxPassthrough`).
    public private(set) var passthrough: TmuxPassthrough?
    /// Why a forced `--graphics` gives half blocks (tmux drops pictures), for the user; nil when it does not.
    public private(set) var graphicsNotice: String?
    /// Colour changes smaller than this are not sent (see `PerceptualTolerance`).
    public var colorTolerance = PerceptualTolerance.invisible
    /// Inside this area (the heatmap) colour changes smaller than its tolerance are not sent:
    /// the byte budget lowers the heatmap's fidelity when it cannot buy the wanted rate.
    public var heatmapTolerance: (area: Rect, tolerance: PerceptualTolerance)?
    /// The naive baseline `detview bench render` measures against: every paint clears the screen
    /// and rewrites every cell (through the same ncurses encoding).
    public var rewritesEveryCell = false

    private let screen: OpaquePointer
    private let output: TerminalOutputPump
    private var keyboard: KeyboardModes?
    /// Clicks and the wheel are reported (`CursesMouse`); a report being read.
    private var mouseReporting = false
    private var mouseReport = SGRMouseReport()
    private let inputStream: UnsafeMutablePointer<FILE>?
    private let colors: TerminalColorNumbers
    private var pairs: ColorPairCache
    private var colorCache: [Color: Int32] = [:]
    /// What the terminal shows: the last frame, except for cells whose change was not visible.
    private var onScreen: Buffer?
    private var ended = false
    private let savedCursor: Int32
    /// The picture on screen (sent with an earlier paint), if any.
    private var pictureShown: TerminalPicture?
    /// The kitty image id of our picture: replaced, never stacked.
    private static let kittyImageID = 1
    /// When the picture was last sent (monotonic ns). tmux does not know a passed-through picture
    /// is there and wipes it when it redraws the pane (window switch, popup, copy mode), which the
    /// viewer cannot see: through passthrough an unchanged picture is sent again this often.
    private var pictureSentAt: UInt64 = 0
    private static let passthroughRefreshNanoseconds: UInt64 = 2_000_000_000

    /// Takes over the terminal on stdin/stdout. `colorMode` nil detects it: a direct terminfo entry (or
    /// `COLORTERM=truecolor`/`24bit` with an installed "-direct" sibling of `$TERM`) gives 24-bit
    /// colour, ≥ 256 colours 256, ≥ 8 colours 16, otherwise mono. A requested mode is capped by
    /// what the terminal entry supports (truecolor without a direct entry falls back to 256).
    /// `graphics` chooses how the heatmap's picture is drawn (`GraphicsChoice`), from the same
    /// start-up probe that asks for synchronized output. `mouse`: clicks and the wheel are
    /// reported (`CursesMouse`; the terminal's own selection then needs Shift in most terminals).
    public convenience init(colorMode requested: ColorMode? = nil, graphics option: GraphicsOption = .off,
                            mouse: Bool = false) throws(CursesError) {
        setlocale(LC_ALL, "")
        var keyboard = KeyboardModes(fd: 0)
        keyboard.enter()
        var environment: [String: String] = [:]
        for name in TerminalProfile.environmentNames + ["TMUX", "TMUX_PANE", "PATH"] { environment[name] = Self.environment(name) }
        let tmux = option == .off ? .outside : TmuxQuery.status(environment: environment)
        var wrapped = false
        if case .passthrough = tmux { wrapped = true }
        // Asked before ncurses reads the keyboard, so the reply cannot reach it as keys.
        let answer = TerminalProbe.ask(input: 0, output: 1, graphics: GraphicsChoice.probes(option, environment: environment, tmux: tmux),
                                       passthrough: wrapped)
        let cellPixels = TerminalProbe.cellPixels(fd: 1) ?? answer?.cellPixels
        var replies = answer?.graphicsReplies ?? .init()
        replies.cellPixelsKnown = cellPixels != nil
        let decision = GraphicsChoice.choose(option, environment: environment, tmux: tmux, replies: replies)
        let chosen = decision.graphics
        let output: TerminalOutputPump
        do {
            output = try TerminalOutputPump(terminalFD: 1)
        } catch {
            keyboard.restore()
            throw error
        }
        let size = TerminalControl.size(of: 1) ?? TerminalControl.size(of: 0)
        try self.init(requested: requested, environment: environment,
                      output: output, input: nil, size: size.map { ($0.columns, $0.rows) },
                      keyboard: keyboard, synchronizedOutput: answer?.supported ?? false, mouse: mouse)
        graphicsNotice = decision.notice
        if let chosen {
            graphics = chosen
            passthrough = decision.passthrough
            // A forced protocol on a terminal that tells no cell size: a common font's cell.
            self.cellPixels = cellPixels ?? TerminalProbe.PixelSize(width: 10, height: 20)
            colorRegisters = min(256, max(3, answer?.colorRegisters ?? 256))
        }
    }

    /// A terminal whose output goes to `sinkFD` (for a benchmark or a test: `/dev/null`), of the
    /// terminfo entry `term` and the given size, with no keyboard. Everything else (colours, the
    /// diff, ncurses' encoding, the byte count, pictures in `graphics`, through `passthrough`) is
    /// what the real terminal gets.
    public convenience init(sinkFD: Int32, term: String, colorMode: ColorMode, width: Int, height: Int,
                            graphics: GraphicsProtocol? = nil, passthrough: TmuxPassthrough? = nil) throws(CursesError) {
        setlocale(LC_ALL, "")
        guard let input = fopen("/dev/null", "r") else { throw .sinkFailed(errno: errno) }
        let output: TerminalOutputPump
        do {
            output = try TerminalOutputPump(terminalFD: sinkFD)
        } catch {
            fclose(input)
            throw error
        }
        // Only what the benchmark asks for: the caller's NO_COLOR or locale must not change it.
        var environment = ["TERM": term, "LANG": "C.UTF-8"]
        if colorMode == .truecolor { environment["COLORTERM"] = "truecolor" }
        try self.init(requested: colorMode, environment: environment,
                      output: output, input: input, size: (width, height), keyboard: nil, synchronizedOutput: false,
                      mouse: false)
        if let graphics {
            self.graphics = graphics
            self.passthrough = passthrough
            cellPixels = TerminalProbe.PixelSize(width: 10, height: 20)
        }
    }

    private init(requested: ColorMode?, environment: [String: String], output: TerminalOutputPump,
                 input: UnsafeMutablePointer<FILE>?, size: (width: Int, height: Int)?,
                 keyboard: KeyboardModes?, synchronizedOutput: Bool, mouse: Bool) throws(CursesError) {
        let term = environment["TERM"], colorTerm = environment["COLORTERM"]
        let direct = ColorMode.directTerminfo(term: term, colorTerm: colorTerm,
                                              requested: requested, exists: Self.terminfoExists)
        var opened: OpaquePointer?
        var name = term ?? "unknown"
        if keyboard != nil { StopHandler.claim() }
        if let direct {
            opened = newterm(direct, output.stream, input ?? dv_stdin())
            if opened != nil { name = direct }
        }
        if opened == nil { opened = newterm(term, output.stream, input ?? dv_stdin()) }
        guard let opened else {
            output.finish()
            keyboard?.restore()
            if let input { fclose(input) }
            throw .newtermFailed(term: name)
        }
        screen = opened
        terminalName = name
        self.output = output
        self.keyboard = keyboard
        inputStream = input
        self.synchronizedOutput = synchronizedOutput
        _ = set_term(opened)
        if let modes = keyboard?.original {
            StopHandler.arm(leave: (mouse ? CursesMouse.offSequence : "") + Self.capability("rmcup") + Self.capability("cnorm"),
                            modes: modes)
        }
        // ncurses cannot ask a pipe for the terminal's size.
        if let size, size.width > 0, size.height > 0 { resizeterm(Int32(size.height), Int32(size.width)) }

        // The keyboard's modes are set by `KeyboardModes` (ncurses would set them on the pipe);
        // these calls keep ncurses' own idea of them in step.
        cbreak()
        noecho()
        nonl()
        keypad(dv_stdscr(), true)
        nodelay(dv_stdscr(), true)
        _ = set_escdelay(25)
        mouseReporting = mouse
        if mouse {
            CursesMouse.installPrefix()
            output.send(CursesMouse.onSequence)
        }
        savedCursor = curs_set(0)
        var count: Int32 = 0
        if has_colors() {
            start_color()
            use_default_colors()
            count = dv_colors()
        }
        profile = TerminalProfile.detect(environment: environment, terminfoColors: Int(count), requested: requested,
                                         codeset: Self.codeset())
        colors = TerminalColorNumbers(mode: profile.colors.mode, paletteSize: Int(count))
        pairs = ColorPairCache(limit: profile.colors.mode == .mono ? 0 : dv_color_pairs() - 1)
    }

    deinit {
        shutdown()
        delscreen(screen)
        output.finish()
        if let inputStream { fclose(inputStream) }
    }

    /// Every byte written to the terminal so far (counted as it reached the descriptor).
    public var bytesWritten: Int { output.bytesWritten }

    public var size: (width: Int, height: Int) {
        (Int(max(0, dv_cols())), Int(max(0, dv_lines())))
    }

    /// Sends the cells that changed visibly since the last frame (all of them after a resize or the
    /// first time), then updates the terminal once, and returns when the bytes reached it.
    public func draw(_ buffer: Buffer) { draw(buffer, picture: nil) }

    /// The same, with the heatmap as a picture over its cells (when `graphics` is set; the buffer
    /// should hold blanks there, so ncurses leaves them alone). The picture is sent after the
    /// cells, in the same counted output and synchronized-output bracket, only when it differs from
    /// the one on screen or cells under it were rewritten (a repaint, the help overlay closing:
    /// text written over a sixel image replaces it). A kitty image floats over the text, so it is
    /// deleted when the picture goes away.
    public func draw(_ buffer: Buffer, picture requested: TerminalPicture?) {
        guard !ended else { return }
        let picture = graphics == nil ? nil : requested
        var pictureDamaged = false
        let shownBefore = onScreen
        if var shown = onScreen, shown.width == buffer.width, shown.height == buffer.height {
            var recoloured = false
            for change in buffer.visibleChanges(from: shown, tolerance: colorTolerance,
                                                       area: heatmapTolerance?.area ?? .zero,
                                                       areaTolerance: heatmapTolerance?.tolerance) {
                if put(change.cell, x: change.x, y: change.y) {
                    recoloured = true
                    break
                }
                shown[change.x, change.y] = change.cell
                if let picture, picture.cells.contains(x: change.x, y: change.y) { pictureDamaged = true }
            }
            if recoloured {
                // Recycled pair numbers recolour cells already on screen: repaint them all.
                repaint(buffer)
                shown = buffer
                pictureDamaged = true
            }
            onScreen = shown
        } else {
            repaint(buffer)
            onScreen = buffer
            pictureDamaged = true
        }
        if rewritesEveryCell {
            clearok(dv_stdscr(), true)
            pictureDamaged = true
        } else if pictureShown != nil, let before = shownBefore, let after = onScreen {
            // ncurses would scroll lines that moved (a panel beside the picture growing by a
            // line), and the terminal would move the picture with them, where it would stay while
            // the picture does not change (`MovedLines`): such lines are written in place instead.
            // The half-block path keeps ncurses' scrolling, which saves bytes there.
            for row in MovedLines.sources(from: before, to: after) {
                wredrawln(dv_stdscr(), Int32(row), 1)
                if let picture, row >= picture.cells.y, row < picture.cells.bottom { pictureDamaged = true }
            }
        }
        if graphics == .sixel, let old = pictureShown, picture?.cells != old.cells {
            // A sixel image is part of the screen until text is written over it, and ncurses
            // writes only cells it thinks changed (a blank on a blank is not): have it rewrite
            // the old picture's lines whole.
            wredrawln(dv_stdscr(), Int32(old.cells.y), Int32(old.cells.height))
        }
        wnoutrefresh(dv_stdscr())
        if synchronizedOutput { output.send(TerminalProbe.begin) }
        _ = doupdate()
        let stale = passthrough != nil && MonotonicClock.nanoseconds - pictureSentAt > Self.passthroughRefreshNanoseconds
        if let picture, pictureDamaged || picture != pictureShown || stale {
            send(picture)
        } else if picture == nil, pictureShown != nil, graphics == .kitty {
            sendGraphics(KittyGraphicsEncoder.delete(id: Self.kittyImageID))
        }
        pictureShown = picture
        if synchronizedOutput { output.send(TerminalProbe.end) }
        // Exact bytes per paint for the budget; the wait is the one the terminal imposed before
        // (the drain thread, not this one, is the one blocked while nothing reads the terminal).
        output.waitUntilWritten()
    }

    /// The picture at its cells' top left corner; the cursor is saved and restored around it
    /// (a sixel image moves it), so ncurses' idea of where it is stays right.
    private func send(_ picture: TerminalPicture) {
        guard let graphics else { return }
        let place = passthrough?.cursorTo(column: picture.cells.x, row: picture.cells.y)
            ?? "\u{1B}[\(picture.cells.y + 1);\(picture.cells.x + 1)H"
        var bytes = Array("\u{1B}7\(place)".utf8)
        switch graphics {
        case .sixel:
            bytes += SixelEncoder.encode(picture)
        case .kitty:
            bytes += KittyGraphicsEncoder.delete(id: Self.kittyImageID)
            bytes += KittyGraphicsEncoder.encode(picture, id: Self.kittyImageID, deflate: ZlibDeflate.compress)
        }
        bytes += Array("\u{1B}8".utf8)
        sendGraphics(bytes)
        pictureSentAt = MonotonicClock.nanoseconds
    }

    /// Picture bytes go to the terminal, through tmux's passthrough when in tmux.
    private func sendGraphics(_ bytes: [UInt8]) {
        output.send(bytes: passthrough.map { _ in TmuxPassthrough.wrap(bytes) } ?? bytes)
    }

    /// Key presses waiting on stdin, oldest first; empty when none (never blocks).
    public func readKeys() -> [Key] {
        guard !ended else { return [] }
        var keys: [Key] = []
        var code: wint_t = 0
        // Bounded, so a flood of input cannot keep the event loop here.
        while keys.count < 4096 {
            let result = wget_wch(dv_stdscr(), &code)
            if result == ERR { break }   // a report cut here goes on with the next call
            if mouseReporting {
                if result == KEY_CODE_YES, Int32(bitPattern: code) == CursesMouse.prefixCode {
                    mouseReport.start()
                    continue
                }
                if mouseReport.pending, result != KEY_CODE_YES {
                    if case .done(let key?) = mouseReport.feed(UInt32(code)) { keys.append(key) }
                    continue
                }
                mouseReport.cancel()
            }
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
        keyboard?.enter()   // after Ctrl-Z and fg (SIGCONT comes here too) the shell's modes may be back
        if keyboard != nil, StopHandler.takeResumed() {
            // `StopHandler` left the alternate screen. The part of a paint still in the pipe
            // when the process stopped reached the normal screen on continuing: cleared.
            output.send(Self.capability("clear") + Self.capability("smcup") + Self.capability("civis"))
        }
        // On again after every resize and SIGCONT: Ctrl-Z turned the reports off, and whether the
        // stop is seen here (`takeResumed`) races with the signal; asking twice does nothing.
        if mouseReporting { output.send(CursesMouse.onSequence) }
        onScreen = nil
        clearok(dv_stdscr(), true)
        if graphics != nil, let cell = TerminalProbe.cellPixels(fd: 1) { cellPixels = cell }
        // A resize can move the pane (a split, a zoom): where pictures go is asked again.
        if passthrough != nil, case .passthrough(let moved) = TmuxQuery.status(environment: Self.tmuxEnvironment) {
            passthrough = moved
        }
    }

    /// Gives the terminal back (cursor shown, normal mode). Idempotent; does no more than `endwin`,
    /// so it is the call to make on the way out of a failure too.
    public func shutdown() {
        guard !ended else { return }
        ended = true
        // Kitty images are not cells: leaving the alternate screen would not take them along.
        if graphics == .kitty, pictureShown != nil { sendGraphics(KittyGraphicsEncoder.delete(id: nil)) }
        curs_set(savedCursor >= 0 ? savedCursor : 1)
        if mouseReporting { output.send(CursesMouse.offSequence) }
        endwin()
        output.waitUntilWritten()   // ncurses' last words reach the terminal before the process can end
        keyboard?.restore()
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

    /// A string capability of the terminfo entry in use ("" when it has none).
    private static func capability(_ name: String) -> String {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return "" }
        return String(cString: value)
    }

    private static var tmuxEnvironment: [String: String] {
        var environment: [String: String] = [:]
        for name in ["TMUX", "TMUX_PANE", "PATH"] { environment[name] = Self.environment(name) }
        return environment
    }

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
