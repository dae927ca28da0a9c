import CursesBackend
import Platform
import Processing
import Simulator
import TerminalUI
import Theming
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

    /// One way of diffing the heatmap measured against the full repaint of the same run: a fixed
    /// threshold (`HeatmapFidelity`'s steps), colours quantized to fewer ramp steps (the
    /// alternative the threshold was chosen over), or the adaptive ladder held to a budget.
    public enum Rule: Sendable, CustomStringConvertible {
        case threshold(Float)
        case quantized(steps: Int)
        case adaptive(bytesPerSecond: Double)

        public var description: String {
            switch self {
            case .threshold(let t): "threshold \(t)"
            case .quantized(let steps): "quantized \(steps) steps"
            case .adaptive(let rate): "adaptive @\(Int(rate / 1000))k"
            }
        }
    }

    public struct FidelityResult: Sendable {
        public var benchCase: Case
        public var rule: Rule
        public var bytesPerPaint: Double
        public var fullBytesPerPaint: Double
        /// The adaptive rule's step when the run ended.
        public var finalStep: Int?

        public static let tableHeader =
            "case                  rule                        B/paint  heatmap/s @250k   bytes full/this"
        public var tableRow: String {
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
            let ratio = bytesPerPaint > 0 ? fullBytesPerPaint / bytesPerPaint : 0
            let rule = rule.description + (finalStep.map { " (step \($0))" } ?? "")
            return benchCase.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                + rule.padding(toLength: 26, withPad: " ", startingAt: 0)
                + pad(String(Int(bytesPerPaint.rounded())), 10)
                + pad(String((250_000 / max(bytesPerPaint, 1) * 10).rounded() / 10), 17)
                + pad(String((ratio * 100).rounded() / 100), 18)
        }
    }

    /// The heatmap's fidelity rules for `benchCase`: each threshold step, a quantized ramp, and
    /// the adaptive ladder at 250 KB/s, each against the full repaint measured in the same run.
    public func fidelity(_ benchCase: Case) throws -> [FidelityResult] {
        let frames = images(for: benchCase)
        let full = try measure(benchCase, frames: frames, full: true).bytes
        // Quantizing is measured on 24-bit ramps only: a 256-colour ramp is already the palette's.
        let quantized: [Rule] = benchCase.colorMode == .truecolor ? [.quantized(steps: 16), .quantized(steps: 8)] : []
        let rules: [Rule] = HeatmapFidelity.thresholds.map { .threshold($0) } + quantized + [.adaptive(bytesPerSecond: 250_000)]
        return try rules.map { rule in
            let measured = try measure(benchCase, frames: frames, full: false, rule: rule)
            return FidelityResult(benchCase: benchCase, rule: rule, bytesPerPaint: measured.bytes,
                                  fullBytesPerPaint: full, finalStep: measured.step)
        }
    }

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

    private func measure(_ benchCase: Case, frames: [DisplayImage], full: Bool,
                         rule: Rule = .threshold(PerceptualTolerance.invisible.threshold))
        throws -> (bytes: Double, rate: Double, step: Int?) {
        let sink = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(sink) }
        let term = benchCase.colorMode == .truecolor ? "xterm-direct" : "xterm-256color"
        let terminal = try CursesTerminal(sinkFD: sink, term: term, colorMode: benchCase.colorMode,
                                          width: benchCase.width, height: benchCase.height)
        terminal.rewritesEveryCell = full
        let heatmap = ScreenLayout(width: benchCase.width, height: benchCase.height).heatmapInterior
        var state = ViewerState(source: "demo (simulated MOENCH)")
        state.reduce(.resized(width: benchCase.width, height: benchCase.height))
        // The adaptive rule paints whenever the budget allows, on a simulated clock (a paint of
        // B bytes at R bytes/s is followed by the next B/R seconds later), as `RenderSchedule` does.
        var fidelity = HeatmapFidelity()
        var simulated: UInt64 = 0, cost = 0.0
        func tolerance() -> PerceptualTolerance {
            switch rule {
            case .threshold(let t): PerceptualTolerance(threshold: t)
            case .quantized: .invisible
            case .adaptive: PerceptualTolerance(threshold: fidelity.threshold)
            }
        }
        func draw() {
            terminal.heatmapTolerance = (heatmap, tolerance())
            var buffer = screen(state, benchCase)
            if case .quantized(let steps) = rule { quantize(&buffer, in: heatmap, steps: steps) }
            terminal.draw(buffer)
        }
        // The first paint fills the screen: not counted.
        state.reduce(.image(frames[0]))
        draw()
        let before = terminal.bytesWritten
        let start = MonotonicClock.nanoseconds
        for image in frames.dropFirst() {
            state.reduce(.image(image))
            let paintStart = terminal.bytesWritten
            draw()
            if case .adaptive(let rate) = rule {
                let bytes = Double(terminal.bytesWritten - paintStart)
                cost = cost == 0 ? bytes : (cost + bytes) / 2
                simulated += UInt64(bytes / rate * 1e9)
                fidelity.update(heatmapCost: cost, spareRate: rate, at: simulated)
            }
        }
        let elapsed = Double(MonotonicClock.nanoseconds - start) / 1e9
        let count = Double(frames.count - 1)
        let bytes = Double(terminal.bytesWritten - before)
        terminal.shutdown()
        if case .adaptive = rule { return (bytes / count, count / max(elapsed, 1e-9), fidelity.stepsLowered) }
        return (bytes / count, count / max(elapsed, 1e-9), nil)
    }

    /// The heatmap's 24-bit colours snapped to `steps` evenly spaced entries of the default
    /// colormap's ramp (nearest in OKLab): the quantizing alternative, measured for comparison.
    private func quantize(_ buffer: inout Buffer, in area: Rect, steps: Int) {
        let ramp = Colormap.viridis.ramp(for: ColorDepth(mode: .truecolor)).colors
        let palette = (0..<steps).map { ramp[$0 * (ramp.count - 1) / max(1, steps - 1)] }
        let lab = palette.map { color -> (Float, Float, Float) in
            guard case .rgb(let r, let g, let b) = color else { return (0, 0, 0) }
            return PerceptualTolerance.oklab(r, g, b)
        }
        var snapped: [Color: Color] = [:]
        func snap(_ color: Color) -> Color {
            guard case .rgb(let r, let g, let b) = color else { return color }
            if let known = snapped[color] { return known }
            let p = PerceptualTolerance.oklab(r, g, b)
            var best = 0, bestDistance = Float.infinity
            for (index, q) in lab.enumerated() {
                let d = (p.0 - q.0) * (p.0 - q.0) + (p.1 - q.1) * (p.1 - q.1) + (p.2 - q.2) * (p.2 - q.2)
                if d < bestDistance { (best, bestDistance) = (index, d) }
            }
            snapped[color] = palette[best]
            return palette[best]
        }
        for y in area.y..<area.bottom {
            for x in area.x..<area.right {
                var cell = buffer[x, y]
                cell.style.fg = snap(cell.style.fg)
                cell.style.bg = snap(cell.style.bg)
                buffer[x, y] = cell
            }
        }
    }

    private func screen(_ state: ViewerState, _ benchCase: Case) -> Buffer {
        var buffer = Buffer(width: benchCase.width, height: benchCase.height)
        Screen(state: state, glyphs: .unicode, heatmapGlyphs: .halfBlocks).render(into: &buffer)
        return buffer
    }
}
