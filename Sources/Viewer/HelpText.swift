import Processing

/// The keys, as the help overlay (`?`) and the README list them.
public enum HelpText {
    public static let keys: [(key: String, description: String)] = [
        ("q  Ctrl-C", "quit (the terminal is restored)"),
        ("?  h  F1", "show or hide this help"),
        ("l", "log / linear colour scale"),
        ("a", "autoscale on / off (off holds the limits)"),
        ("C", "next colormap (viridis, magma, inferno, cividis, gray)"),
        ("x", "marks of the last frame's photons (counting) / peaks (hits) on / off"),
        ("g", "JUNGFRAU: gain stage (0 G0, 1 G1, 2 G2) / ADC value"),
        ("t", "next channel of a stream v2 image (threshold_1, threshold_2, …)"),
        ("m  1…9 0", "next mode / mode by number (see below)"),
        ("p", "take a dark series (pedestal) of --pedestal-frames frames"),
        ("r", "reset the pedestal"),
        ("+  -", "raise / lower the threshold (threshold mode)"),
        ("u", "pump-probe: unpumped / pumped / difference"),
        ("s", "pedestal mode: the dark level's mean / its σ"),
        ("c", "clear the accumulations (sum, mean, max, counts, profile)"),
    ]

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
