/// `--graphics`: which protocol draws the heatmap, from the option, the environment, tmux and what
/// the terminal answered at start. A pure function, so every case is a unit test.
public enum GraphicsOption: String, Sendable, CaseIterable {
    case auto, sixel, kitty, off
}

public enum GraphicsChoice {
    /// What the start-up probe learnt that matters here.
    public struct TerminalReplies: Equatable, Sendable {
        /// The primary device attributes (DA1) reply's parameters; 4 means sixel graphics.
        public var deviceAttributes: [Int]
        /// The kitty graphics query was answered OK.
        public var kittyGraphics: Bool
        /// A cell's size in pixels is known (TIOCGWINSZ or XTWINOPS): without it a picture
        /// cannot be sized to the heatmap's cells.
        public var cellPixelsKnown: Bool
        /// The terminal's name and version (XTVERSION), e.g. "tmux 3.3a" or "XTerm(379)".
        public var terminalVersion: String?

        public init(deviceAttributes: [Int] = [], kittyGraphics: Bool = false, cellPixelsKnown: Bool = true,
                    terminalVersion: String? = nil) {
            self.deviceAttributes = deviceAttributes
            self.kittyGraphics = kittyGraphics
            self.cellPixelsKnown = cellPixelsKnown
            self.terminalVersion = terminalVersion
        }

        /// tmux answered for itself (TMUX is not set when tmux runs on the far side of an SSH hop).
        public var fromTmux: Bool { terminalVersion?.hasPrefix("tmux") ?? false }
    }

    /// How the heatmap is drawn, and a line for the user when a forced protocol cannot be.
    public struct Decision: Equatable, Sendable {
        public var graphics: GraphicsProtocol?
        /// Pictures (and the questions before them) go through tmux's passthrough.
        public var passthrough: TmuxPassthrough?
        public var notice: String?

        public init(graphics: GraphicsProtocol?, passthrough: TmuxPassthrough? = nil, notice: String? = nil) {
            self.graphics = graphics
            self.passthrough = passthrough
            self.notice = notice
        }
    }

    /// Inside tmux a picture reaches the terminal only through passthrough (tmux 3.3 draws
    /// neither sixel nor kitty images itself): with it allowed, `auto` follows what the terminal
    /// outside answered through it and a forced protocol is used wrapped; without it, both give
    /// half blocks, and a forced protocol says why and how to allow it. Outside tmux a forced
    /// protocol is used as asked, and `auto` stays on half blocks on the Linux console, when the
    /// cell size in pixels is unknown, and when the terminal answered neither the kitty query nor
    /// DA1 with attribute 4 (or answered as tmux: then tmux is there, but cannot be asked);
    /// kitty's protocol wins when both are there (24-bit colour, no palette).
    public static func choose(_ option: GraphicsOption, environment: [String: String], tmux: TmuxStatus,
                              replies: TerminalReplies) -> Decision {
        var passthrough: TmuxPassthrough?
        switch tmux {
        case .outside where replies.fromTmux:
            return blocked(option, reason: "answers for the terminal but TMUX is not set (as over SSH), so passthrough cannot be checked")
        case .outside:
            break
        case .blocked(let reason):
            return blocked(option, reason: reason)
        case .passthrough(let wrapper):
            passthrough = wrapper
        }
        switch option {
        case .off: return Decision(graphics: nil)
        case .sixel: return Decision(graphics: .sixel, passthrough: passthrough)
        case .kitty: return Decision(graphics: .kitty, passthrough: passthrough)
        case .auto:
            guard probes(option, environment: environment, tmux: tmux), replies.cellPixelsKnown else { return Decision(graphics: nil) }
            if replies.kittyGraphics { return Decision(graphics: .kitty, passthrough: passthrough) }
            if replies.deviceAttributes.dropFirst().contains(4) { return Decision(graphics: .sixel, passthrough: passthrough) }
            return Decision(graphics: nil)
        }
    }

    private static func blocked(_ option: GraphicsOption, reason: String) -> Decision {
        switch option {
        case .auto, .off:
            return Decision(graphics: nil)
        case .sixel, .kitty:
            return Decision(graphics: nil, notice: "--graphics \(option.rawValue) gives half blocks: tmux \(reason); "
                            + "let pictures through with `tmux set -g allow-passthrough on` (tmux 3.3 or later)")
        }
    }

    /// Whether the start-up probe should ask about graphics at all (not for `off`, nor where
    /// `auto` would say no whatever the answer: a console that does not know APC strings could
    /// show the kitty query; tmux that drops pictures).
    public static func probes(_ option: GraphicsOption, environment: [String: String], tmux: TmuxStatus) -> Bool {
        if case .blocked = tmux { return false }
        switch option {
        case .off: return false
        case .sixel, .kitty: return true
        case .auto:
            if case .passthrough = tmux { return true }
            let term = environment["TERM"] ?? ""
            return !(term == "linux" || term == "dumb" || term.isEmpty)
        }
    }
}
