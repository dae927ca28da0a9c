import Processing

/// What the help overlay (`?`) shows: the key map's rows, the modes and a few notes.
public enum HelpText {
    public static var keys: [(key: String, description: String)] {
        KeyMap.bindings.map { (key: $0.names.joined(separator: "  "), description: $0.help) }
    }

    /// One line per mode: its digit, name and what it shows.
    public static var modes: [String] {
        ProcessingMode.allCases.map { "\($0.digit) \($0.name): \($0.summary)" }
    }

    public static let notes: [String] = [
        "Autoscale maps the 0.5–99.9 percentiles of the shown pixels.",
        "Grey cells are masked pixels (gaps, all-ones values).",
        "Each heatmap cell shows two pixels (upper and lower half).",
    ]
}
