/// The layout of a multi-port detector image: a grid of equal ports (slsDetector `detshape`
/// [x, y] = [columns, rows]) each `moduleWidth` × `moduleHeight` pixels (`shape`). Decided by
/// `ModuleAssembler` from the first module of a series; a plain value.
public struct AssemblyGeometry: Sendable, Equatable {
    public var gridColumns: Int
    public var gridRows: Int
    public var moduleWidth: Int
    public var moduleHeight: Int
    /// The pixel type of the assembled image (uint8 for packed 4-bit modules, which are unpacked).
    public var pixelType: PixelType
    /// How each module's payload arrives: raw, or packed4 (slsDetector bitmode 4).
    public var moduleEncoding: PayloadEncoding

    /// The most ports a grid may have: JUNGFRAU 16M with two interfaces has 64.
    public static let maxPorts = 1024

    public init(gridColumns: Int, gridRows: Int, moduleWidth: Int, moduleHeight: Int,
                pixelType: PixelType, moduleEncoding: PayloadEncoding = .raw) {
        self.gridColumns = gridColumns
        self.gridRows = gridRows
        self.moduleWidth = moduleWidth
        self.moduleHeight = moduleHeight
        self.pixelType = pixelType
        self.moduleEncoding = moduleEncoding
    }

    public var width: Int { gridColumns * moduleWidth }
    public var height: Int { gridRows * moduleHeight }
    public var moduleCount: Int { gridColumns * gridRows }
    public var frameBytes: Int { width * height * pixelType.bytesPerPixel }
    /// Bytes of one module's payload as it arrives.
    public var modulePayloadBytes: Int {
        let pixels = moduleWidth * moduleHeight
        return moduleEncoding == .packed4 ? (pixels + 1) / 2 : pixels * pixelType.bytesPerPixel
    }

    /// Row-major index of the cell (row, column) in the grid.
    func cellIndex(row: Int, column: Int) -> Int { row * gridColumns + column }

    /// The geometry a module implies: its `detshape` grid when both values are in 1...maxPorts,
    /// else `fallbackGrid` (the caller's guess, for senders that leave detshape [0, 0]).
    /// Throws when the module cannot be assembled at all or the image exceeds `maxFrameBytes`.
    static func implied(by frame: FrameDescriptor, fallbackGrid: (columns: Int, rows: Int),
                        maxFrameBytes: Int) throws(StreamError) -> AssemblyGeometry {
        guard let module = frame.module else {
            throw StreamError(.missingKey, "assembly: frame \(frame.frameNumber) has no module position (row, column)")
        }
        guard frame.encoding == .raw || frame.encoding == .packed4 else {
            throw StreamError(.unsupported, "assembly: modules must arrive raw or packed 4-bit, not \(frame.encoding.name)")
        }
        guard frame.width > 0, frame.height > 0 else {
            throw StreamError(.badValue, "assembly: module shape [\(frame.width), \(frame.height)] is empty")
        }
        let grid = isSane(module) ? (module.gridColumns, module.gridRows) : fallbackGrid
        guard grid.0 >= 1, grid.1 >= 1, grid.0 * grid.1 <= maxPorts else {
            throw StreamError(.badValue, "assembly: detshape [\(module.gridColumns), \(module.gridRows)] is not a grid of 1...\(maxPorts) ports")
        }
        let geometry = AssemblyGeometry(gridColumns: grid.0, gridRows: grid.1, moduleWidth: frame.width,
                                        moduleHeight: frame.height, pixelType: frame.pixelType, moduleEncoding: frame.encoding)
        let (w, o1) = grid.0.multipliedReportingOverflow(by: frame.width)
        let (h, o2) = grid.1.multipliedReportingOverflow(by: frame.height)
        let (pixels, o3) = w.multipliedReportingOverflow(by: h)
        let (bytes, o4) = pixels.multipliedReportingOverflow(by: frame.pixelType.bytesPerPixel)
        guard !o1, !o2, !o3, !o4, bytes <= maxFrameBytes else {
            throw StreamError(.tooLarge, "assembly: \(grid.0)×\(grid.1) ports of [\(frame.width), \(frame.height)] exceed the frame limit of \(maxFrameBytes) bytes (--max-frame-bytes)")
        }
        return geometry
    }

    /// A detshape of 1...maxPorts ports in all.
    static func isSane(_ module: ModulePosition) -> Bool {
        (1...maxPorts).contains(module.gridColumns) && (1...maxPorts).contains(module.gridRows)
            && module.gridColumns * module.gridRows <= maxPorts
    }

    /// Why `frame` does not belong in this geometry, or nil when it does.
    func mismatch(_ frame: FrameDescriptor, payloadCount: Int) -> StreamError? {
        guard let module = frame.module else {
            return StreamError(.missingKey, "assembly: frame \(frame.frameNumber) has no module position (row, column)")
        }
        let at = "assembly: module at row \(module.row), column \(module.column)"
        guard (0..<gridRows).contains(module.row), (0..<gridColumns).contains(module.column) else {
            return StreamError(.badValue, "\(at) lies outside the \(gridColumns)×\(gridRows) grid of ports (detshape [columns, rows])")
        }
        // A detshape of [0, 0] (or absurd) says nothing; a sane one must be the series'.
        if Self.isSane(module), module.gridColumns != gridColumns || module.gridRows != gridRows {
            return StreamError(.badValue, "\(at) says detshape [\(module.gridColumns), \(module.gridRows)], the series has [\(gridColumns), \(gridRows)]")
        }
        guard frame.width == moduleWidth, frame.height == moduleHeight, frame.pixelType == pixelType,
              frame.encoding == moduleEncoding else {
            return StreamError(.sizeMismatch, "\(at) is [\(frame.width), \(frame.height)] \(frame.pixelType.name) \(frame.encoding.name), the other modules [\(moduleWidth), \(moduleHeight)] \(pixelType.name) \(moduleEncoding.name)")
        }
        guard payloadCount == modulePayloadBytes else {
            return StreamError(.sizeMismatch, "\(at) has \(payloadCount) bytes of data, its shape needs \(modulePayloadBytes)")
        }
        return nil
    }
}
