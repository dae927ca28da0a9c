import DetectorStream
import XCTest

/// PortStreamMerger fed by one real SlsStreamDecoder per port: the ports' series become one
/// series of assembled frames.
final class ModuleAssemblerMergerTests: XCTestCase {
    /// What the merger emitted, copied.
    private enum Out: Equatable {
        case start(SeriesInfo)
        case frame(FrameDescriptor, [UInt8])
        case end(series: UInt64, frames: UInt64)
        case gap(UInt64)
        case bad(StreamError.Kind)
        case missing(series: UInt64, frame: UInt64, cells: [ModuleCell])
    }

    private struct Rig {
        let grid: PortGrid
        var decoders: [SlsStreamDecoder]
        var merger: PortStreamMerger
        var out: [Out] = []

        init(grid: PortGrid, ports: Int, window: Int = 2) {
            self.grid = grid
            decoders = (0..<ports).map { _ in SlsStreamDecoder(maxFrameBytes: 1 << 20) }
            merger = PortStreamMerger(ports: ports, window: window, maxFrameBytes: 1 << 20)
        }

        /// Port `port` sends frame `frame` of its cell (row, column).
        mutating func send(port: Int, frame: UInt64, index: UInt64? = nil, row: Int, column: Int) {
            let (d, bytes) = grid.module(frame: frame, row: row, column: column)
            var h = SlsHeader()
            h.jsonVersion = 5
            h.bitmode = grid.bytesPerPixel * 8
            h.detShape = grid.detshape.map { [$0.0, $0.1] } ?? [grid.columns, grid.rows]
            h.shape = [d.width, d.height]
            h.size = bytes.count
            h.frameNumber = frame
            h.frameIndex = index ?? frame - 1
            h.data = 1
            h.completeImage = 1
            h.detType = grid.detectorType
            h.row = row
            h.column = column
            h.flipRows = d.module?.flipRows == true ? 1 : 0
            deliver(port, [h.encoded(jsonVersion: 5), bytes])
        }

        mutating func end(port: Int) {
            deliver(port, [SlsHeader.endOfAcquisition(jsonVersion: 5).encoded(jsonVersion: 5)])
        }

        mutating func idle() {
            var collected: [Out] = []
            merger.idle { collected.append(Self.copy($0)) }
            out += collected
        }

        private mutating func deliver(_ port: Int, _ parts: [[UInt8]]) {
            var events: [Recorded] = []
            var d = decoders[port]
            events = feed(&d, [parts])
            decoders[port] = d
            var collected: [Out] = []
            for event in events {
                withEvent(event) { e in merger.handle(port: port, e) { collected.append(Self.copy($0)) } }
            }
            out += collected
        }

        private func withEvent(_ r: Recorded, _ body: (StreamEvent) -> Void) {
            switch r {
            case .seriesStart(let info): body(.seriesStart(info))
            case .frame(let d, let bytes): bytes.withUnsafeBytes { body(.frame(d, payload: $0)) }
            case .seriesEnd(let s, let n): body(.seriesEnd(series: s, frames: n))
            case .gap(let s, let n): body(.gap(series: s, missing: n))
            case .bad(let e): body(.bad(e))
            case .pixelMask(let s, let m): body(.pixelMask(series: s, m))
            }
        }

        private static func copy(_ output: PortStreamMerger.Output) -> Out {
            switch output {
            case .event(.seriesStart(let info)): .start(info)
            case .event(.frame(let d, let payload)): .frame(d, Array(payload))
            case .event(.seriesEnd(let s, let n)): .end(series: s, frames: n)
            case .event(.gap(_, let n)): .gap(n)
            case .event(.bad(let e)): .bad(e.kind)
            case .event(.pixelMask): .bad(.unexpectedData)   // the merger never passes a mask on
            case .missingModules(let s, let f, let cells): .missing(series: s, frame: f, cells: cells)
            }
        }

        var frames: [FrameDescriptor] { out.compactMap { if case .frame(let d, _) = $0 { d } else { nil } } }
        var pixels: [[UInt8]] { out.compactMap { if case .frame(_, let p) = $0 { p } else { nil } } }
    }

    private let twoStacked = PortGrid(columns: 1, rows: 2, moduleWidth: 4, moduleHeight: 2, detectorType: 5)

    func testTwoPortsGiveOneSeriesOfAssembledFramesEndedWhenBothPortsEnded() {
        var rig = Rig(grid: twoStacked, ports: 2)
        for frame in 1...3 as ClosedRange<UInt64> {
            rig.send(port: 0, frame: frame, row: 0, column: 0)
            rig.send(port: 1, frame: frame, row: 1, column: 0)
        }
        rig.end(port: 0)
        XCTAssertFalse(rig.out.contains { if case .end = $0 { true } else { false } }, "port 1 has not ended yet")
        rig.end(port: 1)
        guard case .start(let info) = rig.out.first else { return XCTFail("no series start: \(rig.out)") }
        XCTAssertEqual(info.width, 4)
        XCTAssertEqual(info.height, 4)
        XCTAssertEqual(info.series, 1)
        XCTAssertEqual(info.detector, .moench)
        XCTAssertEqual(info.metadata["detshape"], "1x2")
        XCTAssertEqual(rig.frames.map(\.frameNumber), [1, 2, 3])
        XCTAssertEqual(rig.pixels, (1...3).map { twoStacked.reference(frame: UInt64($0)) })
        XCTAssertTrue(rig.frames.allSatisfy { $0.series == 1 && $0.complete && $0.height == 4 })
        XCTAssertEqual(rig.out.last, .end(series: 1, frames: 3))
        XCTAssertEqual(rig.out.filter { if case .start = $0 { true } else { false } }.count, 1)
    }

    func testSilentPortIsMaskedReportedOnceAndDoesNotHoldTheSeriesOpen() {
        var rig = Rig(grid: twoStacked, ports: 2, window: 2)
        for frame in 1...5 as ClosedRange<UInt64> { rig.send(port: 0, frame: frame, row: 0, column: 0) }
        rig.end(port: 0)
        XCTAssertEqual(rig.frames.map(\.frameNumber), [1, 2, 3, 4, 5])
        XCTAssertTrue(rig.frames.allSatisfy { !$0.complete })
        XCTAssertEqual(rig.pixels, (1...5).map { twoStacked.reference(frame: UInt64($0), missing: [1]) })
        let missing = rig.out.filter { if case .missing = $0 { true } else { false } }
        XCTAssertEqual(missing, [.missing(series: 1, frame: 1, cells: [ModuleCell(row: 1, column: 0)])])
        XCTAssertEqual(rig.out.last, .end(series: 1, frames: 5))
    }

    func testFrameNumberNoPortDeliveredIsAGapWhileAOnePortGapIsAnIncompleteFrame() {
        var rig = Rig(grid: twoStacked, ports: 2)
        rig.send(port: 0, frame: 1, row: 0, column: 0); rig.send(port: 1, frame: 1, row: 1, column: 0)
        // Frame 2: only port 0. Frame 3: nobody. Frame 4: both.
        rig.send(port: 0, frame: 2, row: 0, column: 0)
        rig.send(port: 0, frame: 4, row: 0, column: 0); rig.send(port: 1, frame: 4, row: 1, column: 0)
        rig.idle()
        XCTAssertEqual(rig.frames.map(\.frameNumber), [1, 2, 4])
        XCTAssertEqual(rig.frames.map(\.complete), [true, false, true])
        XCTAssertEqual(rig.out.filter { if case .gap = $0 { true } else { false } }, [.gap(1)], "only frame 3 is a gap")
        XCTAssertEqual(rig.out.last, .end(series: 1, frames: 3))
    }

    func testIdleEndsTheSeriesAndEmitsWhatIsPending() {
        var rig = Rig(grid: twoStacked, ports: 2, window: 4)
        rig.send(port: 0, frame: 7, row: 0, column: 0)
        XCTAssertTrue(rig.merger.isOpen)
        XCTAssertEqual(rig.frames, [])
        rig.idle()
        XCTAssertEqual(rig.frames.map(\.frameNumber), [7])
        XCTAssertEqual(rig.out.last, .end(series: 1, frames: 1))
        XCTAssertFalse(rig.merger.isOpen)
    }

    func testNextAcquisitionIsASecondSeriesWithItsOwnMissingReport() {
        var rig = Rig(grid: twoStacked, ports: 2, window: 1)
        rig.send(port: 0, frame: 1, index: 0, row: 0, column: 0)
        rig.end(port: 0)
        rig.send(port: 0, frame: 2, index: 0, row: 0, column: 0)
        rig.end(port: 0)
        XCTAssertEqual(rig.frames.map(\.series), [1, 2])
        let missing = rig.out.filter { if case .missing = $0 { true } else { false } }
        XCTAssertEqual(missing.count, 2)
        XCTAssertEqual(rig.out.filter { if case .end = $0 { true } else { false } }, [.end(series: 1, frames: 1), .end(series: 2, frames: 1)])
    }

    func testModuleAtAPositionOutsideTheGridIsABadFrame() {
        var rig = Rig(grid: twoStacked, ports: 2)
        rig.send(port: 0, frame: 1, row: 0, column: 0)
        rig.send(port: 1, frame: 1, row: 5, column: 0)
        XCTAssertTrue(rig.out.contains(.bad(.badValue)), "\(rig.out)")
        XCTAssertEqual(rig.merger.assembler.rejected, 1)
    }

    func testEigerPortsSideBySideWithAFlippedBottomRowAssemble() {
        var grid = PortGrid(columns: 2, rows: 2, moduleWidth: 3, moduleHeight: 2, detectorType: 1)
        grid.flipped = [2, 3]
        var rig = Rig(grid: grid, ports: 4)
        for port in 0..<4 { rig.send(port: port, frame: 1, row: port / 2, column: port % 2) }
        XCTAssertEqual(rig.pixels, [grid.reference(frame: 1)])
    }
}
