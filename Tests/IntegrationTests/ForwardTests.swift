import Foundation
import XCTest
import ZeroMQ

/// Issue 12, `view --forward ENDPOINT`: detview between a PUSH detector and its file writer. A
/// test-side PUSH socket plays the detector (known messages, SIMPLON ones and odd ones), the real
/// binary forwards, and a test-side PULL plays the file writer, which must get every message,
/// byte for byte, with the same part boundaries, in order, also when it reads slowly.
final class ForwardTests: XCTestCase {
    private var context: ZMQContext!
    private var directory = ""

    override func setUpWithError() throws {
        context = try ZMQContext(ioThreads: 1)
        var template = Array((NSTemporaryDirectory() + "/detview-forward-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw MissingTestInput("mkdtemp failed: errno \(errno)") }
        directory = String(cString: made)
    }

    override func tearDown() {
        context.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func json(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// A SIMPLON series (header, images of 4 parts, end) with odd messages among the images: one
    /// part of garbage, an empty part, five parts, a lone `dimage-1.0` of 2 parts. The viewer
    /// rejects the odd ones; the file writer must get them all the same.
    private static func simplonSeries(images: Int, width: Int = 64, height: Int = 32) -> [[[UInt8]]] {
        var messages: [[[UInt8]]] = [[json(["htype": "dheader-1.0", "series": 7, "header_detail": "none"])]]
        for frame in 0..<images {
            let data = (0..<(width * height * 2)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ frame) }
            messages.append([
                json(["htype": "dimage-1.0", "series": 7, "frame": frame, "hash": ""]),
                json(["htype": "dimage_d-1.0", "shape": [width, height], "type": "uint16", "encoding": "<", "size": data.count]),
                data,
                json(["htype": "dconfig-1.0", "start_time": frame * 1000, "stop_time": frame * 1000 + 500, "real_time": 500]),
            ])
            switch frame {
            case 3: messages.append([Array("not a detector message".utf8)])
            case 5: messages.append([[], [1, 2, 3], []])
            case 8: messages.append((0..<5).map { [UInt8](repeating: UInt8($0), count: 100 * ($0 + 1)) })
            case 11: messages.append([json(["htype": "dimage-1.0", "series": 7, "frame": 99]), [0xFF]])
            default: break
            }
        }
        messages.append([json(["htype": "dseries_end-1.0", "series": 7])])
        return messages
    }

    /// Receives one whole message as its parts' bytes; nil after the receive timeout.
    private func receive(_ socket: ZMQSocket) throws -> [[UInt8]]? {
        try socket.receiveMultipart()?.map(\.bytes)
    }

    /// Part by part, with memcmp: a debug build's element-wise `==` on 64 KiB parts dominated the test.
    private static func same(_ a: [[UInt8]], _ b: [[UInt8]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.count == y.count && (x.isEmpty || x.withUnsafeBytes { p in y.withUnsafeBytes { q in memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0 } })
        }
    }

    private func forwardStats(_ viewer: DetviewProcess) -> [String: Any]? {
        viewer.events("stats").last?["forward"] as? [String: Any]
    }

    func testAFileWriterBehindTheForwardGetsEveryMessageByteForByteWithItsPartsInOrder() throws {
        let detector = try ZMQSocket(context, .push)
        try detector.setSendTimeout(milliseconds: 10_000)
        let detectorEndpoint = "tcp://127.0.0.1:\(freePort())"
        try detector.bind(detectorEndpoint)
        // ipc downstream here, tcp in the back-pressure test: both transports are forwarded.
        let downstream = "ipc://\(directory)/writer.sock"
        let viewer = try DetviewProcess(["view", detectorEndpoint, "--headless", "--workers", "1",
                                         "--stats-interval", "0.2", "--forward", downstream])
        defer { viewer.signal(SIGKILL) }
        let fileWriter = try ZMQSocket(context, .pull)
        try fileWriter.setReceiveTimeout(milliseconds: 10_000)
        try fileWriter.connect(downstream)

        let sent = Self.simplonSeries(images: 20)
        for message in sent { XCTAssertTrue(try detector.sendMultipart(message), "sent within 10 s") }
        var got: [[[UInt8]]] = []
        while got.count < sent.count, let message = try receive(fileWriter) { got.append(message) }

        XCTAssertEqual(got.count, sent.count, "zero messages lost: \(viewer.standardError)")
        XCTAssertEqual(got.map(\.count), sent.map(\.count), "the same part boundaries")
        for (index, (a, b)) in zip(got, sent).enumerated() where !Self.same(a, b) {
            XCTFail("message \(index) differs: \(a.map(\.count)) bytes per part vs \(b.map(\.count))")
        }
        try fileWriter.setReceiveTimeout(milliseconds: 300)
        XCTAssertNil(try receive(fileWriter), "nothing more than was sent")

        // The viewer watched the same stream (the images) and counted the forward.
        let bytes = sent.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        XCTAssertTrue(eventually(timeout: 10) {
            (self.forwardStats(viewer)?["messages"] as? Int) == sent.count
                && (viewer.events("stats").last?["processed"] as? Int) == 20
        }, "stats: \(viewer.events("stats").last ?? [:]) \(viewer.standardError)")
        let forward = try XCTUnwrap(forwardStats(viewer))
        XCTAssertEqual(forward["bytes"] as? Int, bytes)
        XCTAssertEqual(forward["endpoint"] as? String, downstream)
        XCTAssertTrue(viewer.events("info").contains { ($0["message"] as? String)?.contains("forwarding every message to \(downstream)") == true })
        XCTAssertFalse(viewer.events("warning").contains { ($0["message"] as? String)?.contains("PULL takes frames") == true },
                       "the forward is the only puller: no warning about stealing frames")
        XCTAssertGreaterThan(viewer.events("bad_frame").count, 0, "the odd messages were forwarded, then rejected")
        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM, viewer.standardError)
    }

    /// A file writer that stops reading: the forward waits (its wait shows in the stats), the
    /// detector is held back, and once the file writer reads again, slowly, it gets every message.
    func testASlowFileWriterLosesNothingAndHoldsTheDetectorBack() throws {
        let detector = try ZMQSocket(context, .push)
        try detector.setSendHighWaterMark(10)
        let detectorEndpoint = "tcp://127.0.0.1:\(freePort())"
        try detector.bind(detectorEndpoint)
        let downstream = "tcp://127.0.0.1:\(freePort())"
        let viewer = try DetviewProcess(["view", detectorEndpoint, "--headless", "--workers", "1",
                                         "--stats-interval", "0.2", "--forward", downstream])
        defer { viewer.signal(SIGKILL) }
        let fileWriter = try ZMQSocket(context, .pull)
        try fileWriter.setReceiveHighWaterMark(10)
        try fileWriter.setReceiveTimeout(milliseconds: 10_000)
        try fileWriter.connect(downstream)

        // Messages numbered in their first part, so order and loss are plain to see.
        let total = 4000
        func message(_ n: Int) -> [[UInt8]] {
            [Array("message \(n)".utf8), [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 64 * 1024)]
        }
        // The file writer reads nothing: the detector sends until it is held back for a second.
        var sent = 0
        var heldSince: Date?
        while sent < total {
            if try detector.sendMultipart(message(sent), dontWait: true) {
                sent += 1
                heldSince = nil
            } else if let since = heldSince {
                if Date().timeIntervalSince(since) > 1 { break }
                usleep(1000)
            } else {
                heldSince = Date()
            }
        }
        XCTAssertLessThan(sent, total, "the detector was held back while the file writer read nothing")
        XCTAssertTrue(eventually(timeout: 5) { (self.forwardStats(viewer)?["waiting"] as? Bool) == true },
                      "the stats say the forward waits for the downstream: \(viewer.events("stats").last ?? [:])")

        // The file writer reads, slowly, while the detector sends the rest. One thread drives
        // both sockets, so the file writer waits only briefly: a detector whose queue was full
        // learns that it has room again only on its next call (libzmq handles its commands then).
        try fileWriter.setReceiveTimeout(milliseconds: 50)
        var received = 0
        var lastArrival = Date()
        while received < total && Date().timeIntervalSince(lastArrival) < 10 {
            while sent < total, try detector.sendMultipart(message(sent), dontWait: true) { sent += 1 }
            guard let got = try receive(fileWriter) else { continue }
            lastArrival = Date()
            guard Self.same(got, message(received)) else {
                XCTFail("message \(received) is not the next to arrive, unchanged: got \(String(decoding: got.first ?? [], as: UTF8.self))")
                break
            }
            received += 1
            if received % 200 == 0 { usleep(20_000) }
        }
        XCTAssertEqual(received, total, "zero messages lost: \(viewer.standardError)")
        XCTAssertTrue(eventually(timeout: 10) { (self.forwardStats(viewer)?["messages"] as? Int) == total })
        let forward = try XCTUnwrap(forwardStats(viewer))
        XCTAssertGreaterThan(number(forward["blocked_ms"]) ?? 0, 500, "the second of waiting is counted")
        XCTAssertEqual(forward["waiting"] as? Bool, false)
        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM, viewer.standardError)
    }

    func testAForwardEndpointThatCannotWorkIsRefusedAtStart() throws {
        for (endpoint, says) in [("tcp://127.0.0.1:99999", "out of range"),
                                 ("ipc:///nonexistent-detview-dir/writer.sock", "does not exist")] {
            let viewer = try DetviewProcess(["view", "tcp://127.0.0.1:\(freePort())", "--headless", "--forward", endpoint])
            XCTAssertEqual(viewer.waitForExit(timeout: 10), 1, endpoint)
            XCTAssertTrue(viewer.standardError.contains("cannot start") && viewer.standardError.contains(endpoint)
                          && viewer.standardError.contains(says), viewer.standardError)
        }
        let sub = try DetviewProcess(["view", "tcp://127.0.0.1:1", "--headless", "--socket", "sub",
                                      "--forward", "tcp://127.0.0.1:2"])
        XCTAssertNotEqual(sub.waitForExit(timeout: 10), 0)
        XCTAssertTrue(sub.standardError.contains("--socket sub"), sub.standardError)
    }
}

/// Issue 12, "`--socket pull` keeps working, with the warning, and shows its share of frames": a
/// PUSH sender deals its images round-robin to the viewer and a test PULL; the viewer's reported
/// share must match what the test PULL did not get.
final class PullSocketShareTests: XCTestCase {
    func testAPullViewerBesideAnotherPullerReportsTheShareTheOtherDidNotGet() throws {
        let frames = 200
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let sender = try DetviewProcess(["simulate", "--format", "simplon", "--detector", "eiger", "--size", "512x512",
                                         "--bind", endpoint, "--frames", String(frames), "--rate", "100"])
        defer { sender.signal(SIGKILL) }
        let context = try ZMQContext(ioThreads: 1)
        defer { context.shutdown() }
        let other = try ZMQSocket(context, .pull)
        defer { other.close() }
        try other.setReceiveTimeout(milliseconds: 100)
        try other.connect(endpoint)
        let viewer = try DetviewProcess(["view", endpoint, "--socket", "pull", "--headless", "--workers", "1",
                                         "--stats-interval", "0.2"])
        defer { viewer.signal(SIGKILL) }

        // The other puller's image numbers, to the end of the series (or of the sender).
        var taken = Set<Int>()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let parts = try other.receiveMultipart(), let first = parts.first,
               let json = try? JSONSerialization.jsonObject(with: Data(first.bytes)) as? [String: Any],
               json["htype"] as? String == "dimage-1.0", let frame = json["frame"] as? Int {
                taken.insert(frame)
            }
            if !sender.process.isRunning && (try? other.receiveMultipart()) == nil { break }
        }
        XCTAssertEqual(sender.waitForExit(timeout: 10), 0, sender.standardError)

        // Every image goes to one puller: the viewer got those the other did not (SIMPLON images
        // are numbered from 0), and its share is what it got over the span of their numbers.
        let mine = Set(0..<frames).subtracting(taken).sorted()
        let first = try XCTUnwrap(mine.first), last = try XCTUnwrap(mine.last)
        let expected = Double(mine.count) / Double(last - first + 1)
        XCTAssertTrue(eventually(timeout: 10) { (self.lastStats(viewer)?["received"] as? Int) == mine.count },
                      "the viewer received the \(mine.count) images the other left: \(viewer.events("stats").last ?? [:])")
        let stats = try XCTUnwrap(lastStats(viewer))
        let share = try XCTUnwrap(number(stats["share"]), "a share field with --socket pull: \(stats)")
        XCTAssertEqual(share, expected, accuracy: 0.01, "the other took \(taken.count) of \(frames)")
        XCTAssertTrue((0.3...0.7).contains(share), "two pullers split round-robin: \(share)")
        XCTAssertTrue(viewer.events("warning").contains { ($0["message"] as? String)?.contains("PULL takes frames") == true },
                      "--socket pull keeps its warning")
        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 10), 128 + SIGTERM, viewer.standardError)
    }

    private func lastStats(_ viewer: DetviewProcess) -> [String: Any]? { viewer.events("stats").last }
}
