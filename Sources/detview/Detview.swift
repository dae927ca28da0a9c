import ArgumentParser

/// The `detview` command line: `view` (the default), `simulate`, `bench`, and the hidden `worker`.
@main
struct Detview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detview",
        abstract: "A terminal live viewer for X-ray and electron area detectors.",
        subcommands: [ViewCommand.self, SimulateCommand.self, BenchCommand.self, WorkerCommand.self],
        defaultSubcommand: ViewCommand.self
    )
}
