import ArgumentParser

import Glibc

/// `detview bench`: measured figures, always against a baseline run on the same machine in
/// the same run, printed as ratios.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks, each against a baseline measured in the same run.",
        subcommands: [IngestBenchCommand.self, DecodeBenchCommand.self, ProcessBenchCommand.self])
}

/// `detview bench ingest`: the viewer's receiver, ring and worker processes against a plain
/// ZeroMQ PUSH→PULL of the same messages, over tcp loopback.
struct IngestBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Receiver + ring + workers vs. plain ZeroMQ PUSH→PULL, tcp loopback.")

    @Option(help: "Rounds per case; the median is reported.")
    var rounds: Int = 3

    @Option(help: "Seconds of traffic per round (approximately).")
    var seconds: Double = 2

    @Option(help: "Worker processes for the detview side.")
    var workers: Int = 1

    func validate() throws {
        guard rounds >= 1, seconds > 0, workers >= 1 else { throw ValidationError("rounds, seconds and workers must be positive") }
    }

    func run() throws {
        let cases = [
            IngestBenchmark.Case(name: "MOENCH 400×400 u16", width: 400, height: 400),
            IngestBenchmark.Case(name: "4 MiB (2048×1024 u16)", width: 2048, height: 1024),
        ]
        print("detview bench ingest: tcp loopback, \(workers) worker(s), \(rounds) round(s) of ~\(seconds) s, median")
        print(IngestBenchmark.Result.tableHeader)
        for c in cases {
            let bench = IngestBenchmark(benchCase: c, seconds: seconds, workers: workers)
            let result = try bench.run(rounds: rounds)
            print(result.tableRow)
        }
    }
}
