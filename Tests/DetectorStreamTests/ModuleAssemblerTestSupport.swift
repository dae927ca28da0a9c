import DetectorStream
import XCTest

/// A full detector image cut into port frames the way an slsDetector receiver sends them, and
/// the naive per-pixel reference the assembler's output is compared against.
struct PortGrid {
    var columns: Int
    var rows: Int
    var moduleWidth: Int
    var moduleHeight: Int
    var pixelType: PixelType = .uint16
    var detectorType = 3
    /// Cells whose rows are sent bottom-up with flipRows set.
    var flipped: Set<Int> = []
    /// What the headers say as detshape; nil: [columns, rows].
    var detshape: (Int, Int)?

    var width: Int { columns * moduleWidth }
    var height: Int { rows * moduleHeight }
    var bytesPerPixel: Int { pixelType.bytesPerPixel }

    /// A distinct value per (frame, x, y) that is never all ones.
    func value(frame: UInt64, x: Int, y: Int) -> UInt64 {
        let v = (UInt64(y * width + x) &* 7 &+ frame &* 1000 &+ 1)
        return v % pixelType.allOnes
    }

    /// The port frame of cell (row, column) for frame number `frame`, as a decoder emits it.
    func module(frame: UInt64, row: Int, column: Int, complete: Bool = true, series: UInt64 = 1)
        -> (FrameDescriptor, [UInt8]) {
        let cell = row * columns + column
        let flip = flipped.contains(cell)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(moduleWidth * moduleHeight * bytesPerPixel)
        for sentRow in 0..<moduleHeight {
            let y = row * moduleHeight + (flip ? moduleHeight - 1 - sentRow : sentRow)
            for x in column * moduleWidth..<(column + 1) * moduleWidth {
                append(value(frame: frame, x: x, y: y), to: &bytes)
            }
        }
        let grid = detshape ?? (columns, rows)
        let descriptor = FrameDescriptor(
            series: series, frameNumber: frame, frameIndex: frame, width: moduleWidth, height: moduleHeight,
            pixelType: pixelType, encoding: .raw, byteCount: bytes.count, complete: complete,
            module: ModulePosition(row: row, column: column, gridColumns: grid.0, gridRows: grid.1,
                                   flipRows: flip, detectorType: detectorType))
        return (descriptor, bytes)
    }

    /// The whole image of frame `frame` with the cells in `missing` all ones, built pixel by pixel.
    func reference(frame: UInt64, missing: Set<Int> = []) -> [UInt8] {
        var bytes: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let cell = (y / moduleHeight) * columns + x / moduleWidth
                append(missing.contains(cell) ? pixelType.allOnes : value(frame: frame, x: x, y: y), to: &bytes)
            }
        }
        return bytes
    }

    private func append(_ v: UInt64, to bytes: inout [UInt8]) {
        for i in 0..<bytesPerPixel { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    /// Every cell (row, column), row-major.
    var cells: [(row: Int, column: Int)] {
        (0..<rows).flatMap { r in (0..<columns).map { c in (r, c) } }
    }
}

/// What an assembler emitted, copied out of the callback.
struct Emitted: Equatable {
    var descriptor: FrameDescriptor
    var pixels: [UInt8]
    var missing: [ModuleCell]
}

extension ModuleAssembler {
    /// Adds a module and returns what it emitted; a rejection is returned, not thrown.
    mutating func feed(_ module: (FrameDescriptor, [UInt8])) -> (emitted: [Emitted], error: StreamError?) {
        var out: [Emitted] = []
        let result = module.1.withUnsafeBytes { payload in
            Result { () throws(StreamError) in
                try add(module.0, payload: payload) {
                    out.append(Emitted(descriptor: $0.descriptor, pixels: Array($0.pixels), missing: $0.missingCells()))
                }
            }
        }
        if case .failure(let error) = result { return (out, error) }
        return (out, nil)
    }

    mutating func flushed() -> [Emitted] {
        var out: [Emitted] = []
        flush { out.append(Emitted(descriptor: $0.descriptor, pixels: Array($0.pixels), missing: $0.missingCells())) }
        return out
    }
}
