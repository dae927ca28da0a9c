/// A grid of cells, `width` × `height`, origin at the top-left: what one frame of the screen holds.
///
/// Value type, filled by widgets on the render side (main actor) and handed to a `Backend`.
/// Every write is clipped to the buffer: writing outside it is a no-op, reading outside it yields
/// `Cell.blank`, so a widget given a wrong area cannot crash the viewer.
public struct Buffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major cells, `width * height` of them.
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = [Cell](repeating: fill, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, x < width, y >= 0, y < height else { return .blank }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, x < width, y >= 0, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Sets every cell of `rect` (clipped to the buffer) to `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for row in r.y..<r.bottom {
            let base = row * width
            for col in r.x..<r.right { cells[base + col] = cell }
        }
    }

    /// Writes `string` from column `x` of row `y`, one cell per character, clipped to `clip` (and to the
    /// buffer). A character made of several scalars keeps only its first; control characters become
    /// spaces so they cannot move the terminal's cursor. Returns the column after the last character,
    /// clipped or not, up to the clip's right edge.
    @discardableResult
    public mutating func setString(x: Int, y: Int, _ string: String, style: Style = .plain, clippedTo clip: Rect? = nil) -> Int {
        let bounds = (clip ?? area).intersection(area)
        guard y >= bounds.y, y < bounds.bottom else { return x }
        var col = x
        for character in string {
            if col >= bounds.right { break }
            if col >= bounds.x, let scalar = character.unicodeScalars.first {
                let printable = scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80..<0xA0).contains(scalar.value)
                cells[y * width + col] = Cell(printable ? scalar : " ", style: style)
            }
            col += 1
        }
        return col
    }

    /// The characters row by row, rows joined with "\n" (trailing spaces kept): for tests and logs.
    public var text: String {
        var out = String()
        out.reserveCapacity((width + 1) * height)
        for row in 0..<height {
            if row > 0 { out.append("\n") }
            for col in 0..<width { out.unicodeScalars.append(cells[row * width + col].symbol) }
        }
        return out
    }

    /// The cells of `self` that differ from `previous`, in row-major order. A buffer of another size
    /// counts as entirely different (every cell is reported).
    public func diff(from previous: Buffer) -> [(x: Int, y: Int, cell: Cell)] {
        var changes: [(x: Int, y: Int, cell: Cell)] = []
        let sameSize = previous.width == width && previous.height == height
        for row in 0..<height {
            let base = row * width
            for col in 0..<width where !sameSize || cells[base + col] != previous.cells[base + col] {
                changes.append((col, row, cells[base + col]))
            }
        }
        return changes
    }

    /// The cells of `self` that look different from `onScreen` (what the terminal shows), in
    /// row-major order: a cell whose character and attributes are the same and whose colours each
    /// look the same under `tolerance` (`areaTolerance` inside `area`: the heatmap, whose
    /// fidelity the byte budget may lower) is left as it is, so noise too small to see costs no
    /// bytes. The caller keeps `onScreen` as written, so skipped changes cannot add up unseen. A
    /// buffer of another size counts as entirely different.
    public func visibleChanges(from onScreen: Buffer, tolerance: PerceptualTolerance,
                               area: Rect = .zero,
                               areaTolerance: PerceptualTolerance? = nil) -> [(x: Int, y: Int, cell: Cell)] {
        let inside = area.intersection(self.area)
        let insideTolerance = inside.isEmpty ? tolerance : areaTolerance ?? tolerance
        guard onScreen.width == width, onScreen.height == height,
              tolerance.threshold > 0 || insideTolerance.threshold > 0 else { return diff(from: onScreen) }
        var changes: [(x: Int, y: Int, cell: Cell)] = []
        for row in 0..<height {
            let base = row * width
            let rowInside = row >= inside.y && row < inside.bottom
            for col in 0..<width {
                let new = cells[base + col], old = onScreen.cells[base + col]
                guard new != old else { continue }
                let sameExceptColour = new.symbol == old.symbol && new.style.bold == old.style.bold
                    && new.style.dim == old.style.dim && new.style.reverse == old.style.reverse
                    && new.style.underline == old.style.underline
                if sameExceptColour {
                    let rule = rowInside && col >= inside.x && col < inside.right ? insideTolerance : tolerance
                    if rule.looksSame(new.style.fg, old.style.fg), rule.looksSame(new.style.bg, old.style.bg) { continue }
                }
                changes.append((col, row, new))
            }
        }
        return changes
    }

    /// Copies the cells of `rect` (clipped to both buffers) from `other`, a buffer of the same size.
    public mutating func copy(_ rect: Rect, from other: Buffer) {
        guard other.width == width, other.height == height else { return }
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for row in r.y..<r.bottom {
            let base = row * width
            for col in r.x..<r.right { cells[base + col] = other.cells[base + col] }
        }
    }
}
