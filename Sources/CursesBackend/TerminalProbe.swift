import Platform
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// Asks the terminal at start, in one round trip, what it can do: synchronized output (DEC private
/// mode 2026, `CSI ? 2026 h` … `CSI ? 2026 l` around a paint, so a paint never shows half drawn)
/// and, when graphics may be used, images (sixel, the kitty graphics protocol) and the size of a
/// cell in pixels.
///
/// The questions are DECRQM (`CSI ? 2026 $ p`, answered `CSI ? 2026 ; Ps $ y`); for graphics the
/// kitty query (`ESC _ G i=31,s=1,v=1,a=q,t=d,f=24;AAAA ESC \`, answered `ESC _ G i=31;OK ESC \`),
/// XTWINOPS 16 (`CSI 16 t`, answered `CSI 6 ; height ; width t`) and XTSMGRAPHICS for the colour
/// registers (`CSI ? 1 ; 1 ; 0 S`, answered `CSI ? 1 ; 0 ; n S`); then a primary device attributes
/// request (`CSI c`, answered `CSI ? class ; attributes c`, 4 = sixel) that practically every
/// terminal answers: its reply ends the wait at once on terminals that ignore the others, so only a
/// terminal that answers nothing costs the whole timeout. Used by `CursesTerminal` on the main
/// thread before ncurses starts reading the keyboard.
///
/// Outside tmux the graphics questions end with XTVERSION (`CSI > 0 q`, answered `DCS > | name
/// ST`), so tmux that answers for itself is recognised when TMUX is not set. Inside tmux with
/// passthrough allowed the graphics questions and the DA1 that ends the wait go wrapped to the
/// terminal outside (`TmuxPassthrough`), which answers them; only the DECRQM stays tmux's.
public enum TerminalProbe {
    public static let synchronizedOutputQuery = "\u{1B}[?2026$p"
    public static let graphicsQuery = "\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\\u{1B}[16t\u{1B}[?1;1;0S"
    public static let deviceAttributesQuery = "\u{1B}[c"
    public static let versionQuery = "\u{1B}[>0q"
    public static let begin = "\u{1B}[?2026h"
    public static let end = "\u{1B}[?2026l"

    /// The bytes sent: the graphics questions only when `graphics` (see `GraphicsChoice.probes`),
    /// through tmux to the terminal outside when `passthrough`.
    public static func query(graphics: Bool, passthrough: Bool = false) -> String {
        guard graphics else { return synchronizedOutputQuery + deviceAttributesQuery }
        if passthrough { return synchronizedOutputQuery + TmuxPassthrough.wrap(graphicsQuery + deviceAttributesQuery) }
        return synchronizedOutputQuery + graphicsQuery + versionQuery + deviceAttributesQuery
    }

    /// What the replies read so far say.
    public struct Answer: Equatable, Sendable {
        /// nil while the DECRQM reply has not come; true for Ps 1 (set), 2 (reset) or 3
        /// (permanently set); false for 0 (unknown mode) or 4 (permanently reset).
        public var supported: Bool?
        /// The device attributes reply came: every earlier reply is in too.
        public var complete: Bool
        /// The device attributes reply's parameters (terminal class first).
        public var deviceAttributes: [Int] = []
        /// The kitty graphics query was answered OK.
        public var kittyGraphics = false
        /// A cell's size in pixels, from XTWINOPS.
        public var cellPixels: PixelSize?
        /// Sixel colour registers, from XTSMGRAPHICS.
        public var colorRegisters: Int?
        /// The terminal's name and version, from XTVERSION.
        public var terminalVersion: String?

        public init(supported: Bool?, complete: Bool) {
            self.supported = supported
            self.complete = complete
        }

        /// What `GraphicsChoice` needs.
        public var graphicsReplies: GraphicsChoice.TerminalReplies {
            .init(deviceAttributes: deviceAttributes, kittyGraphics: kittyGraphics, terminalVersion: terminalVersion)
        }
    }

    public struct PixelSize: Equatable, Sendable {
        public var width: Int
        public var height: Int
        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    /// Reads the replies out of `bytes` (other bytes, such as keys typed meanwhile, are skipped).
    public static func parse(_ bytes: [UInt8]) -> Answer {
        var answer = Answer(supported: nil, complete: false)
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == 0x1B else {
                i += 1
                continue
            }
            if bytes[i + 1] == UInt8(ascii: "_") || bytes[i + 1] == UInt8(ascii: "P") {
                i = parseString(bytes, from: i + 2, into: &answer)
                continue
            }
            guard bytes[i + 1] == UInt8(ascii: "[") else {
                i += 1
                continue
            }
            // CSI: parameter bytes (with a private marker such as ?), intermediates ($), a final byte.
            var j = i + 2
            while j < bytes.count, (0x20...0x3F).contains(bytes[j]) { j += 1 }
            guard j < bytes.count else { break }
            guard (0x40...0x7E).contains(bytes[j]) else {
                i = j
                continue
            }
            reply(body: String(decoding: bytes[(i + 2)..<j], as: UTF8.self), final: bytes[j], into: &answer)
            i = j + 1
        }
        return answer
    }

    private static func reply(body: String, final: UInt8, into answer: inout Answer) {
        let isPrivate = body.hasPrefix("?")
        let parameters = body.drop(while: { $0 == "?" })
        switch (final, isPrivate) {
        case (UInt8(ascii: "y"), true) where parameters.hasSuffix("$"):
            let fields = parameters.dropLast().split(separator: ";")
            if fields.count == 2, fields[0] == "2026", let value = Int(fields[1]) {
                answer.supported = value == 1 || value == 2 || value == 3
            }
        case (UInt8(ascii: "c"), true):
            answer.deviceAttributes = parameters.split(separator: ";").compactMap { Int($0) }
            answer.complete = true
        case (UInt8(ascii: "c"), false):
            answer.complete = true
        case (UInt8(ascii: "t"), false):
            let fields = parameters.split(separator: ";").compactMap { Int($0) }
            if fields.count == 3, fields[0] == 6, fields[1] > 0, fields[2] > 0 {
                answer.cellPixels = PixelSize(width: fields[2], height: fields[1])
            }
        case (UInt8(ascii: "S"), true):
            let fields = parameters.split(separator: ";").compactMap { Int($0) }
            if fields.count == 3, fields[0] == 1, fields[1] == 0, fields[2] > 0 { answer.colorRegisters = fields[2] }
        default:
            break
        }
    }

    /// `ESC _ … ESC \` (the kitty graphics reply for our query id) or `ESC P … ESC \` (XTVERSION's
    /// `>|name`). Returns where parsing goes on.
    private static func parseString(_ bytes: [UInt8], from start: Int, into answer: inout Answer) -> Int {
        var end = start
        while end + 1 < bytes.count, !(bytes[end] == 0x1B && bytes[end + 1] == UInt8(ascii: "\\")) { end += 1 }
        guard end + 1 < bytes.count else { return bytes.count }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        if bytes[start - 1] == UInt8(ascii: "P") {
            if text.hasPrefix(">|") { answer.terminalVersion = String(text.dropFirst(2)) }
        } else if text.hasPrefix("G"), let semicolon = text.firstIndex(of: ";") {
            let keys = text[text.index(after: text.startIndex)..<semicolon].split(separator: ",")
            if keys.contains("i=31"), text[text.index(after: semicolon)...] == "OK" { answer.kittyGraphics = true }
        }
        return end + 2
    }

    /// Sends the query on `output` and reads `input` (a terminal in non-canonical mode without
    /// echo) until the device attributes reply or `timeoutMilliseconds`. Nil when not a terminal.
    public static func ask(input: Int32, output: Int32, graphics: Bool, passthrough: Bool = false,
                           timeoutMilliseconds: Int = 500) -> Answer? {
        guard isatty(input) == 1, isatty(output) == 1,
              writeAll(output, query(graphics: graphics, passthrough: passthrough)) else { return nil }
        let deadline = MonotonicClock.nanoseconds + UInt64(timeoutMilliseconds) * 1_000_000
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while received.count < 4096 {
            let now = MonotonicClock.nanoseconds
            guard now < deadline else { break }
            var ready = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let waited = poll(&ready, 1, Int32((deadline - now) / 1_000_000) + 1)
            if waited < 0 && errno == EINTR { continue }
            guard waited > 0 else { break }
            let count = read(input, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            received += chunk[0..<count]
            if parse(received).complete { break }
        }
        return parse(received)
    }

    /// A cell's size in pixels from the kernel's window size (`ws_xpixel`, `ws_ypixel`), which
    /// xterm, foot and others fill in; nil where they are 0 (ask XTWINOPS instead).
    public static func cellPixels(fd: Int32) -> PixelSize? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0,
              size.ws_xpixel > 0, size.ws_ypixel > 0 else { return nil }
        return PixelSize(width: Int(size.ws_xpixel) / Int(size.ws_col), height: Int(size.ws_ypixel) / Int(size.ws_row))
    }
}
