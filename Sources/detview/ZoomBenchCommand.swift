import ArgumentParser
import Benchmarks

/// `detview bench zoom`: how soon a zoom or pan shows, while frames arrive at `--rate`.
struct ZoomBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoom",
        abstract: "Time from a zoom or pan to the first image binned for it, at a given frame rate.")

    @Option(help: "Frames per second fed into the ring.")
    var rate: Double = 200

    @Option(help: "Viewport changes per case (zoom in and out, pan, fit).")
    var changes: Int = 40

    @Option(help: "Worker processes.")
    var workers: Int = 2

    @Flag(help: "Leave out the EIGER 4M frames (MOENCH only).")
    var noEiger = false

    func validate() throws {
        guard rate > 0, rate <= 5000 else { throw ValidationError("--rate takes 0 < rate ≤ 5000") }
        guard changes >= 1, changes <= 1000 else { throw ValidationError("--changes takes 1…1000") }
        guard workers >= 1, workers <= 64 else { throw ValidationError("--workers takes 1…64") }
    }

    func run() throws {
        try BenchReports.zoom(rate: rate, changes: changes, workers: workers, eiger: !noEiger) { print($0) }
    }
}
