/// `--graphics`: which protocol draws the heatmap, from the option, the environment and what the
/// terminal answered at start. A pure function, so every case is a unit test.
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

        public init(deviceAttributes: [Int] = [], kittyGraphics: Bool = false, cellPixelsKnown: Bool = true) {
            self.deviceAttributes = deviceAttributes
            self.kittyGraphics = kittyGraphics
            self.cellPixelsKnown = cellPixelsKnown
        }
    }

    /// A forced protocol is used as asked (inside tmux that needs passthrough: the user said so).
    /// `auto` stays on half blocks inside tmux ($TMUX set: tmux does not pass images on by
    /// default, and answers for itself, not for the terminal outside), on the Linux console, when
    /// the cell size in pixels is unknown, and when the terminal answered neither the kitty query nor DA1 with attribute 4; kitty's
    /// protocol wins when both are there (24-bit colour, no palette).
    public static func choose(_ option: GraphicsOption, environment: [String: String],
                              replies: TerminalReplies) -> GraphicsProtocol? {
        switch option {
        case .off: return nil
        case .sixel: return .sixel
        case .kitty: return .kitty
        case .auto:
            guard probes(option, environment: environment), replies.cellPixelsKnown else { return nil }
            if replies.kittyGraphics { return .kitty }
            if replies.deviceAttributes.dropFirst().contains(4) { return .sixel }
            return nil
        }
    }

    /// Whether the start-up probe should ask about graphics at all (not for `off`, nor where
    /// `auto` would say no whatever the answer: a console that does not know APC strings could
    /// show the kitty query).
    public static func probes(_ option: GraphicsOption, environment: [String: String]) -> Bool {
        switch option {
        case .off: return false
        case .sixel, .kitty: return true
        case .auto:
            if let tmux = environment["TMUX"], !tmux.isEmpty { return false }
            let term = environment["TERM"] ?? ""
            return !(term == "linux" || term == "dumb" || term.isEmpty)
        }
    }
}
