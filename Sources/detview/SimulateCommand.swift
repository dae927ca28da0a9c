import ArgumentParser

/// `detview simulate`: placeholder until the simulator lands.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "simulate", abstract: "Run a simulated detector.")
    func run() throws {}
}
