/// The beam centre in detector pixels (`--beam-center x,y`), the radial profile's origin.
/// Parsed once from the command line; travels to the workers as this value.
public struct BeamCentre: Sendable, Equatable, CustomStringConvertible {
    public var x: Float
    public var y: Float

    public init(x: Float, y: Float) {
        self.x = x
        self.y = y
    }

    /// Parses `x,y`: two finite numbers, blanks around each allowed.
    public init(parsing text: String) throws(BeamCentreError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { AnalysisText.trim($0) }
        guard parts.count == 2, let x = Float(parts[0]), let y = Float(parts[1]), x.isFinite, y.isFinite else {
            throw BeamCentreError(text: text)
        }
        self.init(x: x, y: y)
    }

    public var description: String { "\(x),\(y)" }
}

public struct BeamCentreError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String { "'\(text)' is not x,y in pixels, e.g. 512.5,480" }
}
