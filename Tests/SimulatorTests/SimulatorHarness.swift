import DetectorStream
import Dispatch
import Glibc
import Processing
import Simulator
import Synchronization
import XCTest
import ZeroMQ

/// Runs a `SimulatedDetector` on a background thread against a consumer socket the test binds
/// (PULL for PUSH formats, SUB otherwise), and decodes what arrives with the format's decoder.
struct SimulatorHarness {
    final class Outcome: Sendable {
        let result = Mutex<Result<SimulationSummary, SimulatorError>?>(nil)
        let done = DispatchSemaphore(value: 0)
    }

    struct DecodedFrame {
        var descriptor: FrameDescriptor
        var payload: [UInt8]
        var statistics: FrameStats
    }

    struct Received {
        var firstMessage: [[UInt8]] = []
        var starts: [SeriesInfo] = []
        var frames: [DecodedFrame] = []
        var ends: [(UInt64, UInt64)] = []
        var bad: [StreamError] = []
        var masks: [PixelMask] = []
    }

    struct RecordLine: Equatable {
        var frame: UInt64
        var statistics: RecordedStats
    }

    /// What a record line states of a frame's `FrameStats`: sum, maximum and masked pixels.
    struct RecordedStats: Equatable {
        var sum: Double
        /// NaN when the record says null (no unmasked pixel).
        var max: Double
        var masked: Int

        init(sum: Double, max: Double, masked: Int) {
            self.sum = sum
            self.max = max
            self.masked = masked
        }

        init(_ stats: FrameStats) {
            self.init(sum: stats.sum, max: stats.max, masked: stats.masked)
        }

        static func == (a: RecordedStats, b: RecordedStats) -> Bool {
            a.sum == b.sum && (a.max == b.max || (a.max.isNaN && b.max.isNaN)) && a.masked == b.masked
        }
    }

    static func temporaryPath(_ name: String) -> String { "/tmp/detview-simtest-\(getpid())-\(name)" }

    static func start(_ options: SimulationOptions, stop: StopSignal = StopSignal()) -> Outcome {
        let outcome = Outcome()
        DispatchQueue.global().async {
            let simulator = SimulatedDetector(options: options) { _ in }
            let r: Result<SimulationSummary, SimulatorError>
            do throws(SimulatorError) { r = .success(try simulator.run(stop: stop)) } catch { r = .failure(error) }
            outcome.result.withLock { $0 = r }
            outcome.done.signal()
        }
        return outcome
    }

    static func finish(_ outcome: Outcome) throws -> SimulationSummary {
        XCTAssertEqual(outcome.done.wait(timeout: .now() + 30), .success)
        return try XCTUnwrap(outcome.result.withLock { $0 }).get()
    }

    /// Binds a consumer, runs the simulator connected to it for `options.frames` frames, and
    /// decodes every message (array-1.0 has no end message: it stops after the frames).
    static func run(_ options: SimulationOptions, decoder: inout some StreamDecoder) throws -> (Received, SimulationSummary) {
        var options = options
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, options.usesPush ? .pull : .sub)
        defer { socket.close() }
        if !options.usesPush { try socket.subscribe() }
        try socket.bind("tcp://127.0.0.1:*")
        options.connect = try socket.lastEndpoint
        options.waitForSubscriber = 10
        let outcome = start(options)
        var got = Received()
        try socket.setReceiveTimeout(milliseconds: 10_000)
        let expected = UInt64(options.frames ?? 0)
        while got.ends.isEmpty, !(options.resolvedFormat == .array && UInt64(got.frames.count) >= expected) {
            guard let parts = try socket.receiveMultipart() else { break }
            if got.firstMessage.isEmpty { got.firstMessage = parts.map(\.bytes) }
            let views = parts.map { part in part.withUnsafeBytes { $0 } }
            let elementSize = options.resolvedPixelType.bytesPerPixel
            withExtendedLifetime(parts) {
                decoder.consume(views) { event in
                    switch event {
                    case .seriesStart(let info): got.starts.append(info)
                    case .frame(let d, let payload):
                        var pixels = [UInt8](repeating: 0, count: d.width * d.height * elementSize)
                        let decoded = pixels.withUnsafeMutableBytes { out in
                            Result { () throws(StreamError) in
                                try PayloadCodec.decode(d.encoding, elementSize: elementSize, elementCount: d.width * d.height,
                                                        input: payload, output: out)
                            }
                        }
                        if case .failure(let error) = decoded { got.bad.append(error) }
                        // JUNGFRAU records hold the ADC value under the gain bits, as viewers show it.
                        let adcBits = options.detector == .jungfrau ? 14 : nil
                        // The stream's mask marks more pixels a viewer leaves out, as the record does.
                        if let mask = got.masks.last, mask.width == d.width, mask.height == d.height {
                            for i in mask.indices {
                                for b in 0..<elementSize { pixels[Int(i) * elementSize + b] = 0xFF }
                            }
                        }
                        let stats = pixels.withUnsafeBytes { FrameStats(reference: $0, pixelType: d.pixelType, adcBits: adcBits) }
                        got.frames.append(DecodedFrame(descriptor: d, payload: Array(payload), statistics: stats))
                    case .seriesEnd(let s, let n): got.ends.append((s, n))
                    case .bad(let e): got.bad.append(e)
                    case .gap: break
                    case .pixelMask(_, let mask): got.masks.append(mask)
                    }
                }
            }
        }
        return (got, try finish(outcome))
    }

    /// The record file's lines, each parsed as JSON.
    static func recordValues(_ path: String) throws -> [JSONValue] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SimulatorError("cannot open \(path)") }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return try data.split(separator: UInt8(ascii: "\n")).map { line in
            try Array(line).withUnsafeBytes { b in
                var r = JSONReader(b)
                return try r.readValue()
            }
        }
    }

    static func recordLines(_ path: String) throws -> [RecordLine] {
        try recordValues(path).map { value in
            // Sums and maxima are written as integers (`unsigned` is nil for any other text).
            guard case .number(let f)? = value["frame"], case .number(let s)? = value["sum"], let sum = s.unsigned,
                  case .number(let k)? = value["masked"] else {
                throw SimulatorError("bad record line")
            }
            let max: Double
            switch value["max"] {
            case .number(let m)?:
                guard let value = m.unsigned else { throw SimulatorError("bad record line") }
                max = Double(value)
            case .null?: max = .nan
            default: throw SimulatorError("bad record line")
            }
            return RecordLine(frame: f.unsigned ?? .max, statistics: RecordedStats(
                sum: Double(sum), max: max, masked: Int(k.signed ?? -1)))
        }
    }
}
