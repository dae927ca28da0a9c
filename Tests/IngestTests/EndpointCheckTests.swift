import Ingest
import XCTest

/// Endpoints that can never work are refused before anything starts, naming why.
final class EndpointCheckTests: XCTestCase {
    /// A resolver that knows one host, so that no test depends on the machine's DNS.
    private let resolver: EndpointCheck.Resolver = { $0 == "detector-host" ? nil : "Name or service not known" }

    private func reason(_ endpoint: String, binding: Bool = false) -> String? {
        do {
            try EndpointCheck.validate(endpoint, binding: binding, resolve: resolver)
            return nil
        } catch {
            XCTAssertEqual(error.endpoint, endpoint)
            return error.reason
        }
    }

    func testValidEndpointsPass() {
        for endpoint in ["tcp://127.0.0.1:30001", "tcp://detector-host:9999", "tcp://[::1]:5555",
                         "ipc:///tmp/detview.sock", "ipc://@abstract", "inproc://x", "tcp://0.0.0.0:1;127.0.0.1:2"] {
            XCTAssertNil(reason(endpoint), endpoint)
        }
        for endpoint in ["tcp://*:*", "tcp://127.0.0.1:*", "tcp://eth0:5555", "tcp://*:0"] {
            XCTAssertNil(reason(endpoint, binding: true), endpoint)
        }
    }

    func testAnAddressBeyondIPv4IsRefused() {
        XCTAssertEqual(reason("tcp://256.1.1.1:1"), "256.1.1.1 is not an IPv4 address (four numbers 0…255)")
        XCTAssertEqual(reason("tcp://1.2.3:1"), "1.2.3 is not an IPv4 address (four numbers 0…255)")
        XCTAssertEqual(reason("tcp://[::g]:1"), "[::g] is not an IPv6 address")
    }

    func testAPortOutOfRangeOrNotANumberIsRefused() {
        XCTAssertEqual(reason("tcp://127.0.0.1:99999"), "port 99999 is out of range (1…65535)")
        XCTAssertEqual(reason("tcp://127.0.0.1:0"), "port 0 is out of range (1…65535)")
        XCTAssertEqual(reason("tcp://127.0.0.1:*"), "port \"*\" is not a number", "a wildcard only binds")
        XCTAssertEqual(reason("tcp://127.0.0.1"), "no port (tcp://HOST:PORT)")
    }

    func testAHostThatDoesNotResolveIsRefusedWithTheResolversReason() {
        XCTAssertEqual(reason("tcp://no-such-host:5"), "cannot resolve host no-such-host: Name or service not known")
    }

    func testTheSystemResolverRefusesAReservedInvalidName() {
        // RFC 6761: names under .invalid never resolve, with or without a network.
        XCTAssertNotNil(EndpointCheck.resolveWithSystem("no-such-host.invalid"))
        XCTAssertNil(EndpointCheck.resolveWithSystem("127.0.0.1"))
    }

    func testAnIpcPathInADirectoryThatDoesNotExistIsRefused() {
        XCTAssertEqual(reason("ipc:///nonexistent/dir/sock"), "directory /nonexistent/dir does not exist")
        XCTAssertEqual(reason("ipc:///" + String(repeating: "x", count: 200)), "path longer than 107 bytes")
    }
}
