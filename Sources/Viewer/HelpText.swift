import Processing
import TerminalUI

/// What the help overlay (`?`) shows: the key map's rows, the modes and a few notes.
public enum HelpText {
    public static var keys: [(key: String, description: String)] {
        KeyMap.bindings.map { (key: $0.names.joined(separator: "  "), description: $0.help) }
    }

    /// One line per mode: its digit, name and what it shows.
    public static var modes: [String] {
        ProcessingMode.allCases.map { "\($0.digit) \($0.name): \($0.summary)" }
    }

    /// The overlay of every key, mode and note, on `page`.
    public static func overlay(page: Int) -> HelpOverlayWidget {
        // The mouse after the modes: the keys and modes keep their places on the first page.
        let entries = keys.map { HelpOverlayWidget.Entry(key: $0.key, description: $0.description) }
            + modes.map { HelpOverlayWidget.Entry(key: "", description: $0) }
            + KeyMap.mouseActions.map { HelpOverlayWidget.Entry(key: $0.names, description: $0.help) }
            + notes.map { HelpOverlayWidget.Entry(key: "", description: $0) }
        var widget = HelpOverlayWidget(title: " detview — keys ", entries: entries)
        widget.page = page
        return widget
    }

    public static let notes: [String] = [
        "Autoscale maps the 0.5–99.9 percentiles of the shown pixels.",
        "Grey cells are masked pixels (gaps, all-ones values).",
        "Each heatmap cell shows two pixels (upper and lower half).",
        "With mouse reporting on, Shift+drag selects text in most terminals (--mouse off: the terminal keeps the mouse).",
    ]
}
