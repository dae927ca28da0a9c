/// Merges the events of N slsDetector port streams (one `SlsStreamDecoder` per port) into the
/// events of one assembled stream: each frame number's modules become one frame (through
/// `ModuleAssembler`), and the ports' series become one series.
///
/// Series: opens when the first port opens one, is announced (with the assembled shape) once the
/// first module sets the geometry, and ends when every port that took part in it has ended (the
/// 9.2 receiver sends one end header per port), on `idle`, or when a port that already ended
/// starts again. A port that never sends does not hold the series open: its module is masked.
/// Per-port frame gaps are not passed on (they show as incomplete frames); frame numbers that no
/// port delivered are reported as gaps of the assembled stream. The first frame of a series that
/// lacks modules is reported once, naming them.
///
/// A pure value type; owned by the receiver thread.
public struct PortStreamMerger {
    /// What the merged stream reports.
    public enum Output {
        case event(StreamEvent)
        /// Once per series: the first frame that lacked modules, and which.
        case missingModules(series: UInt64, frameNumber: UInt64, cells: [ModuleCell])
    }

    public let ports: Int
    public private(set) var assembler: ModuleAssembler
    /// Series opened so far (the merged stream's own numbering).
    public var series: UInt64 { state.series }
    /// A series is open (frames may be pending): the caller should call `idle` on silence.
    public var isOpen: Bool { state.open }

    private var state = SeriesState()
    private var tookPart: [Bool]
    private var ended: [Bool]

    /// The merged series; apart from the assembler so that the assembler's emit callback may
    /// update it while the assembler is busy.
    private struct SeriesState {
        var series: UInt64 = 0
        var open = false
        var announced = false
        var reportedMissing = false
        var info: SeriesInfo?
        var frames: UInt64 = 0
        var lastFrameNumber: UInt64?
        var ports = 1

        /// Announces the series once the geometry is known, with the assembled shape.
        mutating func announce(_ geometry: AssemblyGeometry?, emit: (Output) -> Void) {
            guard open, !announced, let g = geometry else { return }
            announced = true
            var merged = info ?? SeriesInfo(format: .sls, series: series, width: 0, height: 0, pixelType: g.pixelType)
            merged.series = series
            merged.width = g.width
            merged.height = g.height
            merged.pixelType = g.pixelType
            merged.metadata["detshape"] = "\(g.gridColumns)x\(g.gridRows)"
            merged.metadata["ports"] = String(ports)
            merged.metadata.removeValue(forKey: "row")
            merged.metadata.removeValue(forKey: "column")
            emit(.event(.seriesStart(merged)))
        }

        mutating func forward(_ frame: AssembledFrame, emit: (Output) -> Void) {
            announce(frame.geometry, emit: emit)
            var descriptor = frame.descriptor
            descriptor.series = series
            if let last = lastFrameNumber, descriptor.frameNumber > last &+ 1 {
                emit(.event(.gap(series: series, missing: descriptor.frameNumber - last - 1)))
            }
            lastFrameNumber = descriptor.frameNumber
            frames += 1
            emit(.event(.frame(descriptor, payload: frame.pixels)))
            if frame.missingModules > 0, !reportedMissing {
                reportedMissing = true
                emit(.missingModules(series: series, frameNumber: descriptor.frameNumber, cells: frame.missingCells()))
            }
        }
    }

    /// `window`: frames pending at most; the assumed grid without detshape is one column of
    /// `ports` rows.
    public init(ports: Int, window: Int = 4, maxFrameBytes: Int) {
        self.ports = max(ports, 1)
        assembler = ModuleAssembler(window: window, maxFrameBytes: maxFrameBytes, fallbackGrid: (1, self.ports))
        tookPart = [Bool](repeating: false, count: self.ports)
        ended = tookPart
        state.ports = self.ports
    }

    /// One event of port `port` (0..<ports), as its decoder emitted it.
    public mutating func handle(port: Int, _ event: StreamEvent, emit: (Output) -> Void) {
        guard (0..<ports).contains(port) else { return }
        switch event {
        case .seriesStart(let portInfo):
            if state.open, ended[port] { endSeries(emit: emit) }
            join(port, portInfo)
        case .frame(let descriptor, let payload):
            if state.open, ended[port] { endSeries(emit: emit) }
            join(port, nil)
            do throws(StreamError) {
                try assembler.add(descriptor, payload: payload) { state.forward($0, emit: emit) }
            } catch {
                emit(.event(.bad(error)))
                return
            }
            state.announce(assembler.geometry, emit: emit)
        case .seriesEnd:
            guard state.open, tookPart[port] else { return }
            ended[port] = true
            if zip(tookPart, ended).allSatisfy({ !$0 || $1 }) { endSeries(emit: emit) }
        case .gap, .pixelMask:
            break   // gaps show as incomplete frames; slsDetector streams send no mask
        case .bad(let error):
            emit(.event(.bad(error)))
        }
    }

    /// No port sent anything for the idle timeout: ends the open series, emitting what is pending.
    public mutating func idle(emit: (Output) -> Void) {
        endSeries(emit: emit)
    }

    // MARK: - Series

    private mutating func join(_ port: Int, _ portInfo: SeriesInfo?) {
        if !state.open {
            state.open = true
            state.announced = false
            state.reportedMissing = false
            state.series += 1
            state.frames = 0
            state.lastFrameNumber = nil
            state.info = nil
            for i in 0..<ports { tookPart[i] = false; ended[i] = false }
        }
        tookPart[port] = true
        if state.info == nil, let portInfo { state.info = portInfo }
    }

    private mutating func endSeries(emit: (Output) -> Void) {
        guard state.open else { return }
        assembler.flush { state.forward($0, emit: emit) }
        if !state.announced, var start = state.info {
            // Every module was rejected: still open and close the series the ports announced.
            state.announced = true
            start.series = state.series
            emit(.event(.seriesStart(start)))
        }
        state.open = false
        if state.announced { emit(.event(.seriesEnd(series: state.series, frames: state.frames))) }
    }
}
