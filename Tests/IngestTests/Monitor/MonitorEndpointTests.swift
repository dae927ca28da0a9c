import Ingest
import XCTest

/// Monitor URLs and `--monitor HOST[:PORT]`: what is accepted, and why the rest is refused.
final class MonitorEndpointTests: XCTestCase {
    func testURLsOfEveryAPIVersion() throws {
        let eiger2 = try MonitorEndpoint(url: "http://dcu-1/monitor/api/1.8.0/images/monitor")
        XCTAssertEqual(eiger2, MonitorEndpoint(host: "dcu-1", port: 80, apiVersion: "1.8.0"))
        XCTAssertEqual(eiger2.modePath, "/monitor/api/1.8.0/config/mode")
        XCTAssertEqual(eiger2.url, "http://dcu-1/monitor/api/1.8.0/images/monitor")
        let eiger1 = try MonitorEndpoint(url: "http://10.0.0.5:8080/monitor/api/1.6.0/images/monitor")
        XCTAssertEqual(eiger1, MonitorEndpoint(host: "10.0.0.5", port: 8080, apiVersion: "1.6.0"))
        XCTAssertEqual(eiger1.imagePath, "/monitor/api/1.6.0/images/monitor")
        XCTAssertEqual(try MonitorEndpoint(url: "http://[::1]:81/monitor/api/1.8.0/images/monitor").host, "::1")
    }

    func testMonitorOptionBuildsTheURL() throws {
        XCTAssertEqual(try MonitorEndpoint(monitor: "dcu").url, "http://dcu/monitor/api/1.8.0/images/monitor")
        XCTAssertEqual(try MonitorEndpoint(monitor: "dcu:8000", apiVersion: "1.6.0").url,
                       "http://dcu:8000/monitor/api/1.6.0/images/monitor")
    }

    func testWhatCannotWorkIsRefusedWithWhy() {
        let cases = [
            ("https://dcu/monitor/api/1.8.0/images/monitor", "the detector's monitor interface is plain http, not https"),
            ("http://dcu/stream/api/1.8.0/images/monitor", "expected http://HOST[:PORT]/monitor/api/VERSION/images/monitor"),
            ("http://dcu/monitor/api/latest/images/monitor", "API version \"latest\" is not of the form 1.8.0"),
            ("http://dcu/monitor/api/1.8.0/images/next", "images/next would take images from the monitor's buffer"),
            ("http://dcu:99999/monitor/api/1.8.0/images/monitor", "port 99999 is out of range"),
            ("http://:80/monitor/api/1.8.0/images/monitor", "no host"),
            ("http://dcu:http/monitor/api/1.8.0/images/monitor", "\"http\" is not a port"),
        ]
        for (url, reason) in cases {
            XCTAssertThrowsError(try MonitorEndpoint(url: url), url) {
                let text = ($0 as? MonitorEndpointError)?.description ?? "\($0)"
                XCTAssertTrue(text.contains(reason) && text.hasPrefix(url), "\(url): \(text)")
            }
        }
        XCTAssertThrowsError(try MonitorEndpoint(monitor: "dcu", apiVersion: "2")) {
            XCTAssertEqual(($0 as? MonitorEndpointError)?.description, "--monitor-api \"2\" is not of the form 1.8.0")
        }
    }

    func testTellsHTTPFromZeroMQEndpoints() {
        XCTAssertTrue(MonitorEndpoint.isHTTP("http://dcu/monitor/api/1.8.0/images/monitor"))
        XCTAssertTrue(MonitorEndpoint.isHTTP("HTTPS://dcu"))
        XCTAssertFalse(MonitorEndpoint.isHTTP("tcp://dcu:9999"))
    }
}
