import TerminalUI

/// Where everything goes on a screen of a given size. Computed from the size alone, so the
/// session can tell the workers the heatmap's pixel size before anything is drawn.
public struct ScreenLayout: Equatable, Sendable {
    public let title: Rect
    public let heatmap: Rect
    public let heatmapInterior: Rect
    public let panel: Rect?
    public let status: Rect

    /// Below this width the side panel is dropped and the heatmap takes the whole body.
    public static let minimumWidthForPanel = 64
    public static let panelWidth = 30

    public init(width: Int, height: Int) {
        let w = max(0, width), h = max(0, height)
        title = Rect(x: 0, y: 0, width: w, height: min(1, h))
        status = Rect(x: 0, y: max(0, h - 1), width: w, height: h >= 2 ? 1 : 0)
        let bodyHeight = max(0, h - 2)
        if w >= Self.minimumWidthForPanel {
            heatmap = Rect(x: 0, y: 1, width: w - Self.panelWidth, height: bodyHeight)
            panel = Rect(x: w - Self.panelWidth, y: 1, width: Self.panelWidth, height: bodyHeight)
        } else {
            heatmap = Rect(x: 0, y: 1, width: w, height: bodyHeight)
            panel = nil
        }
        heatmapInterior = heatmap.width >= 2 && heatmap.height >= 2
            ? Rect(x: heatmap.x + 1, y: heatmap.y + 1, width: heatmap.width - 2, height: heatmap.height - 2)
            : Rect(x: heatmap.x, y: heatmap.y, width: 0, height: 0)
    }
}
