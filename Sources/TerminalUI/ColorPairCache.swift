/// Curses colour pairs allocated on demand: (foreground, background) colour numbers → pair number.
///
/// Owned by the curses backend (main thread); kept in TerminalUI so its recycling rule is tested
/// without a terminal. Pair 0 is the terminal default and never allocated.
/// When every pair up to `limit` is in use, `pair(fg:bg:)` starts over and says so, because the
/// recycled pair numbers change the colours of cells already on screen: the caller repaints.
public struct ColorPairCache: Sendable {
    private struct Key: Hashable, Sendable {
        let fg: Int32
        let bg: Int32
    }

    private var pairs: [Key: Int32] = [:]
    private var next: Int32 = 1
    /// The highest pair number that may be used (COLOR_PAIRS − 1).
    public let limit: Int32

    public init(limit: Int32) {
        self.limit = max(0, limit)
    }

    /// The pair for these colours, and whether the cache was reset to make room. `define` is called
    /// for each newly allocated pair (init_extended_pair).
    public mutating func pair(fg: Int32, bg: Int32, define: (Int32, Int32, Int32) -> Void) -> (pair: Int32, reset: Bool) {
        if fg == -1, bg == -1 { return (0, false) }
        let key = Key(fg: fg, bg: bg)
        if let known = pairs[key] { return (known, false) }
        guard limit >= 1 else { return (0, false) }
        var reset = false
        if next > limit {
            pairs.removeAll(keepingCapacity: true)
            next = 1
            reset = true
        }
        let number = next
        next += 1
        pairs[key] = number
        define(number, fg, bg)
        return (number, reset)
    }

    public mutating func removeAll() {
        pairs.removeAll(keepingCapacity: true)
        next = 1
    }
}
