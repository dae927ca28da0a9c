import ArgumentParser
import DetectorStream
import Glibc
import Platform
import Simulator

/// Set by SIGINT/SIGTERM while `detview simulate` runs: the simulator then sends its end header
/// and exits cleanly. A global because a C signal handler cannot capture context.
private let simulateStop = StopSignal()

/// `detview simulate`: a simulated detector streaming synthetic frames in any supported wire format.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a simulated detector that streams synthetic frames over ZeroMQ.",
        discussion: """
            Detectors: moench (400x400 u16 photons on a pedestal), jungfrau (1024x512 u16 raw: bits \
            15-14 gain stage 0=G0 1=G1 3=G2, bits 13-0 ADC; pedestal ~3000 ADU in G0, Bragg spots switch \
            pixels to G1/G2), eiger (photon counts: Poisson background, powder rings, Bragg spots, \
            module gaps at all ones, hot and saturated pixels).
            Formats and their sockets and default endpoints: sls (PUB, tcp://127.0.0.1:30001), simplon \
            (SIMPLON v1, PUSH, :9999), stream2 (DECTRIS CBOR, PUSH, :31001), array (array-1.0, PUB, :5555). \
            PUSH never drops: frames wait until a puller is connected.
            --record FILE writes one JSON line per frame: series, frame (the number the format's \
            decoder reports), sum and max over pixels that are not all ones, masked (count of all-ones \
            pixels), photons. For compressed encodings the numbers are those of the payload decoded \
            again. For jungfrau they are over the raw 16-bit words as sent (gain bits included; \
            0xFFFF counts as masked), not over calibrated energies.
            --streams N (sls) sends each frame as N slsDetector port streams, one PUB socket per port, \
            bound at the --bind port, port+1, ... (or at N comma-separated --bind endpoints), each \
            message saying its row, column, detshape [columns, rows] and shape, as a multi-module \
            detector or a two-interface MOENCH/JUNGFRAU does. Ports stack along y (one column, N rows) \
            for moench and jungfrau; for eiger with even N they pair side by side (2 columns, N/2 rows) \
            and the odd rows (bottom half-modules) send their rows flipped with flipRows set. \
            --stream-grid CxR sets the grid; the frame must split into equal ports. \
            --missing-stream K binds port K (row-major) but never sends on it; the --record numbers \
            are then those of the assembled frame with that module masked (all ones). \
            View with: detview view EP1 EP2 ... (one endpoint per port).
            Ctrl-C stops cleanly (the end-of-series message is still sent).
            Examples: detview simulate --rate 500 --frames 2000 --record truth.jsonl
                      detview simulate --detector eiger --size 4M --format stream2 --encoding bslz4
                      detview simulate --detector jungfrau --streams 2 --bind tcp://127.0.0.1:30001
            """
    )

    @Option(help: "Detector to simulate: moench, jungfrau or eiger.")
    var detector: SimulationOptions.Detector = .moench

    @Option(help: "Wire format: sls, simplon, stream2 or array (default: sls; simplon for eiger).")
    var format: WireFormat?

    @Option(help: "Payload encoding: raw, lz4 or bslz4 (default: raw for sls and array, bslz4 for simplon and stream2).")
    var encoding: PayloadEncoding?

    @Option(help: "EIGER frame size: 512x512, 500K, 1M, 4M (2068x2162), 16M (4148x4362) or WxH (default 1M, 1030x1065).")
    var size: EigerSizeArgument?

    @Option(help: "EIGER pixel type: uint8, uint16 or uint32 (default uint32 for 4M and larger, else uint16).")
    var pixelType: PixelTypeChoice?

    @Option(help: "SIMPLON series header detail: none, basic or all (all adds flatfield, pixel mask, count-rate table).")
    var headerDetail: SimplonEncoder.HeaderDetail = .basic

    @Option(parsing: .unconditional, help: "Frames per second.")
    var rate: Double = 100

    @Option(parsing: .unconditional, help: "Number of frames to send (default: until Ctrl-C).")
    var frames: Int?

    @Option(parsing: .unconditional, help: "Seed of the scene: the same seed gives the same frames.")
    var seed: UInt64 = 1

    @Option(help: "Endpoint to bind (default: the format's port on 127.0.0.1, see above); with --streams, the first port's, or a comma-separated list.")
    var bind: String?

    @Option(help: "Connect to this endpoint instead of binding (the viewer's socket binds).")
    var connect: String?

    @Option(help: ArgumentHelp("Write one JSON line of truth per frame (sum, max, masked, photons) to FILE.", valueName: "FILE"))
    var record: String?

    @Flag(help: "Every other frame is 'pumped': extra photons in a central disc.")
    var pumpProbe = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of dead pixels (all ones, masked) at fixed positions.", valueName: "N"))
    var deadPixels: Int = 0

    @Option(parsing: .unconditional, help: ArgumentHelp("moench: number of hot pixels (firing in most frames) at fixed positions.", valueName: "N"))
    var hotPixels: Int = 0

    @Option(help: "moench: where photons land: flat, or beamline (a Gaussian beam through a Siemens star).")
    var illumination: MoenchIllumination.Kind = .flat

    @Option(parsing: .unconditional, help: "Mean photons per frame.")
    var photons: Double = 40

    @Option(parsing: .unconditional, help: ArgumentHelp("moench: the first N frames have no photons (a dark series, beam off).", valueName: "N"))
    var darkFrames: Int = 0

    @Option(parsing: .unconditional, help: "slsDetector JSON header version: 4 (6.x receivers) or 5 (7.0.2 and later).")
    var jsonVersion: Int = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("Wait up to SECONDS for a consumer before the first frame; on PUB sockets then never drop frames (XPUB).", valueName: "SECONDS"))
    var waitSubscriber: Double = 0

    @Option(parsing: .unconditional, help: ArgumentHelp("Send the end-of-series message N times (array-1.0 has none).", valueName: "N"))
    var endRepeats: Int = 1

    @Flag(help: "sls: send header and data as two single-part messages instead of one multipart message.")
    var separateParts = false

    @Option(parsing: .unconditional, help: ArgumentHelp("sls: send each frame as N port streams on N PUB sockets (ports counted up from --bind).", valueName: "N"))
    var streams: Int = 1

    @Option(help: ArgumentHelp("The grid of --streams ports, COLUMNSxROWS (default 1xN; 2x(N/2) for eiger with even N).", valueName: "CxR"))
    var streamGrid: StreamGridArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Bind port K of --streams (0-based, row-major) but never send on it (a missing module).", valueName: "K"))
    var missingStream: Int?

    @Option(help: .hidden)
    var parent: Int32?

    func validate() throws {
        guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be above 0 frames/s") }
        if let frames, frames < 0 { throw ValidationError("--frames must be 0 or more") }
        guard deadPixels >= 0, deadPixels <= 400 * 400 else { throw ValidationError("--dead-pixels must be 0...160000") }
        guard hotPixels >= 0, hotPixels <= 400 * 400 else { throw ValidationError("--hot-pixels must be 0...160000") }
        guard photons >= 0, photons.isFinite else { throw ValidationError("--photons must be 0 or more") }
        guard darkFrames >= 0 else { throw ValidationError("--dark-frames must be 0 or more") }
        guard jsonVersion == 4 || jsonVersion == 5 else { throw ValidationError("--json-version must be 4 or 5") }
        guard waitSubscriber >= 0, waitSubscriber.isFinite else { throw ValidationError("--wait-subscriber must be 0 or more seconds") }
        guard endRepeats >= 0 else { throw ValidationError("--end-repeats must be 0 or more") }
        do {
            try options().validate()
        } catch {
            let text = error.description
            throw ValidationError(text.hasPrefix("simulate: ") ? String(text.dropFirst(10)) : text)
        }
    }

    /// The options the command line describes.
    private func options() -> SimulationOptions {
        var options = SimulationOptions()
        options.detector = detector
        options.format = format
        options.encoding = encoding
        options.size = size.map { ($0.width, $0.height) }
        options.pixelType = pixelType?.pixelType
        options.headerDetail = headerDetail
        options.rate = rate
        options.frames = frames
        options.seed = seed
        options.bind = bind
        options.connect = connect
        options.record = record
        options.pumpProbe = pumpProbe
        options.deadPixels = deadPixels
        options.hotPixels = hotPixels
        options.illumination = illumination
        options.photonsPerFrame = photons
        options.darkFrames = max(0, darkFrames)
        options.jsonVersion = jsonVersion
        options.waitForSubscriber = waitSubscriber
        options.endRepeats = endRepeats
        options.sendMode = separateParts ? .separate : .multipart
        options.streams = streams
        options.streamGrid = streamGrid.map { ($0.columns, $0.rows) }
        options.missingStream = missingStream
        if parent != nil { options.lingerMilliseconds = 0 }   // the viewer's child: see the option
        return options
    }

    func run() throws {
        let options = options()
        signal(SIGINT) { _ in simulateStop.request() }
        signal(SIGTERM) { _ in simulateStop.request() }
        if let parent {
            // Started by `view --demo`: end (cleanly, with the end header) when the viewer goes.
            ProcessLifetime.dieWithParent(expectedParent: parent, signal: SIGTERM)
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
