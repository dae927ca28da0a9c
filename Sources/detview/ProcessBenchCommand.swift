import ArgumentParser
import Benchmarks

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

    @Option(parsing: .unconditional, help: "MOENCH frames per run (a quarter of them dark).")
    var moenchFrames: Int = 6000

    @Option(parsing: .unconditional, help: "EIGER 4M frames per run (0 skips EIGER).")
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
        try BenchReports.process(modes: modes, workerCounts: workerCounts, moenchFrames: moenchFrames,
                                 eigerFrames: eigerFrames) { print($0) }
    }
}
