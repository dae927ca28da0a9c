import CursesBackend
import Platform
import Processing
import Simulator
import TerminalUI
import Viewer

#if canImport(Glibc)
import Glibc
#endif

/// `detview bench render`: what a paint of the viewer's screen costs on the wire, through the
/// real path (`Screen` → `Buffer` → `CursesTerminal`'s change-only diff → ncurses' encoding → the
/// byte count of `TerminalOutputPump`) into `/dev/null`, against the naive full repaint (every
/// cell rewritten each paint, same encoder) measured in the same run.
///
/// The scene is the Simulator's noisy live MOENCH scene: each paint shows the next frame,
/// max-binned to the heatmap as the workers bin it (aspect kept), the worst case for a
/// change-only diff. Runs on the calling thread.
public struct RenderBenchmark {
    public struct Case: Sendable {
        public var width: Int
        public var height: Int
        public var colorMode: ColorMode
        public var name: String { "\(width)×\(height) \(colorMode == .truecolor ? "24-bit" : "256 colours")" }

        public init(width: Int, height: Int, colorMode: ColorMode) {
            self.width = width
            self.height = height
            self.colorMode = colorMode
        }
    }

    public struct Result: Sendable {
        public var benchCase: Case
        public var diffedBytesPerPaint: Double
        public var diffedPaintsPerSecond: Double
        public var fullBytesPerPaint: Double
        public var fullPaintsPerSecond: Double

        public static let tableHeader =
            "case                    diffed B/paint  paints/s   full B/paint  paints/s   bytes full/diffed"
        public var tableRow: String {
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
            let ratio = diffedBytesPerPaint > 0 ? fullBytesPerPaint / diffedBytesPerPaint : 0
            return benchCase.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                + pad(String(Int(diffedBytesPerPaint.rounded())), 16) + pad(String(Int(diffedPaintsPerSecond.rounded())), 10)
                + pad(String(Int(fullBytesPerPaint.rounded())), 15) + pad(String(Int(fullPaintsPerSecond.rounded())), 10)
                + pad(String((ratio * 100).rounded() / 100), 20)
        }
    }

    public static let cases: [Case] = [
        Case(width: 120, height: 40, colorMode: .color256), Case(width: 120, height: 40, colorMode: .truecolor),
        Case(width: 200, height: 60, colorMode: .color256), Case(width: 200, height: 60, colorMode: .truecolor),
    ]

    public let paints: Int

    public init(paints: Int) { self.paints = max(2, paints) }

    public func run(_ benchCase: Case) throws -> Result {
        let frames = images(for: benchCase)
        let diffed = try measure(benchCase, frames: frames, full: false)
        let full = try measure(benchCase, frames: frames, full: true)
        return Result(benchCase: benchCase, diffedBytesPerPaint: diffed.bytes, diffedPaintsPerSecond: diffed.rate,
                      fullBytesPerPaint: full.bytes, fullPaintsPerSecond: full.rate)
    }

    /// One display image per paint: the scene's frames, max-binned to the heatmap's square.
    private func images(for benchCase: Case) -> [DisplayImage] {
        let area = ScreenLayout(width: benchCase.width, height: benchCase.height).heatmapInterior
        let side = max(1, min(area.width, area.height * 2))
        var scene = MoenchScene()
        var frame = [UInt16](repeating: 0, count: MoenchScene.width * MoenchScene.height)
        return (0..<paints).map { index in
            _ = frame.withUnsafeMutableBufferPointer { scene.render(frameIndex: UInt64(index), into: $0) }
            var binned = [Float](repeating: 0, count: side * side)
            frame.withUnsafeBufferPointer { source in
                binned.withUnsafeMutableBufferPointer { out in
                    _ = FrameKernels.binMax(source, width: MoenchScene.width, height: MoenchScene.height,
                                            into: out, outWidth: side, outHeight: side)
                }
            }
            let finite = binned.filter(\.isFinite)
            let stats = FrameStats(sum: Double(finite.reduce(0, +)), min: Double(finite.min() ?? 0),
                                   max: Double(finite.max() ?? 0), mean: 0, masked: binned.count - finite.count,
                                   count: binned.count)
            return DisplayImage(series: 1, frameNumber: UInt64(index), frameWidth: MoenchScene.width,
                                frameHeight: MoenchScene.height, width: side, height: side, pixels: binned, stats: stats)
        }
    }

    private func measure(_ benchCase: Case, frames: [DisplayImage], full: Bool) throws -> (bytes: Double, rate: Double) {
        let sink = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(sink) }
        let term = benchCase.colorMode == .truecolor ? "xterm-direct" : "xterm-256color"
        let terminal = try CursesTerminal(sinkFD: sink, term: term, colorMode: benchCase.colorMode,
                                          width: benchCase.width, height: benchCase.height)
        terminal.rewritesEveryCell = full
        var state = ViewerState(source: "demo (simulated MOENCH)")
        state.reduce(.resized(width: benchCase.width, height: benchCase.height))
        // The first paint fills the screen: not counted.
        state.reduce(.image(frames[0]))
        terminal.draw(screen(state, benchCase))
        let before = terminal.bytesWritten
        let start = MonotonicClock.nanoseconds
        for image in frames.dropFirst() {
            state.reduce(.image(image))
            terminal.draw(screen(state, benchCase))
        }
        let elapsed = Double(MonotonicClock.nanoseconds - start) / 1e9
        let count = Double(frames.count - 1)
        let bytes = Double(terminal.bytesWritten - before)
        terminal.shutdown()
        return (bytes / count, count / max(elapsed, 1e-9))
    }

    private func screen(_ state: ViewerState, _ benchCase: Case) -> Buffer {
        var buffer = Buffer(width: benchCase.width, height: benchCase.height)
        Screen(state: state, glyphs: .unicode, heatmapGlyphs: .halfBlocks).render(into: &buffer)
        return buffer
    }
}
