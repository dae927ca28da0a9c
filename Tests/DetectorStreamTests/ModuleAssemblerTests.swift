import DetectorStream
import XCTest

/// ModuleAssembler: placement by row/column against a per-pixel reference, the window of
/// pending frames, missing modules masked, and every kind of module that does not fit.
final class ModuleAssemblerTests: XCTestCase {
    private func assembler(window: Int = 3, maxFrameBytes: Int = 1 << 20,
                           fallback: (Int, Int) = (1, 1)) -> ModuleAssembler {
        ModuleAssembler(window: window, maxFrameBytes: maxFrameBytes, fallbackGrid: (fallback.0, fallback.1))
    }

    // MARK: - Placement

    func testTwoColumnsOfOneRowAssembleToTheReferenceImage() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 5, moduleHeight: 3)
        var a = assembler()
        XCTAssertEqual(a.feed(grid.module(frame: 1, row: 0, column: 0)).emitted, [])
        let out = a.feed(grid.module(frame: 1, row: 0, column: 1))
        XCTAssertNil(out.error)
        XCTAssertEqual(out.emitted.count, 1)
        let frame = out.emitted[0]
        XCTAssertEqual(frame.pixels, grid.reference(frame: 1))
        XCTAssertEqual(frame.descriptor.width, 10)
        XCTAssertEqual(frame.descriptor.height, 3)
        XCTAssertEqual(frame.descriptor.encoding, .raw)
        XCTAssertEqual(frame.descriptor.byteCount, 10 * 3 * 2)
        XCTAssertEqual(frame.descriptor.frameNumber, 1)
        XCTAssertTrue(frame.descriptor.complete)
        XCTAssertNil(frame.descriptor.module)
        XCTAssertEqual(frame.missing, [])
    }

    func testTwoByTwoGridOfUint32AssemblesInAnyModuleOrder() {
        let grid = PortGrid(columns: 2, rows: 2, moduleWidth: 4, moduleHeight: 3, pixelType: .uint32)
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]] {
            var a = assembler()
            var emitted: [Emitted] = []
            for cell in order {
                emitted += a.feed(grid.module(frame: 9, row: cell / 2, column: cell % 2)).emitted
            }
            XCTAssertEqual(emitted.map(\.pixels), [grid.reference(frame: 9)], "order \(order)")
            XCTAssertEqual(emitted.first?.descriptor.pixelType, .uint32)
            XCTAssertEqual(a.pendingCount, 0)
        }
    }

    func testModulesOfSeveralFramesInterleavedAssembleEachFrameInOrder() {
        let grid = PortGrid(columns: 1, rows: 2, moduleWidth: 3, moduleHeight: 2, pixelType: .uint8)
        var a = assembler()
        var emitted: [Emitted] = []
        // Port 0 runs two frames ahead of port 1.
        for (frame, row) in [(1, 0), (2, 0), (3, 0), (1, 1), (2, 1), (3, 1)] {
            emitted += a.feed(grid.module(frame: UInt64(frame), row: row, column: 0)).emitted
        }
        XCTAssertEqual(emitted.map(\.descriptor.frameNumber), [1, 2, 3])
        XCTAssertEqual(emitted.map(\.pixels), (1...3).map { grid.reference(frame: UInt64($0)) })
        XCTAssertTrue(emitted.allSatisfy(\.descriptor.complete))
    }

    func testCompleteFrameWaitsForAnOlderIncompleteOneSoFramesLeaveInOrder() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 2, moduleHeight: 2)
        var a = assembler(window: 3)
        XCTAssertEqual(a.feed(grid.module(frame: 1, row: 0, column: 0)).emitted, [])
        XCTAssertEqual(a.feed(grid.module(frame: 2, row: 0, column: 0)).emitted, [])
        XCTAssertEqual(a.feed(grid.module(frame: 2, row: 0, column: 1)).emitted, [], "2 is complete but 1 is not")
        let out = a.feed(grid.module(frame: 1, row: 0, column: 1)).emitted
        XCTAssertEqual(out.map(\.descriptor.frameNumber), [1, 2])
    }

    func testFlipRowsReversesTheRowsOfAnEigerPort() {
        var grid = PortGrid(columns: 2, rows: 2, moduleWidth: 4, moduleHeight: 3, detectorType: 1)
        grid.flipped = [2, 3]   // the bottom half-module
        var a = assembler()
        var emitted: [Emitted] = []
        for (r, c) in grid.cells { emitted += a.feed(grid.module(frame: 4, row: r, column: c)).emitted }
        XCTAssertEqual(emitted.map(\.pixels), [grid.reference(frame: 4)])
    }

    func testFlipRowsIsIgnoredForJungfrauWhoseDetectorFlipsItself() {
        var grid = PortGrid(columns: 1, rows: 2, moduleWidth: 4, moduleHeight: 3, detectorType: 3)
        grid.flipped = [1]
        var a = assembler()
        var emitted: [Emitted] = []
        for (r, c) in grid.cells { emitted += a.feed(grid.module(frame: 4, row: r, column: c)).emitted }
        // The rows of port 1 were sent reversed and stay reversed: they differ from the reference.
        var expected = grid.reference(frame: 4)
        let rowBytes = 4 * 2
        for y in 0..<3 {
            let from = (3 + 2 - y) * rowBytes, to = (3 + y) * rowBytes
            expected.replaceSubrange(to..<to + rowBytes, with: grid.reference(frame: 4)[from..<from + rowBytes])
        }
        XCTAssertEqual(emitted.map(\.pixels), [expected])
    }

    func testPacked4ModulesAssembleUnpackedToUint8WithFifteenMasked() {
        var a = assembler()
        // Two 3×2 ports stacked; nibbles high first.
        let top: [UInt8] = [0x12, 0x34, 0x5F], bottom: [UInt8] = [0x67, 0x89, 0xA0]
        for (row, bytes) in [(0, top), (1, bottom)] {
            let d = FrameDescriptor(series: 1, frameNumber: 5, frameIndex: 0, width: 3, height: 2, pixelType: .uint8,
                                    encoding: .packed4, byteCount: 3, complete: true,
                                    module: ModulePosition(row: row, column: 0, gridColumns: 1, gridRows: 2))
            let out = a.feed((d, bytes))
            XCTAssertNil(out.error)
            if row == 1 {
                XCTAssertEqual(out.emitted.first?.pixels, [1, 2, 3, 4, 5, 255, 6, 7, 8, 9, 10, 0])
                XCTAssertEqual(out.emitted.first?.descriptor.pixelType, .uint8)
                XCTAssertEqual(out.emitted.first?.descriptor.encoding, .raw)
            }
        }
    }

    func testDetshapeZeroFallsBackToTheGivenGrid() {
        var grid = PortGrid(columns: 1, rows: 2, moduleWidth: 3, moduleHeight: 2)
        grid.detshape = (0, 0)
        var a = assembler(fallback: (1, 2))
        XCTAssertEqual(a.feed(grid.module(frame: 1, row: 1, column: 0)).emitted, [])
        let out = a.feed(grid.module(frame: 1, row: 0, column: 0))
        XCTAssertEqual(out.emitted.map(\.pixels), [grid.reference(frame: 1)])
        XCTAssertEqual(a.geometry, AssemblyGeometry(gridColumns: 1, gridRows: 2, moduleWidth: 3, moduleHeight: 2, pixelType: .uint16))
    }

    // MARK: - Missing modules and the window

    func testMissingModuleIsMaskedAndFlaggedWhenAFrameBeyondTheWindowArrives() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2)
        var a = assembler(window: 2)
        XCTAssertEqual(a.feed(grid.module(frame: 10, row: 0, column: 0)).emitted, [])
        XCTAssertEqual(a.feed(grid.module(frame: 12, row: 0, column: 0)).emitted, [], "12 is not newer than 10 by more than 2")
        let out = a.feed(grid.module(frame: 13, row: 0, column: 0)).emitted
        XCTAssertEqual(out.map(\.descriptor.frameNumber), [10])
        XCTAssertEqual(out.first?.pixels, grid.reference(frame: 10, missing: [1]))
        XCTAssertEqual(out.first?.descriptor.complete, false)
        XCTAssertEqual(out.first?.missing, [ModuleCell(row: 0, column: 1)])
        XCTAssertEqual(a.incomplete, 1)
        XCTAssertEqual(a.missingModules, 1)
    }

    func testMaskedPixelsOfAReusedBufferDoNotKeepAnOlderFramesModule() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2)
        var a = assembler(window: 1)
        _ = a.feed(grid.module(frame: 1, row: 0, column: 0))
        _ = a.feed(grid.module(frame: 1, row: 0, column: 1))
        _ = a.feed(grid.module(frame: 2, row: 0, column: 0))   // reuses frame 1's buffer
        let out = a.flushed()
        XCTAssertEqual(out.map(\.pixels), [grid.reference(frame: 2, missing: [1])])
    }

    func testModuleFlaggedIncompleteMakesTheFrameIncompleteWithNothingMissing() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2)
        var a = assembler()
        _ = a.feed(grid.module(frame: 1, row: 0, column: 0, complete: false))
        let out = a.feed(grid.module(frame: 1, row: 0, column: 1)).emitted
        XCTAssertEqual(out.first?.descriptor.complete, false)
        XCTAssertEqual(out.first?.missing, [])
        XCTAssertEqual(a.missingModules, 0)
        XCTAssertEqual(a.incomplete, 1)
    }

    func testFlushAtSeriesEndEmitsPendingFramesInOrderAndForgetsTheNumbering() {
        let grid = PortGrid(columns: 1, rows: 2, moduleWidth: 2, moduleHeight: 2)
        var a = assembler(window: 4)
        for frame in [3, 1, 2] as [UInt64] { _ = a.feed(grid.module(frame: frame, row: 0, column: 0)) }
        let out = a.flushed()
        XCTAssertEqual(out.map(\.descriptor.frameNumber), [1, 2, 3])
        XCTAssertEqual(out.map(\.pixels), [1, 2, 3].map { grid.reference(frame: $0, missing: [1]) })
        XCTAssertEqual(a.pendingCount, 0)
        // A new series may count from 1 again.
        _ = a.feed(grid.module(frame: 1, row: 0, column: 0))
        XCTAssertEqual(a.feed(grid.module(frame: 1, row: 1, column: 0)).emitted.map(\.pixels), [grid.reference(frame: 1)])
    }

    func testPendingFramesNeverExceedTheWindowWithAPortThatNeverSends() {
        let grid = PortGrid(columns: 2, rows: 2, moduleWidth: 2, moduleHeight: 1)
        for window in 1...4 {
            var a = assembler(window: window)
            var emitted: [UInt64] = []
            for frame in 1...40 as ClosedRange<UInt64> {
                for (r, c) in grid.cells where !(r == 1 && c == 0) {
                    let out = a.feed(grid.module(frame: frame, row: r, column: c))
                    XCTAssertNil(out.error)
                    emitted += out.emitted.map(\.descriptor.frameNumber)
                    XCTAssertLessThanOrEqual(a.pendingCount, window)
                }
            }
            emitted += a.flushed().map(\.descriptor.frameNumber)
            XCTAssertEqual(emitted, Array(1...40), "window \(window): every frame once, in order")
            XCTAssertEqual(a.incomplete, 40)
            XCTAssertEqual(a.missingModules, 40)
        }
    }

    // MARK: - Modules that do not fit

    func testLateModuleAfterItsFrameWasEmittedIsRejected() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2)
        var a = assembler(window: 1)
        _ = a.feed(grid.module(frame: 1, row: 0, column: 0))
        XCTAssertEqual(a.feed(grid.module(frame: 3, row: 0, column: 0)).emitted.count, 1, "frame 1 leaves incomplete")
        let late = a.feed(grid.module(frame: 1, row: 0, column: 1))
        XCTAssertEqual(late.error?.kind, .unexpectedData)
        XCTAssertTrue(late.error?.message.contains("frame 1") == true, late.error?.message ?? "")
        XCTAssertEqual(late.emitted, [])
        XCTAssertEqual(a.rejected, 1)
    }

    func testModuleOlderThanAFullWindowIsRejectedNotEmittedOutOfOrder() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2)
        var a = assembler(window: 2)
        _ = a.feed(grid.module(frame: 5, row: 0, column: 0))
        _ = a.feed(grid.module(frame: 6, row: 0, column: 0))
        let old = a.feed(grid.module(frame: 4, row: 0, column: 0))
        XCTAssertEqual(old.error?.kind, .unexpectedData)
        XCTAssertEqual(old.emitted, [])
        XCTAssertEqual(a.pendingCount, 2)
    }

    func testDuplicateModuleIsRejectedAndLeavesTheFrameIntact() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2)
        var a = assembler()
        _ = a.feed(grid.module(frame: 1, row: 0, column: 0))
        var impostor = grid.module(frame: 2, row: 0, column: 0)
        impostor.0.frameNumber = 1
        let duplicate = a.feed(impostor)
        XCTAssertEqual(duplicate.error?.kind, .unexpectedData)
        XCTAssertTrue(duplicate.error?.message.contains("twice") == true)
        let out = a.feed(grid.module(frame: 1, row: 0, column: 1)).emitted
        XCTAssertEqual(out.map(\.pixels), [grid.reference(frame: 1)], "the first copy stays")
    }

    func testModuleOutsideTheGridIsRejected() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2)
        var a = assembler()
        for (r, c) in [(1, 0), (0, 2), (-1, 0)] {
            var m = grid.module(frame: 1, row: 0, column: 0)
            m.0.module?.row = r
            m.0.module?.column = c
            let out = a.feed(m)
            XCTAssertEqual(out.error?.kind, .badValue, "row \(r) column \(c)")
            XCTAssertTrue(out.error?.message.contains("outside the 2×1 grid") == true, out.error?.message ?? "")
        }
        XCTAssertEqual(a.pendingCount, 0)
    }

    func testModuleWhoseShapeTypeOrDetshapeDisagreesIsRejected() {
        let grid = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2)
        var a = assembler()
        _ = a.feed(grid.module(frame: 1, row: 0, column: 0))
        let wider = PortGrid(columns: 2, rows: 1, moduleWidth: 4, moduleHeight: 2).module(frame: 1, row: 0, column: 1)
        XCTAssertEqual(a.feed(wider).error?.kind, .sizeMismatch)
        let bytes = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2, pixelType: .uint8).module(frame: 1, row: 0, column: 1)
        XCTAssertEqual(a.feed(bytes).error?.kind, .sizeMismatch)
        var otherGrid = grid
        otherGrid.detshape = (4, 1)
        XCTAssertEqual(a.feed(otherGrid.module(frame: 1, row: 0, column: 1)).error?.kind, .badValue)
        var short = grid.module(frame: 1, row: 0, column: 1)
        short.1.removeLast()
        XCTAssertEqual(a.feed(short).error?.kind, .sizeMismatch)
        XCTAssertEqual(a.rejected, 4)
        XCTAssertEqual(a.feed(grid.module(frame: 1, row: 0, column: 1)).emitted.map(\.pixels), [grid.reference(frame: 1)])
    }

    func testFrameWithoutModulePositionOrCompressedIsRejected() {
        var a = assembler()
        var m = PortGrid(columns: 1, rows: 2, moduleWidth: 2, moduleHeight: 2).module(frame: 1, row: 0, column: 0)
        m.0.module = nil
        XCTAssertEqual(a.feed(m).error?.kind, .missingKey)
        m.0.module = ModulePosition(row: 0, column: 0, gridColumns: 1, gridRows: 2)
        m.0.encoding = .lz4
        XCTAssertEqual(a.feed(m).error?.kind, .unsupported)
        XCTAssertNil(a.geometry)
    }

    func testGridBeyondTheFrameLimitIsTooLargeWithoutAllocating() {
        var grid = PortGrid(columns: 2, rows: 1, moduleWidth: 3, moduleHeight: 2)
        var a = assembler(maxFrameBytes: 20)   // the 6×2 u16 image needs 24
        XCTAssertEqual(a.feed(grid.module(frame: 1, row: 0, column: 0)).error?.kind, .tooLarge)
        grid.detshape = (1_000_000, 1_000_000)   // absurd: falls back to the 1×1 default grid
        var b = assembler(maxFrameBytes: 1 << 20)
        XCTAssertEqual(b.feed(grid.module(frame: 1, row: 0, column: 0)).emitted.count, 1)
        XCTAssertEqual(b.geometry?.gridColumns, 1)
    }
}
