import ArgumentParser
import Benchmarks

import Glibc

/// `detview bench`: measured figures, always against a baseline run on the same machine in
/// the same run, printed as ratios.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks, each against a baseline measured in the same run.",
        subcommands: [IngestBenchCommand.self, DecodeBenchCommand.self, ProcessBenchCommand.self, ZoomBenchCommand.self, RenderBenchCommand.self,
                      ForwardBenchCommand.self])
}

/// `detview bench ingest`: the viewer's receiver, ring and worker processes against a plain
/// ZeroMQ PUSH→PULL of the same messages, over tcp loopback.
struct IngestBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Receiver + ring + workers vs. plain ZeroMQ PUSH→PULL, tcp loopback.")

    @Option(parsing: .unconditional, help: "Rounds per case; the median is reported.")
    var rounds: Int = 3

    @Option(parsing: .unconditional, help: "Seconds of traffic per round (approximately).")
    var seconds: Double = 2

    @Option(parsing: .unconditional, help: "Worker processes for the detview side.")
    var workers: Int = 1

    func validate() throws {
        guard rounds >= 1, seconds > 0, workers >= 1 else { throw ValidationError("rounds, seconds and workers must be positive") }
    }

    func run() throws {
        try BenchReports.ingest(rounds: rounds, seconds: seconds, workers: workers) { print($0) }
    }
}

/// `detview bench render`: the screen's bytes per paint and paints/s through the real diff and
/// ncurses encoding into a counted sink, against a full repaint of every cell.
struct RenderBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Bytes per paint and paints/s of the screen (noisy MOENCH) vs. a full repaint, 120×40 and 200×60, 256 colours and 24-bit.")

    @Option(parsing: .unconditional, help: "Paints per case.")
    var paints: Int = 200

    func validate() throws {
        guard paints >= 2 else { throw ValidationError("--paints must be at least 2") }
    }

    func run() throws {
        try BenchReports.render(paints: paints) { print($0) }
    }
}
