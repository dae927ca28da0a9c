/// Why the terminal could not be taken over.
public enum CursesError: Error, Equatable, Sendable {
    /// `newterm` returned NULL: no terminfo entry for `term`, or stdout is not a terminal.
    case newtermFailed(term: String)
    /// The pipe that carries ncurses' output to the terminal (to count it) could not be made.
    case outputPipeFailed(errno: Int32)
    /// The benchmark sink could not be opened.
    case sinkFailed(errno: Int32)
}
