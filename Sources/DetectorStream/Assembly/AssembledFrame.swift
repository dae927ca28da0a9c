/// One cell of a grid of ports: (row, column) as slsDetector numbers them. A plain value.
public struct ModuleCell: Sendable, Equatable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    public var description: String { "row \(row), column \(column)" }
}

/// A full-detector image that `ModuleAssembler` hands out: its descriptor (raw encoding, the
/// whole grid's shape, `complete` false when modules are missing or incomplete) and its pixels.
/// The pixels and the arrival map point into the assembler's buffers and are valid ONLY during
/// the emit callback; copy what must outlive it.
public struct AssembledFrame {
    public var descriptor: FrameDescriptor
    public var pixels: UnsafeRawBufferPointer
    /// Modules that never arrived for this frame number; their pixels are all ones (masked).
    public var missingModules: Int
    public let geometry: AssemblyGeometry
    /// Row-major: true where the module arrived.
    let arrived: UnsafeBufferPointer<Bool>

    /// The cells whose module is missing, row-major. Allocates: call it for messages, not per frame.
    public func missingCells() -> [ModuleCell] {
        arrived.indices.filter { !arrived[$0] }.map {
            ModuleCell(row: $0 / geometry.gridColumns, column: $0 % geometry.gridColumns)
        }
    }
}
