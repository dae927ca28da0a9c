import Foundation
import XCTest
import ZeroMQ

/// The three transports every round trip is checked over.
enum Transport: String, CaseIterable {
    case inproc, ipc, tcp
}

/// A connected pair of sockets, the binding one first.
struct SocketPair {
    let bound: ZMQSocket
    let connected: ZMQSocket
    let endpoint: String
}

extension XCTestCase {
    /// Binds `boundType` on a fresh endpoint of `transport` (tcp on a kernel-chosen port, ipc on a
    /// unique temporary path removed at teardown) and connects `connectedType` to it. Receiving
    /// sockets get a 5 s timeout so a broken test fails instead of hanging.
    func makePair(
        _ context: ZMQContext, _ boundType: ZMQSocketType, _ connectedType: ZMQSocketType,
        over transport: Transport
    ) throws -> SocketPair {
        let bound = try ZMQSocket(context, boundType)
        let connected = try ZMQSocket(context, connectedType)
        try bound.setReceiveTimeout(milliseconds: 5000)
        try connected.setReceiveTimeout(milliseconds: 5000)
        try bound.bind(freshEndpoint(transport))
        let endpoint = try bound.lastEndpoint
        try connected.connect(endpoint)
        return SocketPair(bound: bound, connected: connected, endpoint: endpoint)
    }

    /// An endpoint nobody has bound yet: tcp on a kernel-chosen port (read `lastEndpoint` after
    /// binding), ipc on a unique temporary path removed at teardown, inproc under a unique name.
    func freshEndpoint(_ transport: Transport) -> String {
        switch transport {
        case .inproc:
            return "inproc://test-\(UUID().uuidString)"
        case .ipc:
            let path = NSTemporaryDirectory() + "detview-zmq-\(UUID().uuidString.prefix(12)).ipc"
            addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
            return "ipc://\(path)"
        case .tcp:
            return "tcp://127.0.0.1:*"
        }
    }

    /// PUB/SUB loses whatever is published before the subscription reaches the publisher
    /// ("slow joiner"). Publishes `probe` until the subscriber sees one; later messages then arrive
    /// after the remaining probes, which `receiveSkipping` discards.
    func waitUntilSubscribed(publisher: ZMQSocket, subscriber: ZMQSocket, probe: [UInt8]) throws {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            _ = try publisher.send(probe, dontWait: true)
            let ready = try ZMQPoll.wait([.socket(subscriber)], timeoutMilliseconds: 10)
            if ready[0].contains(.readable) {
                XCTAssertEqual(try subscriber.receive(dontWait: true)?.bytes, probe)
                return
            }
        }
        XCTFail("subscription did not reach the publisher within 5 s")
    }

    /// The next multipart message whose first part is not `probe`.
    func receiveSkipping(_ probe: [UInt8], from socket: ZMQSocket) throws -> [[UInt8]] {
        while true {
            let parts = try XCTUnwrap(try socket.receiveMultipart(), "receive timed out")
            let bytes = parts.map(\.bytes)
            if bytes != [probe] { return bytes }
        }
    }
}

/// Bytes that differ position by position, so a shifted or truncated copy is noticed.
func pattern(count: Int, seed: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 8) &+ Int(seed)) }
}

/// A pipe whose ends are closed at teardown; stands in for the receiver's stop eventfd.
func makePipe(_ testCase: XCTestCase) throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
    testCase.addTeardownBlock {
        close(fds[0])
        close(fds[1])
    }
    return (fds[0], fds[1])
}

/// Byte equality of two buffers through memcmp: element-wise comparison of 4 MiB is slow in debug builds.
func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    guard let left = a.baseAddress, let right = b.baseAddress else { return a.count == 0 }
    return memcmp(left, right, a.count) == 0
}
