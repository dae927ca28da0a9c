/// Something that draws itself into a rectangle of a `Buffer`.
///
/// Widgets are plain values built fresh for each frame by the render code (main actor). They never
/// touch the terminal, must stay inside `area`, and must be safe on any area, including 0×0.
public protocol Widget {
    func render(in area: Rect, into buffer: inout Buffer)
}
