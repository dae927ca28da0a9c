import Glibc
import XCTest
import ZeroMQ

/// `ZMQMonitor`: the connection events libzmq reports and nothing else in its API does.
final class MonitorTests: XCTestCase {
    /// Reads events until one of `kind` for `endpoint` arrives (5 s at most); returns all read.
    private func events(from monitor: ZMQMonitor, until kind: ZMQMonitorEvent.Kind,
                        for endpoint: String) throws -> [ZMQMonitorEvent] {
        try monitor.socket.setReceiveTimeout(milliseconds: 5000)
        var seen: [ZMQMonitorEvent] = []
        while let event = try monitor.next() {
            seen.append(event)
            if event.kind == kind && event.endpoint == endpoint { return seen }
        }
        XCTFail("no \(kind) for \(endpoint) within 5 s; saw \(seen)")
        return seen
    }

    /// A tcp endpoint on loopback where nothing listens: a port the kernel chose for a plain
    /// socket that never listens (ZeroMQ closes its listeners in the background, too late).
    private func deadEndpoint() -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return "tcp://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
    }

    func testNothingListeningIsAConnectThatIsRetried() throws {
        let context = try ZMQContext()
        let endpoint = deadEndpoint()
        let sub = try ZMQSocket(context, .sub)
        let monitor = try ZMQMonitor(watching: sub)
        try sub.connect(endpoint)
        let seen = try events(from: monitor, until: .connectRetried, for: endpoint)
        XCTAssertFalse(seen.contains { $0.kind == .connected }, "\(seen)")
        XCTAssertEqual(seen.first?.kind, .connectDelayed, "a tcp connect starts in progress")
    }

    func testAMatchingPeerConnectsAndCompletesTheHandshake() throws {
        let context = try ZMQContext()
        let pub = try ZMQSocket(context, .pub)
        try pub.bind("tcp://127.0.0.1:*")
        let endpoint = try pub.lastEndpoint
        let sub = try ZMQSocket(context, .sub)
        let monitor = try ZMQMonitor(watching: sub)
        try sub.connect(endpoint)
        let seen = try events(from: monitor, until: .handshakeSucceeded, for: endpoint)
        XCTAssertEqual(seen.map(\.kind).filter { $0 != .connectDelayed }, [.connected, .handshakeSucceeded])
    }

    func testAPeerOfAnotherSocketTypeIsConnectedThenDisconnectedWithoutAHandshake() throws {
        let context = try ZMQContext()
        let push = try ZMQSocket(context, .push)
        try push.bind("tcp://127.0.0.1:*")
        let endpoint = try push.lastEndpoint
        let sub = try ZMQSocket(context, .sub)
        let monitor = try ZMQMonitor(watching: sub)
        try sub.connect(endpoint)
        let seen = try events(from: monitor, until: .disconnected, for: endpoint)
        XCTAssertTrue(seen.contains { $0.kind == .connected }, "\(seen)")
        XCTAssertFalse(seen.contains { $0.kind == .handshakeSucceeded }, "\(seen)")
    }

    func testABindingSocketReportsListeningAndThePeerItAccepts() throws {
        let context = try ZMQContext()
        let sub = try ZMQSocket(context, .sub)
        let monitor = try ZMQMonitor(watching: sub)
        try sub.bind("tcp://127.0.0.1:*")
        let endpoint = try sub.lastEndpoint
        XCTAssertEqual(try monitor.next(dontWait: true)?.kind, .listening)
        let pub = try ZMQSocket(context, .pub)
        try pub.connect(endpoint)
        let seen = try events(from: monitor, until: .handshakeSucceeded, for: endpoint)
        XCTAssertTrue(seen.contains { $0.kind == .accepted }, "\(seen)")
    }

    func testClosingTheWatchedSocketStopsTheMonitor() throws {
        let context = try ZMQContext()
        let sub = try ZMQSocket(context, .sub)
        let monitor = try ZMQMonitor(watching: sub)
        sub.close()
        try monitor.socket.setReceiveTimeout(milliseconds: 5000)
        XCTAssertEqual(try monitor.next()?.kind, .monitorStopped)
        XCTAssertNil(try monitor.next(dontWait: true), "nothing after the stop")
    }

    func testAClosedSocketCannotBeWatched() throws {
        let context = try ZMQContext()
        let sub = try ZMQSocket(context, .sub)
        sub.close()
        XCTAssertThrowsError(try ZMQMonitor(watching: sub)) { error in
            XCTAssertEqual((error as? ZMQError)?.isClosed, true)
        }
    }
}
