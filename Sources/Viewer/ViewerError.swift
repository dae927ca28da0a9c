/// A reason the viewer cannot start, said in words to the user.
public struct ViewerError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
