import Foundation
import XCTest

/// `detview view http://…/monitor/api/1.8.0/images/monitor` (and `--monitor HOST:PORT`), the real
/// binary against a fake DECTRIS monitor interface: frames with the statistics of the served
/// TIFFs, each image counted once however often it is served, a series per shape, a body that is
/// no TIFF counted bad, and a disabled monitor or a refused connection named within 2 s.
final class MonitorSourceTests: XCTestCase {
    private func frames(_ viewer: DetviewProcess) -> [[String: Any]] { viewer.events("frame") }

    private func lastStats(_ viewer: DetviewProcess) -> [String: Any]? { viewer.events("stats").last }

    func testEachServedImageIsAFrameWithItsStatisticsCountedOnce() throws {
        let server = try FakeMonitorServer()
        defer { server.stop() }
        // 4×3 uint16, little-endian: 1…12 (sum 78, max 12).
        server.setImage(MonitorTiff.uint16((1...12).map { UInt16($0) }, width: 4, height: 3))
        let viewer = try DetviewProcess(["view", server.url, "--headless", "--per-frame", "--workers", "1",
                                         "--stats-interval", "0.1", "--monitor-interval", "0.05"])
        defer { viewer.signal(SIGKILL) }

        XCTAssertTrue(eventually(timeout: 20) { frames(viewer).count == 1 }, "\(viewer.outputLines) \(viewer.standardError)")
        let first = try XCTUnwrap(frames(viewer).first)
        XCTAssertEqual(first["sum"] as? Double, 78)
        XCTAssertEqual(first["max"] as? Double, 12)
        XCTAssertEqual(first["frame"] as? Int, 1)
        let start = try XCTUnwrap(viewer.events("series_start").first)
        XCTAssertEqual(start["format"] as? String, "monitor")
        XCTAssertEqual(start["width"] as? Int, 4)
        XCTAssertEqual(start["height"] as? Int, 3)
        XCTAssertEqual(start["pixel_type"] as? String, "uint16")
        XCTAssertEqual(start["source"] as? String, server.url)

        // The monitor answers with the same image again and again: still one frame.
        let servedBefore = server.served("images/monitor")
        XCTAssertTrue(eventually(timeout: 10) { server.served("images/monitor") >= servedBefore + 10 })
        XCTAssertEqual(frames(viewer).count, 1, "the same image served \(server.served("images/monitor")) times")

        // A new image of another shape and type (5×2 uint32, big-endian, with an ETag): a new series.
        let words: [UInt32] = [0, 100_000, 2, 3, 4_000_000_000, 5, 6, 7, 8, 9]
        server.setImage(MonitorTiff.uint32(words, width: 5, height: 2, bigEndian: true), etag: true)
        XCTAssertTrue(eventually(timeout: 10) { frames(viewer).count == 2 }, "\(viewer.outputLines)")
        let second = frames(viewer)[1]
        XCTAssertEqual(second["sum"] as? Double, Double(words.reduce(0) { $0 + UInt64($1) }))
        XCTAssertEqual(second["max"] as? Double, 4_000_000_000)
        XCTAssertEqual(second["series"] as? Int, 2)
        let ended = try XCTUnwrap(viewer.events("series_end").first)
        XCTAssertEqual(ended["series"] as? Int, 1)
        XCTAssertEqual(ended["frames"] as? Int, 1)
        XCTAssertEqual(viewer.events("series_start").last?["pixel_type"] as? String, "uint32")

        // An answer that is no TIFF: one bad frame with its reason, however often it is served.
        server.setImage(Array("<html>monitor busy</html>".utf8))
        XCTAssertTrue(eventually(timeout: 10) { !viewer.events("bad_frame").isEmpty }, "\(viewer.outputLines)")
        let bad = try XCTUnwrap(viewer.events("bad_frame").first)
        XCTAssertTrue((bad["reason"] as? String)?.contains("not a TIFF") == true, "\(bad)")
        let servedBad = server.served("images/monitor")
        XCTAssertTrue(eventually(timeout: 10) { server.served("images/monitor") >= servedBad + 10 })
        XCTAssertTrue(eventually(timeout: 5) { (lastStats(viewer)?["received"] as? Int) == 3 })
        let stats = try XCTUnwrap(lastStats(viewer))
        XCTAssertEqual(stats["processed"] as? Int, 2)
        XCTAssertEqual(stats["bad"] as? Int, 1, "the broken answer counted once: \(stats)")
        XCTAssertEqual(stats["dropped"] as? Int, 0)
        XCTAssertEqual(frames(viewer).count, 2)

        viewer.signal(SIGTERM)
        XCTAssertEqual(viewer.waitForExit(timeout: 20), 128 + SIGTERM)
    }

    func testASeriesEndsWhenNoNewImageComesForTheSeriesTimeout() throws {
        let server = try FakeMonitorServer()
        defer { server.stop() }
        server.setImage(MonitorTiff.uint16([3, 4, 5], width: 3, height: 1))
        let viewer = try DetviewProcess(["view", server.url, "--headless", "--workers", "1", "--stats-interval", "0",
                                         "--series-timeout", "0.5", "--exit-on-series-end"])
        defer { viewer.signal(SIGKILL) }
        XCTAssertEqual(viewer.waitForExit(timeout: 20), 0, "\(viewer.outputLines) \(viewer.standardError)")
        let ended = try XCTUnwrap(viewer.events("series_end").first, "\(viewer.outputLines)")
        XCTAssertEqual(ended["frames"] as? Int, 1)
        XCTAssertGreaterThan(server.served("images/monitor"), 3, "the same image was served on, and not counted")
        XCTAssertEqual(viewer.events("stats").last?["processed"] as? Int, 1)
    }

    func testADisabledMonitorIsNamedWithinTwoSecondsAndItsEnablingSeen() throws {
        let server = try FakeMonitorServer()
        defer { server.stop() }
        server.setMode("disabled")
        server.setImage(MonitorTiff.uint16([7, 7], width: 2, height: 1))
        let started = Date()
        let viewer = try DetviewProcess(["view", "--monitor", "127.0.0.1:\(server.port)", "--headless", "--per-frame",
                                         "--workers", "1", "--stats-interval", "0.1"])
        defer { viewer.signal(SIGKILL) }
        var said: String?
        XCTAssertTrue(eventually(timeout: 10) {
            said = viewer.events("warning").compactMap { $0["message"] as? String }.first { $0.contains("monitor is disabled") }
            return said != nil
        }, "\(viewer.outputLines) \(viewer.standardError)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.0, "named within 2 s of the start")
        XCTAssertTrue(said?.hasPrefix("the detector's monitor is disabled: set monitor/api/1.8.0/config/mode to enabled") == true,
                      said ?? "")
        XCTAssertEqual(frames(viewer).count, 0)

        server.setMode("enabled")
        XCTAssertTrue(eventually(timeout: 10) { frames(viewer).count == 1 }, "\(viewer.outputLines)")
        XCTAssertEqual(frames(viewer).first?["sum"] as? Double, 14)
        XCTAssertTrue(viewer.events("info").contains { ($0["message"] as? String)?.contains("monitor at 127.0.0.1:\(server.port) is enabled now") == true },
                      "\(viewer.outputLines)")
    }

    func testARefusedConnectionIsNamedWithinTwoSeconds() throws {
        let port = freePort()
        let started = Date()
        let viewer = try DetviewProcess(["view", "http://127.0.0.1:\(port)/monitor/api/1.6.0/images/monitor", "--headless",
                                         "--workers", "1", "--stats-interval", "0.1"])
        defer { viewer.signal(SIGKILL) }
        var said: String?
        XCTAssertTrue(eventually(timeout: 10) {
            said = viewer.events("warning").compactMap { $0["message"] as? String }.first { $0.contains("connection refused") }
            return said != nil
        }, "\(viewer.outputLines) \(viewer.standardError)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.0, "named within 2 s of the start")
        XCTAssertEqual(said, "nothing listens at http://127.0.0.1:\(port) (connection refused): is the detector's control unit "
                       + "running, and are host and port right? (retrying)")
        XCTAssertTrue(viewer.keepsRunning(for: 1), "it keeps trying")
    }

    func testAMonitorURLThatCannotWorkIsRefusedAtStart() throws {
        let cases = [
            (["view", "http://127.0.0.1:1/monitor/api/1.8.0/images/next", "--headless"], "images/next would take images"),
            (["view", "http://127.0.0.1:1/monitor/api/1.8.0/images/monitor", "tcp://127.0.0.1:5", "--headless"],
             "the monitor interface is one source on its own"),
            (["view", "--monitor", "dcu", "--socket", "pull", "--headless"], "are for ZeroMQ streams, not the monitor interface"),
        ]
        for (arguments, reason) in cases {
            let viewer = try DetviewProcess(arguments)
            XCTAssertNotEqual(viewer.waitForExit(timeout: 20), 0, "\(arguments)")
            XCTAssertTrue(viewer.standardError.contains(reason), "\(arguments): \(viewer.standardError)")
        }
    }
}
