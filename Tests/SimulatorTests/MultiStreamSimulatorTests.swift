import DetectorStream
import Glibc
import Processing
import Simulator
import XCTest
import ZeroMQ

/// `simulate --streams`: one PUB socket per port over ipc, each port's headers, and the ports
/// assembled by the viewer's own decoder and merger compared with the record and with the same
/// scene sent as one stream.
final class MultiStreamSimulatorTests: XCTestCase {
    /// What arrived on the port sockets: each port's frames, and the assembled stream.
    private struct Received {
        var portFrames: [[FrameDescriptor]]
        var assembled: [(FrameDescriptor, [UInt8])] = []
        var starts: [SeriesInfo] = []
        var ends = 0
        var bad: [StreamError] = []
        var missingReports: [[ModuleCell]] = []
    }

    private func options(_ detector: SimulationOptions.Detector, streams: Int, frames: Int = 3,
                         size: (Int, Int)? = nil) -> SimulationOptions {
        var o = SimulationOptions()
        o.detector = detector
        o.streams = streams
        o.frames = frames
        o.rate = 100
        o.seed = 11
        o.size = size.map { (width: $0.0, height: $0.1) }
        o.format = .sls
        return o
    }

    private func ipcEndpoints(_ n: Int, _ name: String) -> [String] {
        (0..<n).map { "ipc://\(SimulatorHarness.temporaryPath("\(name)-\($0)"))" }
    }

    /// Runs the simulator bound at ipc endpoints, one SUB per port, until every port that sends
    /// has sent its end header; decodes each port and merges them.
    private func run(_ o: SimulationOptions, name: String) throws -> (Received, SimulationSummary) {
        var o = o
        let endpoints = ipcEndpoints(o.streams, name)
        o.bind = endpoints.joined(separator: ",")
        o.waitForSubscriber = 10
        let context = try ZMQContext()
        let sockets = try endpoints.map { endpoint -> ZMQSocket in
            let s = try ZMQSocket(context, .sub)
            try s.subscribe()
            try s.connect(endpoint)
            return s
        }
        defer { sockets.forEach { $0.close() } }
        let outcome = SimulatorHarness.start(o)
        var decoders = sockets.map { _ in SlsStreamDecoder(maxFrameBytes: 1 << 26) }
        var merger = PortStreamMerger(ports: sockets.count, window: 4, maxFrameBytes: 1 << 26)
        var got = Received(portFrames: Array(repeating: [], count: sockets.count))
        let live = sockets.indices.filter { $0 != o.missingStream }
        var ended = Set<Int>()
        let deadline = Date().addingTimeInterval(20)
        while ended.count < live.count, Date() < deadline {
            let ready = try ZMQPoll.wait(sockets.map { ZMQPollItem.socket($0) }, timeoutMilliseconds: 200)
            for port in sockets.indices where ready[port].contains(.readable) {
                guard let parts = try sockets[port].receiveMultipart(dontWait: true) else { continue }
                let views = parts.map { part in part.withUnsafeBytes { $0 } }
                withExtendedLifetime(parts) {
                    decoders[port].consume(views) { event in
                        switch event {
                        case .frame(let d, _): got.portFrames[port].append(d)
                        case .seriesEnd: ended.insert(port)
                        default: break
                        }
                        merger.handle(port: port, event) { output in
                            switch output {
                            case .event(.frame(let d, let pixels)): got.assembled.append((d, Array(pixels)))
                            case .event(.seriesStart(let info)): got.starts.append(info)
                            case .event(.seriesEnd): got.ends += 1
                            case .event(.bad(let e)): got.bad.append(e)
                            case .event: break
                            case .missingModules(_, _, let cells): got.missingReports.append(cells)
                            }
                        }
                    }
                }
            }
        }
        return (got, try SimulatorHarness.finish(outcome))
    }

    func testEachPortSaysItsRowColumnDetshapeAndShape() throws {
        let (got, summary) = try run(options(.jungfrau, streams: 2, frames: 2), name: "jf")
        XCTAssertEqual(summary.framesSent, 2)
        for port in 0..<2 {
            XCTAssertEqual(got.portFrames[port].count, 2, "port \(port)")
            for d in got.portFrames[port] {
                XCTAssertEqual(d.width, 1024)
                XCTAssertEqual(d.height, 256)
                XCTAssertEqual(d.module, ModulePosition(row: port, column: 0, gridColumns: 1, gridRows: 2,
                                                        detectorType: 3, moduleID: port))
            }
        }
        XCTAssertEqual(got.portFrames[0].map(\.frameNumber), got.portFrames[1].map(\.frameNumber))
        XCTAssertEqual(got.starts.map(\.width), [1024])
        XCTAssertEqual(got.starts.map(\.height), [512])
        XCTAssertEqual(got.ends, 1)
    }

    func testAssembledEigerPortsWithFlippedBottomRowsEqualTheSceneSentAsOneStream() throws {
        var eiger = options(.eiger, streams: 4, frames: 2, size: (128, 96))
        let record = SimulatorHarness.temporaryPath("eiger4.jsonl")
        defer { unlink(record) }
        eiger.record = record
        let (got, _) = try run(eiger, name: "eiger")
        XCTAssertEqual(got.bad, [])
        // Ports 2 and 3 (the bottom half-module) say flipRows.
        XCTAssertEqual((0..<4).map { got.portFrames[$0].first?.module?.flipRows }, [false, false, true, true])
        XCTAssertEqual((0..<4).map { got.portFrames[$0].first?.module.map { [$0.row, $0.column] } }, [[0, 0], [0, 1], [1, 0], [1, 1]])

        var single = options(.eiger, streams: 1, frames: 2, size: (128, 96))
        single.format = .sls
        var decoder = SlsStreamDecoder(maxFrameBytes: 1 << 26)
        let (whole, _) = try SimulatorHarness.run(single, decoder: &decoder)
        XCTAssertEqual(got.assembled.count, 2)
        XCTAssertEqual(got.assembled.map(\.1), whole.frames.map(\.payload), "assembled = the frame sent whole")
        XCTAssertTrue(got.assembled.allSatisfy { $0.0.complete && $0.0.width == 128 && $0.0.height == 96 })
        let lines = try SimulatorHarness.recordLines(record)
        XCTAssertEqual(lines.map(\.frame), got.assembled.map(\.0.frameNumber))
        XCTAssertEqual(lines.map(\.statistics), got.assembled.map { f in
            f.1.withUnsafeBytes { .init(FrameStats(reference: $0, pixelType: .uint16)) }
        })
    }

    func testMissingStreamSendsNothingAndTheRecordCountsItsModuleAsMasked() throws {
        var o = options(.moench, streams: 2, frames: 3)
        o.missingStream = 1
        let record = SimulatorHarness.temporaryPath("missing.jsonl")
        defer { unlink(record) }
        o.record = record
        let (got, summary) = try run(o, name: "missing")
        XCTAssertEqual(summary.framesSent, 3)
        XCTAssertEqual(got.portFrames[1].count, 0, "port 1 stays silent")
        XCTAssertEqual(got.assembled.count, 3)
        XCTAssertTrue(got.assembled.allSatisfy { !$0.0.complete })
        XCTAssertEqual(got.missingReports, [[ModuleCell(row: 1, column: 0)]])
        let lines = try SimulatorHarness.recordLines(record)
        XCTAssertEqual(lines.map(\.statistics), got.assembled.map { f in
            f.1.withUnsafeBytes { .init(FrameStats(reference: $0, pixelType: .uint16)) }
        })
        XCTAssertTrue(lines.allSatisfy { $0.statistics.masked >= 400 * 200 }, "the silent module's pixels are masked")
    }

    // MARK: - Layout and endpoints (no sockets)

    func testDefaultGridsStackMoenchAndJungfrauAndPairEigerPortsWithFlippedOddRows() throws {
        let moench = try XCTUnwrap(try PortLayout(options: options(.moench, streams: 2)))
        XCTAssertEqual(moench, PortLayout(columns: 1, rows: 2, moduleWidth: 400, moduleHeight: 200))
        let eiger = try XCTUnwrap(try PortLayout(options: options(.eiger, streams: 4, size: (128, 96))))
        XCTAssertEqual(eiger, PortLayout(columns: 2, rows: 2, moduleWidth: 64, moduleHeight: 48, flipsOddRows: true))
        XCTAssertEqual((0..<4).map(eiger.isFlipped), [false, false, true, true])
        XCTAssertNil(try PortLayout(options: options(.moench, streams: 1)))
    }

    func testLayoutsThatCannotBeSentAreClearErrors() {
        var uneven = options(.moench, streams: 3)
        XCTAssertThrowsError(try uneven.validate()) { XCTAssertTrue("\($0)".contains("does not split"), "\($0)") }
        uneven.streamGrid = (2, 2)
        XCTAssertThrowsError(try uneven.validate()) { XCTAssertTrue("\($0)".contains("is not 3 ports"), "\($0)") }
        var simplon = options(.eiger, streams: 2, size: (128, 96))
        simplon.format = .simplon
        XCTAssertThrowsError(try simplon.validate()) { XCTAssertTrue("\($0)".contains("--format sls"), "\($0)") }
        var connecting = options(.moench, streams: 2)
        connecting.connect = "tcp://127.0.0.1:5000"
        XCTAssertThrowsError(try connecting.validate()) { XCTAssertTrue("\($0)".contains("--bind"), "\($0)") }
        var missing = options(.moench, streams: 2)
        missing.missingStream = 2
        XCTAssertThrowsError(try missing.validate()) { XCTAssertTrue("\($0)".contains("--missing-stream 2"), "\($0)") }
    }

    func testStreamEndpointsCountPortsUpOrTakeTheGivenList() throws {
        var o = options(.moench, streams: 3, size: nil)
        o.bind = "tcp://10.0.0.1:30001"
        XCTAssertEqual(try o.streamEndpoints, ["tcp://10.0.0.1:30001", "tcp://10.0.0.1:30002", "tcp://10.0.0.1:30003"])
        o.bind = "ipc:///tmp/a, ipc:///tmp/b,ipc:///tmp/c"
        XCTAssertEqual(try o.streamEndpoints, ["ipc:///tmp/a", "ipc:///tmp/b", "ipc:///tmp/c"])
        o.bind = "ipc:///tmp/a"
        XCTAssertThrowsError(try o.streamEndpoints)
        o.bind = "ipc:///tmp/a,ipc:///tmp/b"
        XCTAssertThrowsError(try o.streamEndpoints)
    }
}
