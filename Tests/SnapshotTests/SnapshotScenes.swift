import DetectorStream
import Foundation
import Processing
import SharedMemory
import TerminalUI
import Viewer

/// Fixed inputs for the snapshot tests: no clock, no random numbers, so a screen differs from
/// its recorded snapshot only when the rendering does.
enum SnapshotScenes {
    static let source = "tcp://detector-host:30001"

    /// A demo-like counting image, `width`×`height` photon counts: a broad Gaussian beam with a
    /// 16-spoke star attenuating it (a quarter transmitted in the spokes). Integer counts keep
    /// the number of distinct colours, and so the snapshots, small.
    static func starImage(width: Int = 100, height: Int = 80) -> [Float] {
        var pixels = [Float](repeating: 0, count: width * height)
        let cx = Double(width) / 2, cy = Double(height) / 2
        let sigma = Double(min(width, height)) / 2.5
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                let beam = exp(-(dx * dx + dy * dy) / (2 * sigma * sigma))
                let r = (dx * dx + dy * dy).squareRoot()
                let inStar = r < sigma * 1.2 && r > 2
                let spoke = inStar && Int(((atan2(dy, dx) + .pi) / (2 * .pi) * 32).rounded(.down)) % 2 == 0
                pixels[y * width + x] = Float((12 * beam * (spoke ? 0.25 : 1)).rounded())
            }
        }
        pixels[(height / 6) * width + width * 7 / 10] = 40  // a hot pixel
        pixels[(height * 2 / 3) * width + width / 5] = .nan  // a dead (masked) pixel
        return pixels
    }

    static func image(width: Int = 100, height: Int = 80, marks: [UInt32] = []) -> DisplayImage {
        let stats = FrameStats(sum: 20_480, min: 0, max: 40, mean: 2.56, masked: 1, count: width * height)
        var image = DisplayImage(series: 3, frameNumber: 4096, frameWidth: 400, frameHeight: 400,
                                 width: width, height: height, pixels: starImage(width: width, height: height),
                                 stats: stats)
        image.marks = marks
        return image
    }

    static func counters(time: UInt64, dropped: UInt64 = 0, bad: UInt64 = 0, stalled: Bool = false) -> CounterSample {
        var sample = CounterSample(timeNanoseconds: time)
        sample.received = 4096 * time / 20_000_000_000
        sample.processed = sample.received - dropped
        sample.dropped = dropped
        sample.bad = bad
        sample.bytes = sample.received * 320_000
        sample.ring = SlotOccupancy(free: 60, filling: 0, filled: 2, claimed: 2)
        sample.workers = [
            WorkerSample(index: 0, busyNanoseconds: time / 3, frames: sample.processed / 2, restarts: 0, alive: true),
            WorkerSample(index: 1, busyNanoseconds: time / 2, frames: sample.processed / 2, restarts: 0, alive: true,
                         stalled: stalled),
        ]
        return sample
    }

    /// A MOENCH series in raw mode after 20 s at 204.8 frames/s.
    static func raw(width: Int, height: Int) -> ViewerState {
        var state = ViewerState(source: source)
        state.reduce(.resized(width: width, height: height))
        state.reduce(.seriesStarted(SeriesInfo(format: .sls, series: 3, width: 400, height: 400,
                                               pixelType: .uint16, detector: .moench)))
        state.reduce(.sample(counters(time: 10_000_000_000)))
        state.reduce(.image(image()))
        state.reduce(.sample(counters(time: 20_000_000_000)))
        return state
    }

    /// Counting mode: the counted photons (the star) with the latest frame's photons marked.
    static func countingWithMarks(width: Int, height: Int) -> ViewerState {
        var state = raw(width: width, height: height)
        state.modes.mode = .counting
        state.modes.workerCount = 2
        state.modes.photons = 37
        state.reduce(.image(image(marks: [ResultBoard.mark(x: 12, y: 30), ResultBoard.mark(x: 50, y: 40),
                                          ResultBoard.mark(x: 77, y: 61)])))
        state.reduce(.composed(composed(.counting, scale: 1)))
        return state
    }

    /// The workers' composed view of `mode`: the star image times `scale`, 4096 frames in.
    static func composed(_ mode: ProcessingMode, scale: Float) -> ComposedView {
        var view = ComposedView(mode: mode)
        (view.width, view.height, view.frameWidth, view.frameHeight) = (100, 80, 400, 400)
        view.pixels = starImage().map { $0 * scale }
        view.framesA = 4096
        view.workers = 2
        view.pedestalFrames = 200
        view.pedestalReady = true
        return view
    }

    /// The composed view of an accumulating mode (the sum of the workers' shares).
    static func composedSum(width: Int, height: Int) -> ViewerState {
        var state = raw(width: width, height: height)
        state.modes.mode = .sum
        state.modes.workerCount = 2
        state.reduce(.composed(composed(.sum, scale: 32)))
        return state
    }

    static func help(width: Int, height: Int) -> ViewerState {
        var state = raw(width: width, height: height)
        state.reduce(.key(.character("?")))
        return state
    }

    /// The help turned to its last page with `?` (the first page where it holds one page only).
    static func helpLastPage(width: Int, height: Int) -> ViewerState {
        var state = help(width: width, height: height)
        while true {
            var next = state
            next.reduce(.key(.character("?")))
            guard next.showHelp else { return state }
            state = next
        }
    }

    /// What goes wrong shows: dropped and bad frames, a stalled worker, a warning in the status line.
    static func warnings(width: Int, height: Int) -> ViewerState {
        var state = raw(width: width, height: height)
        state.reduce(.badFrame(reason: "payload 1000 bytes, header says 320000", count: 3))
        state.reduce(.sample(counters(time: 30_000_000_000, dropped: 250, bad: 3, stalled: true)))
        state.reduce(.message("worker 1 made no progress for 2.0 s", .warning))
        return state
    }
}
