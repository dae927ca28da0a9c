/// The themes `T` steps through, and which one is shown. A plain value in the viewer's state.
public struct ThemeCycle: Sendable, Equatable {
    public private(set) var themes: [Theme]
    public private(set) var index: Int

    /// `themes` must not be empty; `index` is taken modulo its count.
    public init(themes: [Theme], index: Int = 0) {
        precondition(!themes.isEmpty, "a theme cycle needs a theme")
        self.themes = themes
        self.index = ((index % themes.count) + themes.count) % themes.count
    }

    public static let compiledDefault = ThemeCycle(themes: [.default])

    public var current: Theme { themes[index] }

    /// Steps to the next theme, wrapping round.
    public mutating func advance() {
        index = (index + 1) % themes.count
    }
}
