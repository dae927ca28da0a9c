import ArgumentParser
import Benchmarks

/// `detview bench forward`: `view --forward`'s path (PULL + MessageForwarder) between a PUSH
/// detector and a PULL file writer, against the two connected directly, in the same run.
struct ForwardBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "PUSH → detview's forward → PULL vs. PUSH → PULL directly: messages/s, MB/s and their ratio.")

    @Option(help: "Transport of both links: inproc (the software alone), ipc or tcp (loopback).")
    var transport: ForwardBenchmark.Transport = .inproc

    @Option(parsing: .unconditional, help: "Rounds per case; the median is reported.")
    var rounds: Int = 5

    @Option(parsing: .unconditional, help: "Seconds of traffic per round (approximately).")
    var seconds: Double = 1

    func validate() throws {
        guard rounds >= 1, seconds > 0 else { throw ValidationError("rounds and seconds must be positive") }
    }

    func run() throws {
        try BenchReports.forward(transport: transport, rounds: rounds, seconds: seconds) { print($0) }
    }
}

/// `bench forward --transport`: inproc, ipc or tcp.
extension ForwardBenchmark.Transport: ExpressibleByArgument {}
