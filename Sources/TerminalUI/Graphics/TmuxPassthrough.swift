/// tmux's DCS passthrough: `ESC P tmux ; <bytes, every ESC doubled> ESC \` makes tmux write the
/// bytes unchanged to the terminal outside it (tmux 3.3 and later, only where the pane's
/// `allow-passthrough` option is on; otherwise tmux drops them). Pictures and the graphics
/// questions go this way, because tmux itself neither draws sixel nor the kitty protocol.
///
/// What passes through is not tmux's business: the outer terminal's cursor is not the pane's, so
/// a picture is placed in the outer terminal's coordinates (`cursorTo`, from the pane's origin),
/// and tmux does not know the picture is there: when it redraws the pane (window switch, a popup,
/// copy mode) the picture is gone until the viewer sends it again.
public struct TmuxPassthrough: Equatable, Sendable {
    /// The pane's top left cell on the outer terminal, 0-based (`pane_left`, and `pane_top`
    /// plus the status lines when the status line is at the top).
    public var paneColumn: Int
    public var paneRow: Int

    public init(paneColumn: Int, paneRow: Int) {
        self.paneColumn = paneColumn
        self.paneRow = paneRow
    }

    private static let introducer = Array("\u{1B}Ptmux;".utf8)
    private static let terminator = Array("\u{1B}\\".utf8)

    /// `bytes` wrapped for passthrough, in one sequence however long: tmux resets the outer
    /// terminal after each passthrough sequence (SGR 0, the cursor home), which would end a sixel
    /// image split over two of them and print the rest as text. tmux collects a sequence in a
    /// buffer of at most 1 MiB and drops a longer one whole, so a larger picture is not shown.
    public static func wrap(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        var wrapped = introducer
        wrapped.reserveCapacity(bytes.count + bytes.count / 64 + 16)
        for byte in bytes {
            if byte == 0x1B { wrapped.append(0x1B) }
            wrapped.append(byte)
        }
        return wrapped + terminator
    }

    public static func wrap(_ text: String) -> String {
        String(decoding: wrap(Array(text.utf8)), as: UTF8.self)
    }

    /// CUP to the pane's cell (`column`, `row`, 0-based) in the outer terminal's coordinates:
    /// to be sent inside the passthrough, where tmux does not translate it.
    public func cursorTo(column: Int, row: Int) -> String {
        "\u{1B}[\(paneRow + row + 1);\(paneColumn + column + 1)H"
    }
}
