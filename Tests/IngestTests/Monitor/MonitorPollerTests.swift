@testable import Ingest
import Platform
import XCTest

/// The monitor's decisions on plain values and an injected clock: mode first, images on the
/// interval, one count per distinct image, each problem said once and its end said too.
final class MonitorPollerTests: XCTestCase {
    private let endpoint = MonitorEndpoint(host: "dcu", port: 8080, apiVersion: "1.8.0")
    private let ms: UInt64 = 1_000_000

    private func poller(interval: Double = 0.1) -> MonitorPoller {
        MonitorPoller(endpoint: endpoint, timing: .init(intervalSeconds: interval), maxFrameBytes: 1000)
    }

    private func answer(_ status: Int, _ body: String = "", headers: [(name: String, value: String)] = [],
                        reason: String = "") -> Result<HTTPResponse, HTTPClientError> {
        .success(HTTPResponse(status: status, reason: reason, headers: headers, body: Array(body.utf8)))
    }

    private func texts(_ events: [IngestEvent]) -> [String] {
        events.map { event in
            guard case .message(let text, let severity) = event else { return "not a message: \(event)" }
            return "\(severity): \(text)"
        }
    }

    func testAsksTheModeFirstThenPollsImagesOnTheInterval() {
        var p = poller()
        XCTAssertEqual(p.next, .mode)
        XCTAssertEqual(p.nextAt, 0)
        XCTAssertEqual(texts(p.modeAnswered(answer(200, #"{"value": "enabled", "value_type": "string"}"#), sentAt: 0, at: 5 * ms)), [])
        XCTAssertEqual(p.next, .image)
        XCTAssertEqual(p.nextAt, 5 * ms)
        let (verdict, events) = p.imageAnswered(answer(200, "image-1"), sentAt: 10 * ms, at: 30 * ms)
        XCTAssertEqual(verdict, .new)
        XCTAssertEqual(events.count, 0)
        XCTAssertEqual(p.next, .image)
        XCTAssertEqual(p.nextAt, 110 * ms, "interval counted from the request's start")
        _ = p.imageAnswered(answer(200, "image-1"), sentAt: 110 * ms, at: 400 * ms)
        XCTAssertEqual(p.nextAt, 400 * ms, "a slow answer: the next request at once, never in the past")
    }

    func testTheSameImageCountsOnceByETagOrByContent() {
        var p = poller()
        _ = p.modeAnswered(answer(200, #"{"value":"enabled"}"#), sentAt: 0, at: 0)
        let tagged = { (tag: String, body: String) in self.answer(200, body, headers: [(name: "ETag", value: tag)]) }
        XCTAssertEqual(p.imageAnswered(tagged("\"a\"", "x"), sentAt: 0, at: 0).verdict, .new)
        XCTAssertEqual(p.imageAnswered(tagged("\"a\"", "x"), sentAt: 0, at: 0).verdict, .repeated)
        XCTAssertEqual(p.imageAnswered(tagged("\"b\"", "x"), sentAt: 0, at: 0).verdict, .new, "a new ETag is a new image")
        // Without an ETag, the bytes decide (Last-Modified has whole seconds: too coarse at 10 Hz).
        XCTAssertEqual(p.imageAnswered(answer(200, "first"), sentAt: 0, at: 0).verdict, .new)
        XCTAssertEqual(p.imageAnswered(answer(200, "first"), sentAt: 0, at: 0).verdict, .repeated)
        XCTAssertEqual(p.imageAnswered(answer(200, "firsT"), sentAt: 0, at: 0).verdict, .new)
        XCTAssertEqual(p.imageAnswered(answer(200, "first"), sentAt: 0, at: 0).verdict, .new, "A B A: three images")
    }

    func testADisabledMonitorIsSaidOnceWithWhatToDoAndItsEnablingToo() {
        var p = poller()
        let disabled = answer(200, #"{"value": "disabled", "allowed_values": ["disabled", "enabled"]}"#)
        XCTAssertEqual(texts(p.modeAnswered(disabled, sentAt: 0, at: 2 * ms)), [
            "warning: the detector's monitor is disabled: set monitor/api/1.8.0/config/mode to enabled "
                + "(PUT {\"value\": \"enabled\"} to http://dcu:8080/monitor/api/1.8.0/config/mode); detview asks again every second",
        ])
        XCTAssertEqual(p.next, .mode)
        XCTAssertEqual(p.nextAt, 1002 * ms)
        XCTAssertEqual(texts(p.modeAnswered(disabled, sentAt: 1002 * ms, at: 1003 * ms)), [], "said once")
        XCTAssertEqual(texts(p.modeAnswered(answer(200, #"{"value":"enabled"}"#), sentAt: 2003 * ms, at: 2004 * ms)),
                       ["info: the detector's monitor at dcu:8080 is enabled now"])
        XCTAssertEqual(p.next, .image)
    }

    func testNoImageYetIsSaidOnceAndTheModeIsAskedAgainEveryTwoSeconds() {
        var p = poller()
        _ = p.modeAnswered(answer(200, #"{"value":"enabled"}"#), sentAt: 0, at: 1 * ms)
        let first = p.imageAnswered(answer(404, "no image", reason: "Not Found"), sentAt: 1 * ms, at: 2 * ms)
        XCTAssertEqual(first.verdict, .none)
        XCTAssertEqual(texts(first.events), ["info: the monitor at http://dcu:8080/monitor/api/1.8.0/images/monitor has no image yet "
                                             + "(HTTP 404): waiting for the detector to record one"])
        XCTAssertEqual(p.next, .image)
        XCTAssertEqual(p.nextAt, 101 * ms)
        XCTAssertEqual(p.imageAnswered(answer(408), sentAt: 101 * ms, at: 102 * ms).events.count, 0, "said once")
        _ = p.imageAnswered(answer(404), sentAt: 2001 * ms, at: 2002 * ms)
        XCTAssertEqual(p.next, .mode, "2 s without an image: is the monitor still enabled?")
        XCTAssertEqual(p.nextAt, 2002 * ms)
    }

    func testConnectionProblemsAreSaidOnceRetriedAndTheirEndSaid() {
        var p = poller()
        let refused = Result<HTTPResponse, HTTPClientError>.failure(.refused(host: "dcu", port: 8080))
        XCTAssertEqual(texts(p.modeAnswered(refused, sentAt: 0, at: 1 * ms)), [
            "warning: nothing listens at http://dcu:8080 (connection refused): is the detector's control unit running, "
                + "and are host and port right? (retrying)",
        ])
        XCTAssertEqual(p.next, .mode)
        XCTAssertEqual(p.nextAt, 501 * ms, "retried after half a second, not at the 0.1 s interval")
        XCTAssertEqual(texts(p.modeAnswered(refused, sentAt: 501 * ms, at: 502 * ms)), [])
        _ = p.modeAnswered(answer(200, #"{"value":"enabled"}"#), sentAt: 1002 * ms, at: 1003 * ms)
        let back = p.imageAnswered(answer(200, "img"), sentAt: 1003 * ms, at: 1004 * ms)
        XCTAssertEqual(back.verdict, .new)
        XCTAssertEqual(texts(back.events), ["info: the monitor at http://dcu:8080/monitor/api/1.8.0/images/monitor answers again"])

        let timedOut = Result<HTTPResponse, HTTPClientError>.failure(.timedOut(host: "dcu", phase: "answer", seconds: 2))
        XCTAssertEqual(texts(p.imageAnswered(timedOut, sentAt: 0, at: 0).events), [
            "warning: no answer from the monitor at http://dcu:8080/monitor/api/1.8.0/images/monitor: "
                + "no answer from dcu within 2.0 s; check host and port (retrying)",
        ])
    }

    func testAnHTTPErrorIsNamedWithItsStatus() {
        var p = poller()
        _ = p.modeAnswered(answer(404), sentAt: 0, at: 0)
        XCTAssertEqual(p.next, .image, "a firmware without config/mode: the images will tell")
        let (verdict, events) = p.imageAnswered(answer(503, "busy", reason: "Service Unavailable"), sentAt: 0, at: 0)
        XCTAssertEqual(verdict, .none)
        XCTAssertEqual(texts(events), ["warning: the monitor at http://dcu:8080/monitor/api/1.8.0/images/monitor answered "
                                       + "HTTP 503 Service Unavailable (retrying)"])
    }

    func testAnImageAboveTheFrameLimitIsCountedBadOncePerRun() {
        var p = poller()
        _ = p.modeAnswered(answer(404), sentAt: 0, at: 0)
        let huge = Result<HTTPResponse, HTTPClientError>.failure(.tooLarge(bytes: 72_000_000, limit: 1000 + (1 << 20)))
        let first = p.imageAnswered(huge, sentAt: 0, at: 0)
        let reason = "monitor image: 72.0 MB frame exceeds --max-frame-bytes 1000 bytes: raise it (to 72000000 or more)"
        XCTAssertEqual(first.verdict, .oversized(reason: reason))
        XCTAssertEqual(texts(first.events), ["warning: the monitor at http://dcu:8080/monitor/api/1.8.0/images/monitor "
                                             + "serves images too large for the ring: \(reason)"])
        XCTAssertEqual(p.imageAnswered(huge, sentAt: 0, at: 0).verdict, .none, "the same too-large image, polled again")
    }

    func testReadsTheModeValue() {
        XCTAssertEqual(MonitorPoller.mode(in: Array(#"{"access_mode":"rw","value":"enabled","value_type":"string"}"#.utf8)), "enabled")
        XCTAssertNil(MonitorPoller.mode(in: Array("<html>".utf8)))
        XCTAssertNil(MonitorPoller.mode(in: Array(#"{"value": 3}"#.utf8)))
    }
}
