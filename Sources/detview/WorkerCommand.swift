import ArgumentParser
import Glibc
import Logging
import Platform
import Workers

/// `detview worker` (hidden): one worker process, started by the viewer with the shared
/// region on fd 3, the result eventfd on fd 4, and the viewer's `--log` file (or /dev/null)
/// as stderr, so nothing a worker says reaches the viewer's screen. Not for people.
///
/// Test only: `DETVIEW_TEST_WORKER_FAULT=stderr` makes the worker print a line to stderr at
/// start, `=trap` makes it die on a Swift runtime trap at start (the integration tests use it
/// to prove the screen stays clean). Nothing else reads it.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Internal: a processing worker.", shouldDisplay: false)

    @Option(help: "Worker slot index.")
    var index: Int

    @Option(help: "PID of the viewer this worker serves; it exits when that process is gone.")
    var parent: Int32

    func run() throws {
        WorkerProcess.bindLifetimeToParent(expectedParent: parent)
        let log = Logger(label: "worker \(index)") { FileLogHandler(label: $0, fd: 2) }
        switch getenv("DETVIEW_TEST_WORKER_FAULT").map({ String(cString: $0) }) {
        case "stderr":
            writeAll(2, "detview worker \(index): DETVIEW_TEST_WORKER_FAULT stderr line\n")
        case "trap":
            fatalError("DETVIEW_TEST_WORKER_FAULT trap in worker \(index)")
        default:
            break
        }
        do {
            var worker = try WorkerProcess(index: index)
            let code = worker.run()
            if code != 0 { throw ExitCode(code) }
        } catch let error as ExitCode {
            throw error
        } catch {
            log.error("\(error)")
            throw ExitCode(1)
        }
    }
}
