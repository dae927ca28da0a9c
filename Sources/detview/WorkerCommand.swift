import ArgumentParser
import Glibc
import Platform
import Viewer

import Workers

/// `detview worker` (hidden): one worker process, started by the viewer with the shared
/// region on fd 3 and the result eventfd on fd 4. Not for people.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Internal: a processing worker.", shouldDisplay: false)

    @Option(help: "Worker slot index.")
    var index: Int

    @Option(help: "PID of the viewer this worker serves; it exits when that process is gone.")
    var parent: Int32

    func run() throws {
        WorkerProcess.bindLifetimeToParent(expectedParent: parent)
        do {
            var worker = try WorkerProcess(index: index)
            let code = worker.run()
            if code != 0 { throw ExitCode(code) }
        } catch let error as ExitCode {
            throw error
        } catch {
            writeAll(2, "detview worker \(index): \(error)\n")
            throw ExitCode(1)
        }
    }
}
