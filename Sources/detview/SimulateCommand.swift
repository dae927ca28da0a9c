import ArgumentParser
import CLinux
import Glibc
import Simulator

/// Set by SIGINT/SIGTERM while `detview simulate` runs: the simulator then sends its end header
/// and exits cleanly. A global because a C signal handler cannot capture context.
private let simulateStop = StopSignal()

/// `detview simulate`: a simulated slsDetector receiver publishing synthetic MOENCH frames.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a simulated detector that streams synthetic frames over ZeroMQ.",
        discussion: """
            Publishes 400x400 u16 MOENCH frames in the slsDetector receiver format (a JSON header \
            and a data part per frame, then an end-of-acquisition header). Ctrl-C stops cleanly.
            Example: detview simulate --rate 500 --frames 2000 --record truth.jsonl
            """
    )

    @Option(help: "Detector to simulate (only 'moench' for now).")
    var detector: String = "moench"

    @Option(help: "Frames per second.")
    var rate: Double = 100

    @Option(help: "Number of frames to send (default: until Ctrl-C).")
    var frames: Int?

    @Option(help: "Seed of the scene: the same seed gives the same frames.")
    var seed: UInt64 = 1

    @Option(help: "Endpoint the PUB socket binds to.")
    var bind: String = "tcp://127.0.0.1:30001"

    @Option(help: "Connect to this endpoint instead of binding (the viewer's SUB binds).")
    var connect: String?

    @Option(help: ArgumentHelp("Write one JSON line of truth per frame (sum, max, masked, photons) to FILE.", valueName: "FILE"))
    var record: String?

    @Flag(help: "Every other frame is 'pumped': extra photons in a central disc.")
    var pumpProbe = false

    @Option(help: ArgumentHelp("Number of dead pixels (all ones, masked) at fixed positions.", valueName: "N"))
    var deadPixels: Int = 0

    @Option(help: "Mean photons per frame.")
    var photons: Double = 40

    @Option(help: "slsDetector JSON header version: 4 (6.x receivers) or 5 (7.0.2 and later).")
    var jsonVersion: Int = 5

    @Option(help: ArgumentHelp("Wait up to SECONDS for a subscriber before the first frame, then never drop frames (XPUB).", valueName: "SECONDS"))
    var waitSubscriber: Double = 0

    @Option(help: ArgumentHelp("Send the end-of-acquisition header N times.", valueName: "N"))
    var endRepeats: Int = 1

    @Flag(help: "Send header and data as two single-part messages instead of one multipart message.")
    var separateParts = false

    @Option(help: .hidden)
    var parent: Int32?

    func validate() throws {
        guard SimulationOptions.Detector(rawValue: detector) != nil else {
            let known = SimulationOptions.Detector.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown detector '\(detector)'; known: \(known)")
        }
        guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be above 0 frames/s") }
        if let frames, frames < 0 { throw ValidationError("--frames must be 0 or more") }
        guard deadPixels >= 0, deadPixels <= 400 * 400 else { throw ValidationError("--dead-pixels must be 0...160000") }
        guard photons >= 0, photons.isFinite else { throw ValidationError("--photons must be 0 or more") }
        guard jsonVersion == 4 || jsonVersion == 5 else { throw ValidationError("--json-version must be 4 or 5") }
        guard waitSubscriber >= 0, waitSubscriber.isFinite else { throw ValidationError("--wait-subscriber must be 0 or more seconds") }
        guard endRepeats >= 0 else { throw ValidationError("--end-repeats must be 0 or more") }
    }

    func run() throws {
        var options = SimulationOptions()
        options.detector = SimulationOptions.Detector(rawValue: detector) ?? .moench
        options.rate = rate
        options.frames = frames
        options.seed = seed
        options.bind = bind
        options.connect = connect
        options.record = record
        options.pumpProbe = pumpProbe
        options.deadPixels = deadPixels
        options.photonsPerFrame = photons
        options.jsonVersion = jsonVersion
        options.waitForSubscriber = waitSubscriber
        options.endRepeats = endRepeats
        options.sendMode = separateParts ? .separate : .multipart

        signal(SIGINT) { _ in simulateStop.request() }
        signal(SIGTERM) { _ in simulateStop.request() }
        if let parent {
            // Started by `view --demo`: end (cleanly, with the end header) when the viewer goes.
            _ = dv_set_parent_death_signal(SIGTERM)
            if getppid() != parent { return }
        }
        defer {
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        let simulator = SimulatedDetector(options: options)
        SimulatedDetector.standardError(simulator.startupLine)
        do {
            let summary = try simulator.run(stop: simulateStop)
            SimulatedDetector.standardError(summary.line)
        } catch {
            SimulatedDetector.standardError(error.description)
            throw ExitCode.failure
        }
    }
}
