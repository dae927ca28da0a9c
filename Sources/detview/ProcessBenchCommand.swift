import ArgumentParser

import Processing

/// `detview bench process`: frames per second of each processing mode, per worker count, on
/// MOENCH and EIGER 4M frames from a ring filled in advance; the raw mode (statistics and
/// display only) of the same case and worker count is the baseline.
struct ProcessBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Worker throughput per processing mode and worker count (ring filled in advance).")

    @Option(name: .customLong("mode"), help: "Modes to measure (repeatable; default: all).")
    var modes: [ProcessingMode] = []

    @Option(help: "Worker counts to measure, comma-separated.")
    var workers: String = "1,2"

    @Option(help: "MOENCH frames per run (a quarter of them dark).")
    var moenchFrames: Int = 6000

    @Option(help: "EIGER 4M frames per run (0 skips EIGER).")
    var eigerFrames: Int = 120

    func validate() throws {
        guard workerCounts.count > 0, workerCounts.allSatisfy({ $0 >= 1 && $0 <= 64 }) else {
            throw ValidationError("--workers takes counts 1…64, e.g. 1,2")
        }
        guard moenchFrames >= 100, eigerFrames == 0 || eigerFrames >= 40 else {
            throw ValidationError("--moench-frames must be ≥ 100 and --eiger-frames 0 or ≥ 40")
        }
    }

    private var workerCounts: [Int] { workers.split(separator: ",").compactMap { Int($0) } }

    func run() throws {
        let chosen = modes.isEmpty ? ProcessingMode.allCases : [.raw] + modes.filter { $0 != .raw }
        var cases = [ProcessBenchmark.moench(frames: moenchFrames)]
        if eigerFrames > 0 { cases.append(ProcessBenchmark.eiger4M(frames: eigerFrames)) }
        print("detview bench process: ring filled in advance, frames/s over the timed part; ratio = mode / raw")
        print("case                     mode       workers   frames/s   per worker   vs raw")
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
                    print(row(benchCase.name, mode.name, count, fps, fps / Double(count), ratio))
                }
            }
        }
    }

    private func row(_ name: String, _ mode: String, _ workers: Int, _ fps: Double, _ perWorker: Double,
                     _ ratio: Double) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        return pad(name, 25) + pad(mode, 11) + lpad("\(workers)", 7) + lpad(String(Int(fps.rounded())), 11)
            + lpad(String(Int(perWorker.rounded())), 13) + lpad(String((ratio * 100).rounded() / 100), 9)
    }
}
