/// Why the terminal could not be taken over.
public enum CursesError: Error, Equatable, Sendable {
    /// `newterm` returned NULL: no terminfo entry for `term`, or stdout is not a terminal.
    case newtermFailed(term: String)
}
