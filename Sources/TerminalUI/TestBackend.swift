/// A backend that keeps the frames it is given, for tests of the render path.
///
/// Value type owned by the test. It records how many cells each draw changed, as a real terminal
/// backend would send them.
public struct TestBackend: Backend {
    public var size: (width: Int, height: Int)
    /// The last frame drawn, nil before the first draw.
    public private(set) var buffer: Buffer?
    public private(set) var drawCount = 0
    /// Cells that differed from the previous frame at the last draw (all of them at the first).
    public private(set) var lastChangedCellCount = 0

    public init(width: Int, height: Int) {
        size = (max(0, width), max(0, height))
    }

    public mutating func draw(_ frame: Buffer) {
        lastChangedCellCount = buffer.map { frame.diff(from: $0).count } ?? frame.width * frame.height
        buffer = frame
        drawCount += 1
    }
}
