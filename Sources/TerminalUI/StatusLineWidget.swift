/// One line across the screen: a message on the left, short text (hints, clock) on the right, the
/// whole line in the style of the message's severity.
///
/// Built per frame by the render code (main actor). The left text wins: it is cut at the right edge,
/// and the right text is drawn only when it fits after the left text and one space.
public struct StatusLineWidget: Widget {
    public enum Severity: Hashable, Sendable {
        case info
        case warning
        case error
    }

    public var left: String
    public var right: String
    public var severity: Severity
    public var infoStyle: Style
    public var warningStyle: Style
    public var errorStyle: Style

    public init(left: String, right: String = "", severity: Severity = .info,
                infoStyle: Style = Style().reversed(),
                warningStyle: Style = Style(fg: .indexed(0), bg: .indexed(3)),
                errorStyle: Style = Style(fg: .indexed(15), bg: .indexed(1), bold: true)) {
        self.left = left
        self.right = right
        self.severity = severity
        self.infoStyle = infoStyle
        self.warningStyle = warningStyle
        self.errorStyle = errorStyle
    }

    public var style: Style {
        switch severity {
        case .info: infoStyle
        case .warning: warningStyle
        case .error: errorStyle
        }
    }

    public func render(in area: Rect, into buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let line = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(line, with: Cell(" ", style: style))
        let leftEnd = buffer.setString(x: line.x, y: line.y, left, style: style, clippedTo: line)
        let rightX = line.right - right.count
        if !right.isEmpty, rightX >= (left.isEmpty ? line.x : leftEnd + 1) {
            buffer.setString(x: rightX, y: line.y, right, style: style, clippedTo: line)
        }
    }
}
