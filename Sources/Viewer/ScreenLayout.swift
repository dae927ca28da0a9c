import TerminalUI

/// Where everything goes on a screen of a given size. Computed from the size alone, so the
/// session can tell the workers the heatmap's pixel size before anything is drawn.
public struct ScreenLayout: Equatable, Sendable {
    public let title: Rect
    public let heatmap: Rect
    public let heatmapInterior: Rect
    public let panel: Rect?
    /// The history strips (`H`), under the heatmap; nil when off or when they do not fit.
    public let strips: Rect?
    public let status: Rect

    /// Below this width the side panel is dropped and the heatmap takes the whole body.
    public static let minimumWidthForPanel = 64
    public static let panelWidth = 30
    /// A strip's row: its label, a minute of seconds, and its value with the minute's min and max.
    public static let stripLabelWidth = 10
    public static let stripTextWidth = 26
    public static var minimumStripWidth: Int { stripLabelWidth + StatsHistory.seconds + 1 + stripTextWidth }
    /// The strips never squeeze the heatmap below this many rows (its border included).
    public static let minimumHeatmapRowsBesideStrips = 12

    /// `stripRows`: the rows the history strips want (0: none, `ViewerState.stripRows`).
    public init(width: Int, height: Int, stripRows: Int = 0) {
        let w = max(0, width), h = max(0, height)
        title = Rect(x: 0, y: 0, width: w, height: min(1, h))
        status = Rect(x: 0, y: max(0, h - 1), width: w, height: h >= 2 ? 1 : 0)
        let bodyHeight = max(0, h - 2)
        let column: Rect
        if w >= Self.minimumWidthForPanel {
            column = Rect(x: 0, y: 1, width: w - Self.panelWidth, height: bodyHeight)
            panel = Rect(x: w - Self.panelWidth, y: 1, width: Self.panelWidth, height: bodyHeight)
        } else {
            column = Rect(x: 0, y: 1, width: w, height: bodyHeight)
            panel = nil
        }
        // The strips take the bottom of the heatmap's column only where both keep their room.
        if stripRows > 0, column.width >= Self.minimumStripWidth,
           column.height - stripRows >= Self.minimumHeatmapRowsBesideStrips {
            heatmap = Rect(x: column.x, y: column.y, width: column.width, height: column.height - stripRows)
            strips = Rect(x: column.x, y: heatmap.bottom, width: column.width, height: stripRows)
        } else {
            heatmap = column
            strips = nil
        }
        heatmapInterior = heatmap.width >= 2 && heatmap.height >= 2
            ? Rect(x: heatmap.x + 1, y: heatmap.y + 1, width: heatmap.width - 2, height: heatmap.height - 2)
            : Rect(x: heatmap.x, y: heatmap.y, width: 0, height: 0)
    }

    /// The smallest screen that shows `stripRows` of history strips beside the side panel.
    public static func minimumSize(stripRows: Int) -> (width: Int, height: Int) {
        (minimumStripWidth + panelWidth, 2 + minimumHeatmapRowsBesideStrips + stripRows)
    }
}
