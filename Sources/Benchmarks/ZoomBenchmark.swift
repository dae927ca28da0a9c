import DetectorStream
import Glibc
import Platform
import Processing
import SharedMemory
import Viewer
import Workers

/// `detview bench zoom`: how long a zoom or pan takes to show, at a given frame rate. Frames
/// are fed into the ring on a fixed schedule (200 a second by default) while worker processes
/// run; every `spacing` the bench writes a new viewport to the control block as the viewer does
/// after a key (the viewer writes it in the same step that handles the key), and times until
/// the first image binned for it is on the result board (the latest frame) or on the view
/// board (a composed view: the first worker's share, and every worker's). The screen then draws
/// it at its next paint (at most 1 / --max-render-rate later).
public struct ZoomBenchmark {
    /// Milliseconds from the control write to the first image of the new viewport.
    public struct Result {
        public var latencies: [Double]
        /// Composed views: until every worker's share is of the new viewport.
        public var allWorkers: [Double]
        public var missed: Int

        func percentile(_ values: [Double], _ p: Double) -> Double {
            guard !values.isEmpty else { return .nan }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
        }
    }

    /// The viewports a user walks through: zoom in four times, pan, zoom out, pan back, fit.
    static func keys(count: Int) -> [KeyCommand] {
        let walk: [KeyCommand] = [.zoomIn, .zoomIn, .zoomIn, .zoomIn, .pan(dx: 1, dy: 0), .pan(dx: 0, dy: 1),
                                  .zoomOut, .pan(dx: -1, dy: 0), .zoomIn, .fitFrame]
        return (0..<count).map { walk[$0 % walk.count] }
    }

    public static func run(_ benchCase: ProcessBenchmark.Case, rendered: [[UInt8]], mode: ProcessingMode, workers: Int,
                           rate: Double, changes: Int, spacingMs: Double = 150) throws -> Result {
        let (areaWidth, areaHeight) = (200, 100)
        let layout = try RegionLayout(slotCount: 8, slotCapacity: benchCase.frameBytes, maxWorkers: workers,
                                      boardMaxPixels: 1 << 16, resultCapacity: 1 << 14)
        let region = try DetviewRegion.create(layout: layout, name: "detview-bench-zoom", populate: true)
        var generation: UInt32 = 1
        var control = ControlSettings(displayWidth: UInt32(areaWidth), displayHeight: UInt32(areaHeight),
                                      mode: mode.rawValue, viewGeneration: generation)
        region.control.set(control)
        let notify = try EventFD()
        let supervisor = WorkerSupervisor(count: workers, region: region, notifyFD: notify.fd)
        try supervisor.startAll()
        defer { supervisor.stopAll() }

        let period = UInt64(1e9 / rate)
        var nextFrame = MonotonicClock.nanoseconds
        var index = 0
        func feedDue() {
            let now = MonotonicClock.nanoseconds
            // One frame per call, on schedule; a feeder that fell behind (a frame copy slower
            // than the period) skips the missed beats rather than catching up, as a detector
            // that outruns its receiver loses frames.
            if now >= nextFrame {
                nextFrame = max(nextFrame + period, now - period)
                guard let slot = region.ring.acquireForWriting() else { return }
                let frame = rendered[index % rendered.count]
                var header = SlotHeader(series: 1, frameNumber: UInt64(index), frameIndex: UInt64(index),
                                        byteCount: UInt64(frame.count), width: UInt32(benchCase.width),
                                        height: UInt32(benchCase.height), pixelType: benchCase.pixelType.rawValue,
                                        encoding: PayloadEncoding.raw.rawValue, format: WireFormat.sls.rawValue)
                header.isChargeIntegrating = benchCase.chargeIntegrating
                header.receivedNs = MonotonicClock.nanoseconds
                slot.header.pointee = header
                frame.withUnsafeBytes { slot.payload.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                _ = region.ring.publish(slot)
                index += 1
            }
            _ = region.results.drain { _ in }
        }
        func feed(forMs ms: Double, until done: () -> Bool = { false }) -> Bool {
            let end = MonotonicClock.nanoseconds + UInt64(ms * 1e6)
            while MonotonicClock.nanoseconds < end {
                feedDue()
                if done() { return true }
                usleep(100)
            }
            return done()
        }
        _ = feed(forMs: 2000)   // warm-up: workers attached, pedestals ready, boards written

        var result = Result(latencies: [], allWorkers: [], missed: 0)
        var viewport = Viewport()
        var pixels: [Float] = [], a: [Float] = [], b: [Float] = []
        for key in keys(count: changes) {
            switch key {
            case .zoomIn, .zoomOut:
                viewport = viewport.zoomed(by: key == .zoomIn ? 1 : -1, around: nil, frameWidth: benchCase.width,
                                           frameHeight: benchCase.height, areaWidth: areaWidth, areaHeight: areaHeight)
            case .pan(let dx, let dy):
                viewport = viewport.panned(dx: dx, dy: dy, frameWidth: benchCase.width, frameHeight: benchCase.height,
                                           areaWidth: areaWidth, areaHeight: areaHeight)
            default:
                viewport = Viewport()
            }
            guard let view = viewport.geometry(frameWidth: benchCase.width, frameHeight: benchCase.height,
                                               areaWidth: areaWidth, areaHeight: areaHeight) else { continue }
            generation &+= 1
            control.viewRegion = viewport.isFitted ? PixelRegion(x0: 0, y0: 0, x1: 0, y1: 0) : view.region
            control.viewWidth = UInt32(view.imageWidth)
            control.viewHeight = UInt32(view.imageHeight)
            control.viewGeneration = generation
            let wanted = generation
            let start = MonotonicClock.nanoseconds
            region.control.set(control)
            let elapsedMs = { Double(MonotonicClock.nanoseconds - start) / 1e6 }
            var boardVersion: UInt64 = 0
            let shown: () -> Bool = mode.showsComposedView
                ? { (0..<workers).contains { region.views.read(worker: $0, a: &a, b: &b)?.viewGeneration == wanted } }
                : {
                    let version = region.board.version
                    guard version != boardVersion else { return false }
                    boardVersion = version
                    return region.board.read(into: &pixels)?.viewGeneration == wanted
                }
            if feed(forMs: 1000, until: shown) { result.latencies.append(elapsedMs()) } else { result.missed += 1 }
            if mode.showsComposedView,
               feed(forMs: 1000, until: { (0..<workers).allSatisfy { region.views.read(worker: $0, a: &a, b: &b)?.viewGeneration == wanted } }) {
                result.allWorkers.append(elapsedMs())
            }
            _ = feed(forMs: spacingMs)
        }
        return result
    }
}
