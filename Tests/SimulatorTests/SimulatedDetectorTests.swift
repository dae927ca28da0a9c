import DetectorStream
import Dispatch
import Glibc
import Processing
import Simulator
import Synchronization
import XCTest
import ZeroMQ

/// Runs the simulator on a background thread against a SUB socket in the test.
final class SimulatedDetectorTests: XCTestCase {
    private final class Outcome: Sendable {
        let result = Mutex<Result<SimulationSummary, SimulatorError>?>(nil)
        let logs = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)
    }

    private func start(_ options: SimulationOptions, stop: StopSignal = StopSignal()) -> Outcome {
        let outcome = Outcome()
        DispatchQueue.global().async {
            let simulator = SimulatedDetector(options: options) { line in outcome.logs.withLock { $0.append(line) } }
            let r: Result<SimulationSummary, SimulatorError>
            do throws(SimulatorError) { r = .success(try simulator.run(stop: stop)) } catch { r = .failure(error) }
            outcome.result.withLock { $0 = r }
            outcome.done.signal()
        }
        return outcome
    }

    private func finish(_ outcome: Outcome) throws -> SimulationSummary {
        XCTAssertEqual(outcome.done.wait(timeout: .now() + 30), .success)
        return try XCTUnwrap(outcome.result.withLock { $0 }).get()
    }

    private struct Received {
        var frames: [(FrameDescriptor, sum: Double)] = []
        var seriesEnds: [(UInt64, UInt64)] = []
        var bad: [StreamError] = []
    }

    /// Receives until the end of the series (or a 10 s silence); `onFrame` sees the count so far.
    private func receive(_ socket: ZMQSocket, onFrame: (Int) -> Void = { _ in }) throws -> Received {
        var decoder = SlsStreamDecoder(maxFrameBytes: 1 << 20)
        var got = Received()
        try socket.setReceiveTimeout(milliseconds: 10_000)
        while got.seriesEnds.isEmpty {
            guard let parts = try socket.receiveMultipart() else { break }
            var views: [UnsafeRawBufferPointer] = []
            // The message buffers stay alive while `parts` does.
            for part in parts { views.append(part.withUnsafeBytes { $0 }) }
            withExtendedLifetime(parts) {
                decoder.consume(views) { event in
                    switch event {
                    case .frame(let d, let payload):
                        let stats = FrameStats(reference: payload, pixelType: .uint16)
                        got.frames.append((d, stats.sum))
                        onFrame(got.frames.count)
                    case .seriesEnd(let s, let n): got.seriesEnds.append((s, n))
                    case .bad(let e): got.bad.append(e)
                    default: break
                    }
                }
            }
        }
        return got
    }

    private func recordLines(_ path: String) throws -> [(frame: UInt64, sum: Double, masked: Int)] {
        try SimulatorHarness.recordValues(path).map { value in
            guard case .number(let f)? = value["frame"], case .number(let s)? = value["sum"],
                  let sum = s.unsigned, case .number(let m)? = value["masked"], case .array? = value["photons"],
                  case .number(let series)? = value["series"], series.unsigned == 1 else {
                throw SimulatorError("bad record line")
            }
            return (f.unsigned ?? 0, Double(sum), Int(m.signed ?? -1))
        }
    }

    private func temporaryPath(_ name: String) -> String {
        "/tmp/detview-simtest-\(getpid())-\(name)"
    }

    func testSubscriberThatBindsReceivesEveryFrameMatchingTheRecord() throws {
        let context = try ZMQContext()
        let sub = try ZMQSocket(context, .sub)
        defer { sub.close() }
        try sub.subscribe()
        try sub.bind("tcp://127.0.0.1:*")
        let record = temporaryPath("record.jsonl")
        defer { unlink(record) }

        var options = SimulationOptions()
        options.connect = try sub.lastEndpoint
        options.frames = 20
        options.rate = 400
        options.seed = 3
        options.deadPixels = 10
        options.waitForSubscriber = 10
        options.record = record
        let outcome = start(options)
        let got = try receive(sub)
        let summary = try finish(outcome)

        XCTAssertEqual(summary.framesSent, 20)
        XCTAssertEqual(got.bad, [])
        XCTAssertEqual(got.frames.map(\.0.frameNumber), Array(1...20))
        XCTAssertEqual(got.frames.map(\.0.frameIndex), Array(0..<20))
        XCTAssertTrue(got.frames.allSatisfy { $0.0.width == 400 && $0.0.height == 400 && $0.0.pixelType == .uint16 })
        XCTAssertEqual(got.seriesEnds.first?.0, 1)
        XCTAssertEqual(got.seriesEnds.first?.1, 20)
        let lines = try recordLines(record)
        XCTAssertEqual(lines.map(\.frame), Array(1...20))
        XCTAssertEqual(got.frames.map(\.sum), lines.map(\.sum))
        XCTAssertTrue(lines.allSatisfy { $0.masked == 10 })
    }

    func testSeparatePartsVersion4AndRepeatedEndHeadersDecodeAsOneSeries() throws {
        let endpoint = "ipc://" + temporaryPath("sep.ipc")
        var options = SimulationOptions()
        options.bind = endpoint
        options.frames = 12
        options.rate = 300
        options.jsonVersion = 4
        options.sendMode = .separate
        options.endRepeats = 3
        options.waitForSubscriber = 10
        let outcome = start(options)

        let context = try ZMQContext()
        let sub = try ZMQSocket(context, .sub)
        defer { sub.close() }
        try sub.subscribe()
        try sub.connect(endpoint)
        let got = try receive(sub)
        _ = try finish(outcome)
        XCTAssertEqual(got.bad, [])
        XCTAssertEqual(got.frames.count, 12)
        XCTAssertEqual(got.seriesEnds.count, 1)
        XCTAssertEqual(got.seriesEnds.first?.1, 12)
    }

    func testStopRequestEndsTheSeriesCleanly() throws {
        let endpoint = "ipc://" + temporaryPath("stop.ipc")
        var options = SimulationOptions()
        options.bind = endpoint
        options.rate = 100
        options.waitForSubscriber = 10
        let stop = StopSignal()
        let outcome = start(options, stop: stop)

        let context = try ZMQContext()
        let sub = try ZMQSocket(context, .sub)
        defer { sub.close() }
        try sub.subscribe()
        try sub.connect(endpoint)
        // Stopped once frames flow, not after a fixed time: under load the subscription can
        // take longer than any fixed delay to reach the simulator, which then sent nothing.
        let got = try receive(sub) { count in if count == 6 { stop.request() } }
        let summary = try finish(outcome)
        XCTAssertGreaterThan(summary.framesSent, 5)
        XCTAssertEqual(UInt64(got.frames.count), summary.framesSent)
        XCTAssertEqual(got.seriesEnds.first?.1, summary.framesSent)
    }

    /// Pacing throttles: the frames are spread over the requested time, never sent faster.
    /// (How close to the rate it stays under load is a benchmark figure, not a unit test.)
    func testRateIsNeverExceeded() throws {
        var options = SimulationOptions()
        options.bind = "ipc://" + temporaryPath("rate.ipc")
        options.frames = 26
        options.rate = 50
        let summary = try finish(start(options))
        XCTAssertEqual(summary.framesSent, 26)
        XCTAssertLessThanOrEqual(summary.achievedRate, 51, "paced to the requested 50 frames/s")
        XCTAssertGreaterThanOrEqual(summary.seconds, 0.49, "26 frames at 50/s span at least 0.5 s")
        XCTAssertTrue(summary.line.hasPrefix("simulate: sent 26 frames in 0.") && summary.line.hasSuffix(" frames/s)"), summary.line)
    }

    func testImpossibleRateIsReportedOnceAsCannotKeepUp() throws {
        var options = SimulationOptions()
        options.bind = "ipc://" + temporaryPath("fast.ipc")
        options.frames = 20
        options.rate = 1_000_000
        let outcome = start(options)
        let summary = try finish(outcome)
        XCTAssertFalse(summary.keptUp)
        let logs = outcome.logs.withLock { $0 }
        XCTAssertEqual(logs.filter { $0.hasPrefix("simulate: cannot keep up: ") && $0.hasSuffix(" of 1e+06 frames/s") }.count, 1, "\(logs)")
    }

    func testNoSubscriberWithinTheWaitIsSaidAndFramesAreSentAnyway() throws {
        var options = SimulationOptions()
        options.bind = "ipc://" + temporaryPath("nosub.ipc")
        options.frames = 2
        options.waitForSubscriber = 0.2
        let outcome = start(options)
        let summary = try finish(outcome)
        XCTAssertEqual(summary.framesSent, 2)
        // Under load a debug build may also say it cannot keep up; that is not what this pins.
        let logs = outcome.logs.withLock { $0 }.filter { !$0.hasPrefix("simulate: cannot keep up") }
        XCTAssertEqual(logs, ["simulate: no subscriber after 0.2 s; sending anyway"])
    }

    func testUnusableEndpointIsATypedErrorNamingIt() {
        var options = SimulationOptions()
        options.bind = "nonsense://x"
        options.frames = 1
        XCTAssertThrowsError(try finish(start(options))) { error in
            XCTAssertTrue("\(error)".hasPrefix("simulate: cannot open nonsense://x: zmq_bind"), "\(error)")
        }
    }
}
