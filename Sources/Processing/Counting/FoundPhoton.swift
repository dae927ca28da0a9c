/// A photon the counting finder found in a frame: its pixel (the maximum of its 3×3 window)
/// and that pixel's pedestal-subtracted value (ADU). A plain value.
public struct FoundPhoton: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var value: Float

    public init(x: Int, y: Int, value: Float) {
        self.x = x
        self.y = y
        self.value = value
    }
}
