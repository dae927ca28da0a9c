import Foundation
import XCTest

/// A viewer that receives nothing says why: an endpoint that cannot work is refused at start,
/// and a peer that cannot be reached or speaks another socket type is named within 2 s.
final class ConnectionDiagnosisIntegrationTests: XCTestCase {
    func testEndpointsThatCannotWorkAreRefusedAtStartWithOneLine() throws {
        let cases = [
            ("tcp://256.1.1.1:1", "256.1.1.1 is not an IPv4 address"),
            ("tcp://127.0.0.1:99999", "port 99999 is out of range"),
            ("ipc:///nonexistent/dir/sock", "directory /nonexistent/dir does not exist"),
            ("tcp://no-such-host.invalid:5", "cannot resolve host no-such-host.invalid"),
        ]
        for (endpoint, reason) in cases {
            let viewer = try DetviewProcess(["view", endpoint, "--headless", "--workers", "1"])
            XCTAssertEqual(viewer.waitForExit(timeout: 20), 1, endpoint)
            let lines = viewer.standardError.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "one line: \(viewer.standardError)")
            XCTAssertTrue(lines.first?.contains(endpoint) == true && lines.first?.contains(reason) == true,
                          "\(endpoint): \(viewer.standardError)")
        }
    }

    /// The first `warning` line that contains `text`, and how long after `start` it was seen.
    private func warning(containing text: String, from viewer: DetviewProcess, since start: Date,
                         timeout: TimeInterval) -> (message: String, after: TimeInterval)? {
        var found: String?
        _ = eventually(timeout: timeout) {
            found = viewer.events("warning").compactMap { $0["message"] as? String }.first { $0.contains(text) }
            return found != nil
        }
        return found.map { ($0, Date().timeIntervalSince(start)) }
    }

    /// When the viewer is ready to receive: its first stats line (at 0.1 s intervals).
    private func waitUntilRunning(_ viewer: DetviewProcess) throws -> Date {
        XCTAssertTrue(eventually(timeout: 20) { !viewer.events("stats").isEmpty }, viewer.standardError)
        return Date()
    }

    func testNothingListeningIsNamedWithinTwoSeconds() throws {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let started = Date()
        let viewer = try DetviewProcess(["view", endpoint, "--headless", "--workers", "1", "--stats-interval", "0.1"])
        defer { viewer.signal(SIGKILL) }
        let said = try XCTUnwrap(warning(containing: endpoint, from: viewer, since: started, timeout: 10),
                                 "no warning names \(endpoint): \(viewer.outputLines)")
        XCTAssertTrue(said.message.contains("nothing listens"), said.message)
        XCTAssertTrue(said.message.contains("is the sender running"), "says what to check: \(said.message)")
        // Measured from the start of the process, so the viewer's own start-up is included.
        XCTAssertLessThan(said.after, 2.0, "named within 2 s")
    }

    func testASubViewerOnAPushSenderSaysTheSenderPushesTakesNoFrameAndSaysWhatToDo() throws {
        let endpoint = "tcp://127.0.0.1:\(freePort())"
        let sender = try DetviewProcess(["simulate", "--format", "simplon", "--detector", "eiger", "--size", "512x512",
                                         "--bind", endpoint, "--rate", "50", "--frames", "2000"])
        defer { sender.signal(SIGKILL) }
        XCTAssertTrue(eventually(timeout: 30) { sender.standardError.contains("bound") || sender.standardError.contains("PUSH") },
                      "the sender is up: \(sender.standardError)")
        let viewer = try DetviewProcess(["view", endpoint, "--socket", "sub", "--headless", "--workers", "1",
                                         "--stats-interval", "0.1"])
        defer { viewer.signal(SIGKILL) }
        let running = try waitUntilRunning(viewer)
        let said = try XCTUnwrap(warning(containing: "refused the handshake", from: viewer, since: running, timeout: 10),
                                 "no warning about the handshake: \(viewer.outputLines)")
        XCTAssertLessThan(said.after, 2.0, "named within 2 s")
        XCTAssertTrue(said.message.contains(endpoint), said.message)
        XCTAssertTrue(said.message.contains("pushes"), said.message)
        XCTAssertTrue(said.message.contains("--socket pull"), "says what to do: \(said.message)")
        XCTAssertEqual(viewer.events("stats").last?["received"] as? Int, 0, "and takes none of the sender's frames")
    }
}
