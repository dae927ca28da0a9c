import DetectorStream

/// How `detview simulate --streams N` cuts the scene's frame into slsDetector ports, as a real
/// multi-port detector sends it: a grid of `columns` × `rows` equal ports, port (row, column)
/// holding pixels y = row × ny ..< (row + 1) × ny, x = column × nx ..< (column + 1) × nx, and
/// saying so in its header (`row`, `column`, `detshape` [columns, rows], `shape` [nx, ny]).
/// Ports are numbered row-major; port i binds the i-th stream endpoint.
///
/// Default grids follow slsDetector's receiver: JUNGFRAU and MOENCH stack their interfaces
/// along y (one column of N rows); EIGER puts a half-module's two ports side by side (two
/// columns, N/2 rows, for even N) and its bottom half-modules (odd rows) send their rows
/// bottom-up with `flipRows` set. A plain value.
public struct PortLayout: Sendable, Equatable {
    public var columns: Int
    public var rows: Int
    public var moduleWidth: Int
    public var moduleHeight: Int
    /// Odd grid rows send their pixel rows in reverse and set `flipRows` (EIGER bottom halves).
    public var flipsOddRows: Bool

    public var count: Int { columns * rows }

    public init(columns: Int, rows: Int, moduleWidth: Int, moduleHeight: Int, flipsOddRows: Bool = false) {
        self.columns = columns
        self.rows = rows
        self.moduleWidth = moduleWidth
        self.moduleHeight = moduleHeight
        self.flipsOddRows = flipsOddRows
    }

    /// The layout the options ask for: nil for one whole-frame stream.
    public init?(options o: SimulationOptions) throws(SimulatorError) {
        guard o.streams != 1 || o.streamGrid != nil || o.missingStream != nil else { return nil }
        guard (1...64).contains(o.streams) else { throw SimulatorError("simulate: --streams must be 1...64") }
        guard o.resolvedFormat == .sls else {
            throw SimulatorError("simulate: --streams sends slsDetector ports: it needs --format sls")
        }
        guard o.connect == nil else {
            throw SimulatorError("simulate: --streams binds one PUB socket per port: use --bind, not --connect")
        }
        let eiger = o.detector == .eiger
        let grid = o.streamGrid ?? (eiger && o.streams % 2 == 0 ? (2, o.streams / 2) : (1, o.streams))
        guard grid.columns >= 1, grid.rows >= 1, grid.columns * grid.rows == o.streams else {
            throw SimulatorError("simulate: --stream-grid \(grid.columns)x\(grid.rows) is not \(o.streams) ports (--streams)")
        }
        let (w, h) = o.resolvedSize
        guard w % grid.columns == 0, h % grid.rows == 0 else {
            throw SimulatorError("simulate: the \(w)x\(h) frame does not split into \(grid.columns)x\(grid.rows) equal ports (choose --size or --stream-grid)")
        }
        if let missing = o.missingStream, !(0..<o.streams).contains(missing) {
            throw SimulatorError("simulate: --missing-stream \(missing) is not a port 0...\(o.streams - 1)")
        }
        self.init(columns: grid.columns, rows: grid.rows, moduleWidth: w / grid.columns, moduleHeight: h / grid.rows,
                  flipsOddRows: eiger && grid.rows > 1)
    }

    public func row(of port: Int) -> Int { port / columns }
    public func column(of port: Int) -> Int { port % columns }
    public func isFlipped(_ port: Int) -> Bool { flipsOddRows && row(of: port) % 2 == 1 }

    /// Copies port `port`'s pixels out of the whole frame (`frameWidth` pixels a row), in the
    /// order the port sends them (bottom-up when flipped), into `out` (one port's bytes).
    public func extract(port: Int, from frame: UnsafeRawBufferPointer, bytesPerPixel: Int,
                        into out: UnsafeMutableRawBufferPointer) {
        let rowBytes = moduleWidth * bytesPerPixel
        let frameRowBytes = columns * rowBytes
        let flipped = isFlipped(port)
        guard let from = frame.baseAddress, let to = out.baseAddress else { return }
        for y in 0..<moduleHeight {
            let sourceRow = row(of: port) * moduleHeight + (flipped ? moduleHeight - 1 - y : y)
            (to + y * rowBytes).copyMemory(from: from + sourceRow * frameRowBytes + column(of: port) * rowBytes,
                                           byteCount: rowBytes)
        }
    }

    /// Sets port `port`'s pixels of the whole frame to all ones: what a viewer shows (masked)
    /// for a module that never sends.
    public func mask(port: Int, in frame: UnsafeMutableRawBufferPointer, bytesPerPixel: Int) {
        let rowBytes = moduleWidth * bytesPerPixel
        let frameRowBytes = columns * rowBytes
        for y in 0..<moduleHeight {
            let start = (row(of: port) * moduleHeight + y) * frameRowBytes + column(of: port) * rowBytes
            UnsafeMutableRawBufferPointer(rebasing: frame[start..<start + rowBytes]).initializeMemory(as: UInt8.self, repeating: 0xFF)
        }
    }
}
