/// The keys, as the help overlay (`?`) and the README list them.
public enum HelpText {
    public static let keys: [(key: String, description: String)] = [
        ("q  Ctrl-C", "quit (the terminal is restored)"),
        ("?  h  F1", "show or hide this help"),
        ("l", "log / linear colour scale"),
        ("a", "autoscale on / off (off holds the limits)"),
        ("C", "next colormap (viridis, magma, inferno, cividis, gray)"),
        ("g", "JUNGFRAU: gain stage (0 G0, 1 G1, 2 G2) / ADC value"),
        ("t", "next channel of a stream v2 image (threshold_1, threshold_2, …)"),
    ]

    public static let notes: [String] = [
        "Autoscale maps the 0.5–99.9 percentiles of the shown pixels.",
        "Grey cells are masked pixels (gaps, all-ones values).",
        "Each heatmap cell shows two pixels (upper and lower half).",
    ]
}
