import Processing
import SharedMemory
import Viewer

/// A core made from a configuration as `detview view` builds it, fed with an injected clock.
struct CoreHarness {
    var core: ViewerCore
    /// Nanoseconds of the injected monotonic clock.
    var now: UInt64 = 1_000_000_000

    init(headless: ViewerConfig.Headless? = nil, interactive: Bool = false, workers: Int = 2,
         pictureCellPixels: (width: Int, height: Int)? = nil, configure: (inout ViewerConfig) -> Void = { _ in }) {
        var config = ViewerConfig(receiver: .init(endpoints: ["tcp://127.0.0.1:30001"], maxFrameBytes: 1 << 20),
                                  workers: workers)
        config.headless = headless
        configure(&config)
        var settings = ViewerCore.Settings(config: config, interactive: interactive)
        settings.pictureCellPixels = pictureCellPixels
        core = ViewerCore(settings: settings)
    }

    @discardableResult
    mutating func feed(_ input: ViewerInput, after nanoseconds: UInt64 = 0) -> [ViewerEffect] {
        now += nanoseconds
        return core.handle(input, at: now)
    }

    /// Paints as a session would for `seconds` of the injected clock while a frame arrives every
    /// 5 ms: each paint the core asks for is reported drawn at once, costing `cost(heatmap, core)`
    /// bytes (`heatmap`: whether it includes the heatmap). Starts by feeding `first`.
    mutating func paintLoop(seconds: Double, first: ViewerInput = .settled,
                            cost: (_ heatmap: Bool, _ core: ViewerCore) -> Int)
        -> (heatmap: Int, panels: Int, bytes: Int) {
        var heatmap = 0, panels = 0, bytes = 0
        var effects = feed(first)
        let end = now + UInt64(seconds * 1e9)
        while now < end {
            var next: UInt64 = 5_000_000
            for effect in effects {
                switch effect {
                case .render(let withHeatmap):
                    let paint = cost(withHeatmap, core)
                    if withHeatmap { heatmap += 1 } else { panels += 1 }
                    bytes += paint
                    feed(.rendered(bytes: paint))
                case .armRenderTimer(let ns):
                    next = min(next, ns)
                default: break
                }
            }
            effects = feed(.results([], lost: 0, counters(received: 1)), after: next)
            effects += feed(.settled)
            if effects.isEmpty { effects = feed(.renderTimerFired) }
        }
        return (heatmap, panels, bytes)
    }

    /// Counters where every received frame is processed.
    func counters(received: UInt64, processed: UInt64? = nil, dropped: UInt64 = 0, bad: UInt64 = 0) -> CounterSample {
        var sample = CounterSample(timeNanoseconds: now)
        sample.received = received
        sample.processed = processed ?? received - dropped - bad
        sample.dropped = dropped
        sample.bad = bad
        return sample
    }
}

/// Headless settings with per-frame lines.
func headless(perFrame: Bool = true, exitAfterFrames: UInt64? = nil, exitOnSeriesEnd: Bool = false) -> ViewerConfig.Headless {
    var h = ViewerConfig.Headless()
    h.perFrame = perFrame
    h.exitAfterFrames = exitAfterFrames
    h.exitOnSeriesEnd = exitOnSeriesEnd
    return h
}

func frameResults(_ numbers: ClosedRange<UInt64>, series: UInt64 = 1) -> [FrameResult] {
    numbers.map {
        FrameResult(sequence: $0, series: series, frameNumber: $0,
                    stats: FrameStats(sum: 10, min: 0, max: 5, mean: 1, masked: 0, count: 10))
    }
}

extension Array where Element == ViewerEffect {
    /// The headless lines among the effects, in order.
    var lines: [String] {
        compactMap { if case .emit(let line) = $0 { line } else { nil } }
    }

    /// The `event` field of each headless line.
    var lineEvents: [String] {
        lines.compactMap { line in
            guard let range = line.range(of: "\"event\":\"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    var logs: [String] {
        compactMap { if case .log(_, let text) = $0 { text } else { nil } }
    }

    var controls: [ControlSettings] {
        compactMap { if case .writeControl(let settings) = $0 { settings } else { nil } }
    }

    var quitCodes: [Int32] {
        compactMap { if case .quit(let code) = $0 { code } else { nil } }
    }
}
