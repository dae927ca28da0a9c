import ArgumentParser

/// `detview view ENDPOINT`: placeholder until the viewer lands.
struct ViewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "view", abstract: "Show a live detector stream.")
    func run() async throws {}
}
