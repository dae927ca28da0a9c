import TerminalUI

/// Where everything goes on a screen of a given size. Computed from the size alone, so the
/// session can tell the workers the heatmap's pixel size before anything is drawn.
public struct ScreenLayout: Equatable, Sendable {
    public let title: Rect
    public let heatmap: Rect
    public let heatmapInterior: Rect
    public let panel: Rect?
    /// The line profile (`|`), right under the heatmap; nil when off or when it does not fit.
    public let profile: Rect?
    /// The history strips (`H`), under the heatmap (and profile); nil when off or when they do not fit.
    public let strips: Rect?
    public let status: Rect

    /// Below this width the side panel is dropped and the heatmap takes the whole body (the
    /// title line then carries the counters): at 80 columns a panel of 30 would leave the
    /// heatmap less than two thirds of the screen.
    public static let minimumWidthForPanel = 100
    /// The line profile's rows: a bordered box whose title carries the line and its range.
    public static let profileRows = 7
    public static let panelWidth = 30
    /// A strip's row: its label, a minute of seconds, and its value with the minute's min and max.
    public static let stripLabelWidth = 10
    public static let stripTextWidth = 26
    public static var minimumStripWidth: Int { stripLabelWidth + StatsHistory.seconds + 1 + stripTextWidth }
    /// The strips never squeeze the heatmap below this many rows (its border included).
    public static let minimumHeatmapRowsBesideStrips = 12

    /// `stripRows`: the rows the history strips want (0: none, `ViewerState.stripRows`);
    /// `profileRows` the line profile's (0: none); `showsPanel`: the side panel is wanted (`P`).
    /// Below the heatmap the profile comes first, then the strips, each only while the heatmap
    /// keeps `minimumHeatmapRowsBesideStrips` rows.
    public init(width: Int, height: Int, stripRows: Int = 0, profileRows: Int = 0, showsPanel: Bool = true) {
        let w = max(0, width), h = max(0, height)
        title = Rect(x: 0, y: 0, width: w, height: min(1, h))
        status = Rect(x: 0, y: max(0, h - 1), width: w, height: h >= 2 ? 1 : 0)
        let bodyHeight = max(0, h - 2)
        let column: Rect
        if showsPanel, w >= Self.minimumWidthForPanel {
            column = Rect(x: 0, y: 1, width: w - Self.panelWidth, height: bodyHeight)
            panel = Rect(x: w - Self.panelWidth, y: 1, width: Self.panelWidth, height: bodyHeight)
        } else {
            column = Rect(x: 0, y: 1, width: w, height: bodyHeight)
            panel = nil
        }
        // The profile and the strips take the bottom of the heatmap's column only where the
        // heatmap keeps its room.
        var heatmapRows = column.height
        let profileFits = profileRows > 0 && column.width >= 20
            && heatmapRows - profileRows >= Self.minimumHeatmapRowsBesideStrips
        if profileFits { heatmapRows -= profileRows }
        let stripsFit = stripRows > 0 && column.width >= Self.minimumStripWidth
            && heatmapRows - stripRows >= Self.minimumHeatmapRowsBesideStrips
        if stripsFit { heatmapRows -= stripRows }
        heatmap = Rect(x: column.x, y: column.y, width: column.width, height: heatmapRows)
        profile = profileFits ? Rect(x: column.x, y: heatmap.bottom, width: column.width, height: profileRows) : nil
        strips = stripsFit ? Rect(x: column.x, y: heatmap.bottom + (profileFits ? profileRows : 0),
                                  width: column.width, height: stripRows) : nil
        heatmapInterior = heatmap.width >= 2 && heatmap.height >= 2
            ? Rect(x: heatmap.x + 1, y: heatmap.y + 1, width: heatmap.width - 2, height: heatmap.height - 2)
            : Rect(x: heatmap.x, y: heatmap.y, width: 0, height: 0)
    }

    /// The smallest screen that shows `stripRows` of history strips beside the side panel.
    public static func minimumSize(stripRows: Int) -> (width: Int, height: Int) {
        (minimumStripWidth + panelWidth, 2 + minimumHeatmapRowsBesideStrips + stripRows)
    }
}
