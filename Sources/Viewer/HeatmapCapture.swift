import TerminalUI

/// Catches the heatmap widget a `Screen` paints and where, so the session can draw the same
/// image as a picture (`HeatmapPicture`) on a terminal with graphics. A class because `Screen`
/// renders without mutating itself; one per paint, owned by the main actor.
public final class HeatmapCapture {
    public private(set) var widget: HeatmapWidget?
    public private(set) var area = Rect(x: 0, y: 0, width: 0, height: 0)
    /// The widget's image at the picture's pixels, when the workers binned one (true pixels).
    public private(set) var source: HeatmapPicture.Source?

    public init() {}

    func record(_ widget: HeatmapWidget, in area: Rect, source: HeatmapPicture.Source? = nil) {
        self.widget = widget
        self.area = area
        self.source = source
    }
}
