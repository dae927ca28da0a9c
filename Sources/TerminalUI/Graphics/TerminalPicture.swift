/// An indexed-colour image placed on a rectangle of terminal cells: what a graphics protocol
/// (sixel, kitty) draws where the half-block heatmap would be.
///
/// Built by the render code on the main actor (`HeatmapPicture`) and handed to the backend with
/// the paint it belongs to. Equatable so the backend can tell whether the heatmap changed and the
/// image must be sent again.
public struct TerminalPicture: Equatable, Sendable {
    public struct RGB: Hashable, Sendable {
        public var r: UInt8, g: UInt8, b: UInt8
        public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
            self.r = r
            self.g = g
            self.b = b
        }
    }

    /// The cells the image covers; the image is `cells.width × cellWidth` pixels wide.
    public var cells: Rect
    public var width: Int
    public var height: Int
    /// One palette index per pixel, row by row.
    public var indices: [UInt8]
    /// At most 256 colours (a sixel terminal's colour registers).
    public var palette: [RGB]

    public init(cells: Rect, width: Int, height: Int, indices: [UInt8], palette: [RGB]) {
        self.cells = cells
        self.width = width
        self.height = height
        self.indices = indices
        self.palette = palette
    }
}

/// A terminal graphics protocol the heatmap can be drawn with.
public enum GraphicsProtocol: String, Sendable, Equatable, CaseIterable {
    case sixel
    case kitty
}
