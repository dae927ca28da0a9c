/// A mouse action the terminal reported, at a cell of the screen (0-based, from the top left).
///
/// Produced by the backend's `readKeys()` (as `Key.mouse`) when mouse reporting is on; only
/// what the viewer acts on is reported: the left button's press and the wheel's two directions.
public struct MouseEvent: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        /// The left button went down (a click; the release is not reported).
        case press
        /// The wheel rolled away from the user (button 4) / towards the user (button 5).
        case wheelUp, wheelDown
    }

    public var action: Action
    public var column: Int
    public var row: Int

    public init(_ action: Action, column: Int, row: Int) {
        self.action = action
        self.column = column
        self.row = row
    }
}
