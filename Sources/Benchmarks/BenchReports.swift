import DetectorStream
import Processing

/// What `detview bench ingest|decode|process` print: each runs its cases and writes a table,
/// line by line, through `emit` (the command passes `print`). Runs on the calling thread.
public enum BenchReports {
    /// `bench render`: bytes per paint and paints/s of the real render path vs. a full repaint.
    public static func render(paints: Int, emit: (String) -> Void) throws {
        emit("detview bench render: noisy live MOENCH scene, a new frame every paint, \(paints) paints per case, "
            + "Screen → diff → ncurses into /dev/null (counted); full = every cell rewritten each paint")
        emit(RenderBenchmark.Result.tableHeader)
        let bench = RenderBenchmark(paints: paints)
        for benchCase in RenderBenchmark.cases { emit(try bench.run(benchCase).tableRow) }
        emit("")
        emit("heatmap fidelity under a short budget: each threshold step of the diff, the 24-bit ramp quantized "
            + "instead, and the adaptive ladder held to 250 KB/s (simulated clock), against the full repaint of the same run")
        emit(RenderBenchmark.FidelityResult.tableHeader)
        for benchCase in RenderBenchmark.cases where benchCase.width == 200 {
            for result in try bench.fidelity(benchCase) { emit(result.tableRow) }
        }
    }

    /// The frame sizes `bench ingest` measures: a MOENCH frame and a 4 MiB one.
    public static let ingestCases = [
        IngestBenchmark.Case(name: "MOENCH 400×400 u16", width: 400, height: 400),
        IngestBenchmark.Case(name: "4 MiB (2048×1024 u16)", width: 2048, height: 1024),
    ]

    public static func ingest(rounds: Int, seconds: Double, workers: Int, emit: (String) -> Void) throws {
        emit("detview bench ingest: tcp loopback, \(workers) worker(s), \(rounds) round(s) of ~\(seconds) s, median")
        emit(IngestBenchmark.Result.tableHeader)
        for c in ingestCases {
            let bench = IngestBenchmark(benchCase: c, seconds: seconds, workers: workers)
            emit(try bench.run(rounds: rounds).tableRow)
        }
    }

    /// The message sizes `bench forward` measures: small, an EIGER 1M bslz4 image, a large one.
    public static let forwardCases = [
        ForwardBenchmark.Case(name: "SIMPLON 4 parts, 64 KiB", dataBytes: 64 << 10),
        ForwardBenchmark.Case(name: "SIMPLON 4 parts, 1 MiB", dataBytes: 1 << 20),
        ForwardBenchmark.Case(name: "SIMPLON 4 parts, 4 MiB", dataBytes: 4 << 20),
    ]

    public static func forward(transport: ForwardBenchmark.Transport, rounds: Int, seconds: Double,
                               cases: [ForwardBenchmark.Case] = forwardCases, emit: (String) -> Void) throws {
        emit("detview bench forward: PUSH → PULL + MessageForwarder → PULL vs. PUSH → PULL, \(transport.rawValue), "
             + "\(rounds) round(s) of ~\(seconds) s, median; ratio = forward / direct")
        emit(ForwardBenchmark.Result.tableHeader)
        for c in cases {
            emit(try ForwardBenchmark(benchCase: c, transport: transport, seconds: seconds).run(rounds: rounds).tableRow)
        }
    }

    /// `scene` names the frames in the title line. The header follows the first case's checks,
    /// so a rejected `--input` prints only its error.
    public static func decode(_ cases: [DecodeBenchmark.Case], scene: String, path: CodecPath, rounds: Int,
                              emit: (String) -> Void) throws(DecodeBenchError) {
        let bench = DecodeBenchmark(path: path, secondsPerRound: 0.1)
        let avx2 = CodecPath.avx2Available ? "yes" : "no"
        let scalarTwin = path == .avx2 && !CodecPath.avx2Available ? " (runs the scalar twin)" : ""
        for (i, c) in cases.enumerated() {
            let row = try bench.run(c, rounds: rounds).tableRow
            if i == 0 {
                emit("detview bench decode: \(scene); single core (one thread), \(rounds) round(s), median; "
                    + "path \(path.name)\(scalarTwin); CPU AVX2: \(avx2)")
                emit(DecodeBenchmark.Result.tableHeader)
            }
            emit(row)
        }
    }

    /// Every mode of `modes` (raw first, the baseline) per worker count, on MOENCH frames and,
    /// unless `eigerFrames` is 0, on EIGER 4M frames.
    public static func process(modes: [ProcessingMode], workerCounts: [Int], moenchFrames: Int, eigerFrames: Int,
                               emit: (String) -> Void) throws {
        let chosen = modes.isEmpty ? ProcessingMode.allCases : [.raw] + modes.filter { $0 != .raw }
        var cases = [ProcessBenchmark.moench(frames: moenchFrames)]
        if eigerFrames > 0 { cases.append(ProcessBenchmark.eiger4M(frames: eigerFrames)) }
        emit("detview bench process: ring filled in advance, frames/s over the timed part; ratio = mode / raw")
        emit("case                     mode       workers   frames/s   per worker   vs raw")
        for benchCase in cases {
            let rendered = (0..<benchCase.distinct).map { index -> [UInt8] in
                var frame = [UInt8](repeating: 0, count: benchCase.frameBytes)
                frame.withUnsafeMutableBytes { benchCase.render(index, $0) }
                return frame
            }
            for count in workerCounts {
                var raw = 0.0
                for mode in chosen {
                    let fps = try ProcessBenchmark.run(benchCase, rendered: rendered, mode: mode, workers: count)
                    if mode == .raw { raw = fps }
                    let ratio = raw > 0 ? fps / raw : 0
                    emit(pad(benchCase.name, 25) + pad(mode.name, 11) + lpad("\(count)", 7)
                        + lpad(String(Int(fps.rounded())), 11) + lpad(String(Int((fps / Double(count)).rounded())), 13)
                        + lpad(String((ratio * 100).rounded() / 100), 9))
                }
            }
        }
    }

    /// `bench zoom`: per case, the time from a new viewport in the control block to its first
    /// image, for the latest frame (raw) and a composed view (sum).
    public static func zoom(rate: Double, changes: Int, workers: Int, eiger: Bool, emit: (String) -> Void) throws {
        var cases = [ProcessBenchmark.moench(frames: 256)]
        if eiger { cases.append(ProcessBenchmark.eiger4M(frames: 8)) }
        emit("detview bench zoom: \(Int(rate)) frames/s fed, \(workers) worker(s), \(changes) viewport changes "
            + "(zoom, pan, fit) into a 200×100 heatmap; ms from the control write to the first image binned for it")
        emit("case                     view                 p50 ms   p90 ms   max ms   missed")
        for benchCase in cases {
            let rendered = (0..<benchCase.distinct).map { index -> [UInt8] in
                var frame = [UInt8](repeating: 0, count: benchCase.frameBytes)
                frame.withUnsafeMutableBytes { benchCase.render(index, $0) }
                return frame
            }
            for mode in [ProcessingMode.raw, .sum] {
                let r = try ZoomBenchmark.run(benchCase, rendered: rendered, mode: mode, workers: workers,
                                              rate: rate, changes: changes)
                func row(_ label: String, _ values: [Double]) {
                    func ms(_ v: Double) -> String { v.isNaN ? "–" : String((v * 10).rounded() / 10) }
                    emit(pad(benchCase.name, 25) + pad(label, 19) + lpad(ms(r.percentile(values, 0.5)), 9)
                        + lpad(ms(r.percentile(values, 0.9)), 9) + lpad(ms(values.max() ?? .nan), 9) + lpad("\(r.missed)", 9))
                }
                if mode == .raw {
                    row("latest frame", r.latencies)
                } else {
                    row("sum, first share", r.latencies)
                    row("sum, all shares", r.allWorkers)
                }
            }
        }
    }
}
