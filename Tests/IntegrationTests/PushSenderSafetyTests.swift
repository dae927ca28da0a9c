import Foundation
import XCTest
import ZeroMQ

/// Issue 12, "never disturb the acquisition": a DECTRIS detector pushes, and every PULL socket
/// takes a round-robin share of its frames. A viewer started with the default socket beside the
/// detector's file writer must take none of them, and must say why it shows nothing.
final class PushSenderSafetyTests: XCTestCase {
    /// The `htype` that starts a SIMPLON message, from its first part.
    private static func htype(_ parts: [ZMQMessage]) -> String? {
        guard let first = parts.first,
              let json = try? JSONSerialization.jsonObject(with: Data(first.bytes)) as? [String: Any] else { return nil }
        return json["htype"] as? String
    }

    func testTheDefaultSocketTakesNoFrameFromAPushSendersFileWriterAndSaysWhyWithinTwoSeconds() throws {
        let frames = 60
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let sender = try DetviewProcess(["simulate", "--format", "simplon", "--detector", "eiger", "--size", "512x512",
                                         "--bind", endpoint, "--frames", String(frames), "--rate", "20"])
        defer { sender.signal(SIGKILL) }

        // The file writer: a PULL connected before any viewer. PUSH sends nothing until a puller
        // is connected, so its first message (the series header) proves it is attached.
        let context = try ZMQContext(ioThreads: 1)
        defer { context.shutdown() }
        let fileWriter = try ZMQSocket(context, .pull)
        defer { fileWriter.close() }
        try fileWriter.setReceiveTimeout(milliseconds: 50)
        try fileWriter.connect(endpoint)
        var header: [ZMQMessage]?
        XCTAssertTrue(eventually(timeout: 30) {
            header = try? fileWriter.receiveMultipart()
            return header != nil
        }, "the file writer gets the series header: \(sender.standardError)")
        XCTAssertEqual(header.flatMap(Self.htype), "dheader-1.0")

        // Default options, and the format named without a socket: neither may PULL.
        let arguments = ["--headless", "--workers", "1", "--stats-interval", "0.1"]
        let viewers = try [[], ["--format", "simplon"]].map { extra in
            (extra, Date(), try DetviewProcess(["view", endpoint] + arguments + extra))
        }
        defer { for (_, _, viewer) in viewers { viewer.signal(SIGKILL) } }

        // Drain the file writer to the end of the series, watching for each viewer's warning meanwhile.
        var images = 0
        var ended = false
        var warned: [Int: (message: String, after: TimeInterval)] = [:]
        let deadline = Date().addingTimeInterval(60)
        while !ended && Date() < deadline {
            if let parts = try fileWriter.receiveMultipart() {
                switch Self.htype(parts) {
                case "dimage-1.0": images += 1
                case "dseries_end-1.0": ended = true
                default: break
                }
            }
            for (index, (_, started, viewer)) in viewers.enumerated() where warned[index] == nil {
                let message = viewer.events("warning").compactMap { $0["message"] as? String }
                    .first { $0.contains("pushes") }
                if let message { warned[index] = (message, Date().timeIntervalSince(started)) }
            }
        }
        XCTAssertTrue(ended, "the file writer gets the series end")
        XCTAssertEqual(images, frames, "the file writer gets every image; no viewer took a share")
        XCTAssertEqual(sender.waitForExit(timeout: 10), 0, sender.standardError)

        for (index, (extra, _, viewer)) in viewers.enumerated() {
            let options = extra.isEmpty ? "default options" : extra.joined(separator: " ")
            let said = try XCTUnwrap(warned[index], "\(options): no warning says the sender pushes: \(viewer.outputLines)")
            // Measured from the start of the viewer's process, so its own start-up is included.
            XCTAssertLessThan(said.after, 2.0, "\(options): said within 2 s of the viewer's start")
            XCTAssertTrue(said.message.contains(endpoint), "\(options): \(said.message)")
            XCTAssertTrue(said.message.contains("would take frames from the file writer"), "\(options): \(said.message)")
            XCTAssertTrue(said.message.contains("monitor interface") && said.message.contains("PUB tap")
                          && said.message.contains("--socket pull"), "\(options): how to watch safely: \(said.message)")
            let warnings = viewer.events("warning").compactMap { $0["message"] as? String }
            XCTAssertFalse(warnings.contains { $0.contains("PULL takes frames") },
                           "\(options): no PULL warning, since no PULL: \(warnings)")
            let stats = viewer.events("stats")
            XCTAssertFalse(stats.isEmpty, "\(options): the viewer ran: \(viewer.standardError)")
            XCTAssertEqual(stats.last?["received"] as? Int, 0, "\(options): the viewer received nothing")
        }
    }
}
